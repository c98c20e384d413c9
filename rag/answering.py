"""The answer path: retrieve, pick evidence sentences, let the LLM answer, verify, or fall back."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Literal

import numpy as np

from rag.errors import Overloaded, UpstreamError
from rag.evidence import (
    ScoredSentence,
    asks_for_typed_answer,
    candidate_sentences,
    counts_what_is_asked,
    fitting_neighbours,
    mentions_what_is_counted,
    names_a_city_if_asked,
    names_a_person_if_asked,
    names_all,
    quotes_a_quantity_if_asked,
    score_sentences,
)
from rag.prompting import Quote, answer_schema, build_check_messages, build_messages
from rag.protocols import ChatModel, Embedder, PlaceNames
from rag.quotes import verify_quote
from rag.resilience import GenerationGate
from rag.retrieval import HybridRetriever
from rag.rewriting import QueryRewriter, Rewrite
from rag.terms import (
    Vocabulary,
    counted_terms,
    focus_terms,
    named_terms,
    premise_words,
    tokens,
    unknown_terms,
    without_term,
)
from rag.types import Answer, Article, Citation, SearchFilters, Sentence
from rag.vector_cache import VectorCache
from rag.verification import Verdict, verify_answer

log = logging.getLogger(__name__)

_MARKERS = re.compile(r"\s*\[\d+\]")

NOT_FOUND_ANSWER = "The articles do not say."
EXTRACTIVE_MODEL = "extractive"
# Evidence sentence embeddings kept (384 floats each: about 75 MiB).
_SENTENCE_VECTORS = 50_000


@dataclass(frozen=True)
class AnswerPolicy:
    evidence_sentences: int = 4
    # What a place down the retrieval order costs an evidence sentence (see score_sentences).
    # A rewritten follow-up (by rules: the previous question and the new one run together)
    # has its chunks ranked for both questions; the sentence answering the new one may sit
    # lower, so the order counts for less.
    chunk_rank_weight: float = 0.35
    follow_up_rank_weight: float = 0.02
    min_answer_score: float = 0.40
    # What a question's term that no stored text holds costs the support (`absent_cost`).
    unknown_term_penalty: float = 0.12
    unknown_name_penalty: float = 0.30
    paraphrase_margin: float = 0.02
    peripheral_margin: float = 0.04
    second_sentence_ratio: float = 0.9
    same_article_ratio: float = 0.0
    answer_max_chars: int = 120
    max_tokens: int = 64
    # Ask the LLM only questions that want a name, number or time (see Settings.llm_questions).
    llm_typed_only: bool = False
    # A model that judges (Qwen2.5-1.5B, a remote model): its NOT_FOUND, or an answer that
    # cannot be grounded, declines. One that cannot (SmolLM2) falls back to the extractive
    # answer instead.
    llm_judges: bool = False
    # The second look at an answer (`_second_look`): the share of "yes" the judge must give,
    # and, for a judging model's own answer, a higher one where the cited articles lack the
    # question's terms.
    check_min_yes: float = 0.5
    check_min_yes_off_terms: float = 0.75
    # Which answers of a model that cannot judge the judge looks at: "all", or only those in
    # doubt ("doubt": the cited articles lack the question's terms, `_article_holds_question`).
    judge_scope: Literal["all", "doubt"] = "doubt"
    # With such a judge, evidence whose support falls under `min_answer_score` but not under
    # this (a judging model's own floor) is answered extractively if the judge confirms it as
    # surely as `check_min_yes_off_terms` asks (`_rescued`).
    judged_floor: float = 0.30
    # The hand-written checks in front of the model (what is counted, a person or a city
    # asked for, a follow-up's added names, a figure for "how many").
    rule_gates: bool = True


class Answerer:
    """Answers a question with verbatim citations, extractively when the LLM cannot be trusted."""

    def __init__(
        self,
        retriever: HybridRetriever,
        embedder: Embedder,
        get_article: Callable[[str], Article | None],
        chat_model: ChatModel | None,
        policy: AnswerPolicy,
        rewriter: QueryRewriter | None = None,
        gate: GenerationGate | None = None,
        places: PlaceNames | None = None,
        judge: ChatModel | None = None,
    ):
        self._retriever = retriever
        self._embedder = embedder
        self._get_article = get_article
        self._chat = chat_model
        self._policy = policy
        self._rewriter = rewriter or QueryRewriter()
        self._gate = gate or GenerationGate(concurrency=1, queue=1_000_000)
        self._places = places
        # Who takes the second look at an answer (`_second_look`): the judging model itself,
        # or a second model beside one that cannot judge (Settings.judge_model).
        self._judge = judge
        self._sentence_vectors = VectorCache(_SENTENCE_VECTORS)

    def answer(
        self,
        question: str,
        top_k: int,
        history: Sequence[dict[str, str]] = (),
        filters: SearchFilters | None = None,
        as_of: date | None = None,
    ) -> Answer:
        started = time.perf_counter()
        rewrite = self._rewriter.rewrite(question, history)
        query = rewrite.query
        query_vector = self._retriever.embed_query(query)
        retrieved = self._retriever.search(
            query, top_k, query_embedding=query_vector, filters=filters, as_of=as_of
        )
        candidates = candidate_sentences(retrieved)
        similarities = self._similarities(query_vector, [s for s, _ in candidates])
        rank_weight = (
            self._policy.follow_up_rank_weight
            if rewrite.is_follow_up
            else self._policy.chunk_rank_weight
        )
        # A rewritten follow-up is about what it adds ("And Ukraine's?"): evidence naming that
        # comes first, and the best evidence must name it. Its sentences are scored on its own
        # words (term coverage, answer type, years), their similarity on the rewritten query:
        # "And where did he say it could be?" wants a place, not the time the previous
        # question asked for. Blind follow-up set, extractive: 0.667 -> 0.833.
        ranked = score_sentences(
            question,
            candidates,
            similarities,
            rank_weight=rank_weight,
            required=rewrite.added,
            published=self._retriever.published_words,
        )
        evidence = ranked[: self._policy.evidence_sentences]
        neighbours = fitting_neighbours(question, evidence[0], ranked) if evidence else []
        retrieve_ms = _ms(started)

        unknown = unknown_terms(query, self._retriever.vocabulary())
        support = self.support(evidence, self.absent_cost(query, unknown, evidence))
        generate_started = time.perf_counter()
        result = self._decide(rewrite, evidence, support, neighbours)
        if self._judge is not None and not self._policy.llm_judges:
            if result.answered:
                result = self._confirmed(rewrite, result, evidence)
            elif evidence and self._policy.judged_floor <= support < self._policy.min_answer_score:
                result = self._rescued(rewrite, evidence, neighbours)
        result.retrieved = retrieved
        result.query = query
        result.timings_ms = {
            "retrieve": retrieve_ms,
            "generate": _ms(generate_started),
            "total": _ms(started),
        }
        return result

    def warm(self) -> None:
        """Read what the checks need (the city names) now, not on the first question."""
        if self._places is not None:
            self._places.is_city("")  # the first look-up reads the names

    def support(self, evidence: list[ScoredSentence], absent_cost: float = 0.0) -> float:
        """How well the best evidence supports answering, less what the question's absent
        terms cost (`absent_cost`)."""
        if not evidence:
            return 0.0
        return evidence[0].score - absent_cost

    def absent_cost(
        self, question: str, unknown: Sequence[str], evidence: Sequence[ScoredSentence]
    ) -> float:
        """What the question's terms that no stored text holds (`unknown`) cost its support.

        Such a term may be the question's paraphrase of what the evidence says ("bloodshed"
        for "slaughter", "UK" for "Britain"): it costs nothing when dropping it from the
        question lowers the question's cosine to the best evidence sentence by more than
        `paraphrase_margin` (the term was part of the match). Nor do the rest when the
        question barely rests on them: dropping them all moves the question's own vector by
        less than `peripheral_margin` in cosine ("allows" and "back" in "What does Zelensky
        say allows Ukraine to back up its figures...?": a small corpus lacks many ordinary
        words; a premise of several absent words moves it more), and none of them is a name
        or names what is asked about (`_barely_rests_on`).
        Otherwise a name or number ("Germany", "F-16") costs `unknown_name_penalty`: a fact
        the corpus lacks; another word `unknown_term_penalty`. Measured on the five gold sets
        (330 questions) against a flat 0.12 a term: 5 more answerable questions answered with
        the answer in the evidence, and the same unanswerable ones refused."""
        if not unknown or not evidence:
            return 0.0
        names = named_terms(question)
        matched_by_evidence, without = self._matches(question, unknown, evidence[0])
        rest = [t for t, matched in zip(unknown, matched_by_evidence, strict=True) if not matched]
        peripheral = self._barely_rests_on(
            question, rest, names, dict(zip(unknown, without, strict=True))
        )
        cost = 0.0
        for term, matched in zip(unknown, matched_by_evidence, strict=True):
            if matched or peripheral:
                continue
            if term in names:
                cost += self._policy.unknown_name_penalty
            else:
                cost += self._policy.unknown_term_penalty
        return cost

    def _article_holds_question(
        self, question: str, cited: Sequence[ScoredSentence], evidence: Sequence[ScoredSentence]
    ) -> bool:
        """Whether the articles an answer rests on hold the question's terms well enough: the
        same absent-term cost as for the whole corpus (`absent_cost`), over the words of the
        cited articles (headline, text, publication date) instead. A figure about the killed
        does not answer a question about the injured when the article never says "injured";
        a paraphrase the cited sentence matches costs nothing."""
        words: list[str] = []
        for article_id in dict.fromkeys(e.sentence.article_id for e in cited):
            article = self._get_article(article_id)
            if article is None:
                continue
            dated = self._retriever.published_words(article_id) or ""
            words += tokens(f"{article.title or ''} {article.text} {dated}")
        premise = premise_words(question)
        unknown = [t for t in unknown_terms(question, Vocabulary(words)) if t not in premise]
        return self.support(evidence, self.absent_cost(question, unknown, cited)) >= (
            self._policy.min_answer_score
        )

    def _matches(
        self, question: str, terms: Sequence[str], best: ScoredSentence
    ) -> tuple[list[bool], list[np.ndarray]]:
        """For each of `terms`, whether `best` (the best evidence sentence) matches it in
        other words: dropping it from the question lowers the question's cosine to `best` by
        more than `paraphrase_margin`, so it was part of the match; with the vectors of the
        question without each term. One embedding call."""
        (best_vector,) = self._sentence_vectors.vectors([best.sentence.text], self._embedder.embed)
        without = self._embedder.embed([without_term(question, t) for t in terms])
        margin = self._policy.paraphrase_margin
        matched = [best.similarity - float(vector @ best_vector) > margin for vector in without]
        return matched, list(without)

    def _barely_rests_on(
        self,
        question: str,
        terms: Sequence[str],
        names: Collection[str],
        without: dict[str, np.ndarray],
    ) -> bool:
        """Whether dropping all of `terms` moves the question's vector by less than
        `peripheral_margin` in cosine; `without` holds the question's vector without each
        one. Never when one of them is a name (`names`: "Union" in "European Union", "16" in
        "F-16") or names what the question asks about (`focus_terms`: "forecast" in "What is
        the weather forecast for Kyiv?"): a short question's vector rests on its place names,
        so the cosine alone would forgive those. The question's vector is embedded only here,
        once per question (the judge's check of the cited articles asks again), with the
        question stripped of all the terms when there are several."""
        if not terms or self._policy.peripheral_margin <= 0:
            return False
        if not focus_terms(question).union(names).isdisjoint(terms):
            return False
        if len(terms) == 1:
            (asked,) = self._sentence_vectors.vectors([question], self._embedder.embed)
            alone = without[terms[0]]
        else:
            stripped = question
            for term in terms:
                stripped = without_term(stripped, term)
            asked, alone = self._sentence_vectors.vectors(
                [question, stripped], self._embedder.embed
            )
        return 1.0 - float(alone @ asked) < self._policy.peripheral_margin

    def _counted_in_other_words(
        self, question: str, asked: str, evidence: Sequence[ScoredSentence]
    ) -> bool:
        """Whether the best evidence names what `asked` counts in other words ("soldiers"
        for "servicemen"), as `_matches` tells."""
        counted = counted_terms(asked)
        return bool(counted and evidence) and any(self._matches(question, counted, evidence[0])[0])

    def _decide(
        self,
        rewrite: Rewrite,
        evidence: list[ScoredSentence],
        support: float,
        neighbours: Sequence[ScoredSentence] = (),
    ) -> Answer:
        """Answer the question from `evidence`, or decline (first of all when `support`, the
        best evidence's less what absent terms cost, is under the floor). The LLM gets
        `rewrite.for_model` (a follow-up the rules ran together comes with its earlier
        question apart); the kind of answer wanted (a count of what, a person, a typed answer
        for the LLM) is read from the question as the user put it (`rewrite.asked`): "And how
        many injuries did he report?" counts injuries, whatever the previous question counted.
        The best evidence must name what a follow-up adds."""
        if support < self._policy.min_answer_score:
            return self._declined()
        return self._gated(
            rewrite, evidence, neighbours, partial(self._compose, rewrite, evidence, neighbours)
        )

    def _gated(
        self,
        rewrite: Rewrite,
        evidence: list[ScoredSentence],
        neighbours: Sequence[ScoredSentence],
        compose: Callable[[], Answer],
    ) -> Answer:
        """`compose()`'s answer from `evidence`, unless the rule gates (`rule_gates`) decline:
        no evidence names what a how-many question counts, a person or a city asked for, or
        what a follow-up adds, or the answer's quotes give no figure or time asked for."""
        question, asked = rewrite.query, rewrite.asked
        texts = [e.sentence.text for e in evidence]
        if not self._policy.rule_gates:
            return compose()
        named = mentions_what_is_counted(asked, texts)
        if not (
            (named or self._counted_in_other_words(question, asked, evidence))
            and names_a_person_if_asked(asked, texts)
            and names_a_city_if_asked(
                asked, [*texts[:1], *(n.sentence.text for n in neighbours)], self._places
            )
            and names_all(rewrite.added, texts[:1])
        ):
            return self._declined()
        result = compose()
        if not result.answered or self._gives_what_is_asked(asked, named, result):
            return result
        # The model's figure may count something else where the evidence it was shown
        # answers: the extractive answer, checked alike ("How much money did Saudi Aramco
        # raise?": SmolLM2 gave the market value, the lede's neighbour gives the $25.6 billion).
        if result.model != EXTRACTIVE_MODEL and not self._policy.llm_judges:
            fallback = self._extractive(evidence, degraded=True, neighbours=neighbours)
            if self._gives_what_is_asked(asked, named, fallback):
                fallback.prompt_tokens = result.prompt_tokens
                return fallback
        declined = self._declined()
        declined.prompt_tokens = result.prompt_tokens
        return declined

    @staticmethod
    def _gives_what_is_asked(asked: str, named: bool, result: Answer) -> bool:
        """A sentence on the topic that gives no figure does not answer "How many fighter jets
        has the US given Ukraine?", however well it matched, nor one whose figures count
        something else (what the evidence counts in other words, "households" for "homes",
        cannot be told beside a figure); one without a time does not answer "when"."""
        quotes = [c.quote for c in result.citations]
        return quotes_a_quantity_if_asked(asked, quotes) and (
            not named or counts_what_is_asked(asked, quotes, _MARKERS.sub("", result.answer))
        )

    def _declined(self) -> Answer:
        return Answer(NOT_FOUND_ANSWER, False, [], self._model_name(), False, {})

    def _compose(
        self,
        rewrite: Rewrite,
        evidence: list[ScoredSentence],
        neighbours: Sequence[ScoredSentence],
    ) -> Answer:
        """The answer from `evidence` that supports one: the LLM's when it passes
        verification, else extractive."""
        if self._chat is None:
            return self._extractive(evidence, degraded=False, neighbours=neighbours)
        if self._policy.llm_typed_only and not asks_for_typed_answer(rewrite.asked):
            # The LLM is bypassed: the answer is extractive, and says so.
            return self._extractive(evidence, degraded=True, neighbours=neighbours)
        try:
            with self._gate:
                output, prompt_tokens = self._chat.complete_json(
                    build_messages(rewrite.for_model, evidence, rewrite.earlier),
                    answer_schema(self._policy.answer_max_chars),
                    self._policy.max_tokens,
                )
        except UpstreamError as exc:
            log.warning("LLM unavailable, answering extractively: %s", exc)
            result = self._extractive(evidence, degraded=True, neighbours=neighbours)
            result.prompt_tokens = exc.prompt_tokens  # an unparseable reply was still read
            return result
        texts = [e.sentence.text for e in evidence]
        verdict = self._check(rewrite, output, evidence, texts)
        if not verdict.ok:
            log.info("LLM answer rejected (%s): %r", verdict.reason, output)
            if self._policy.llm_judges:
                result = self._declined()
            else:
                result = self._extractive(evidence, degraded=True, neighbours=neighbours)
        else:
            grounds = [evidence[i - 1] for i in verdict.cited]
            citations = self._citations([e.sentence for e in grounds])
            markers = "".join(f" [{c.n}]" for c in citations)
            answer = output["answer"].strip() + markers
            result = Answer(answer, True, citations, self._chat.name, False, {}, grounds=grounds)
        result.prompt_tokens = prompt_tokens
        return result

    def _check(
        self,
        rewrite: Rewrite,
        output: dict,
        evidence: Sequence[ScoredSentence],
        texts: Sequence[str],
    ) -> Verdict:
        """The verdict on the model's answer: verification (rag/verification.py), then what
        the model's kind allows. A model that cannot judge extracts a span of the best evidence
        sentence (a figure it found elsewhere is as likely about something else: SmolLM2 gave
        Trump's count of the dead for "how many were wounded"); a judging model's answer must
        pass its own second look (`_second_look`), more surely where the cited articles lack
        the question's terms (`_article_holds_question`)."""
        verdict = verify_answer(
            rewrite.query,
            output,
            texts,
            max_chars=self._policy.answer_max_chars,
            shape_checks=not self._policy.llm_judges,
        )
        if not verdict.ok:
            return verdict
        if not self._policy.llm_judges:
            if 1 not in verdict.cited:
                return Verdict(False, "not from the best evidence sentence", verdict.cited)
            return verdict
        cited = [evidence[i - 1] for i in verdict.cited]
        quotes = [
            self._quote(e.sentence.text, self._get_article(e.sentence.article_id)) for e in cited
        ]
        yes = self._second_look(rewrite, output["answer"].strip(), quotes)
        low, high = self._policy.check_min_yes, self._policy.check_min_yes_off_terms
        # The term check only matters without a second look, or for a middling yes.
        holds = (yes is not None and not low <= yes < high) or self._article_holds_question(
            rewrite.query, cited, evidence
        )
        if yes is None:
            # No second look (a server without log-probabilities, or one that failed): the
            # term check alone decides.
            if not holds:
                return Verdict(False, "the cited articles lack the question's terms", verdict.cited)
            return verdict
        needed = low if holds else high
        if yes < needed:
            reason = f"on a second look the model does not confirm it (yes {yes:.2f} < {needed})"
            return Verdict(False, reason, verdict.cited)
        return verdict

    def _confirmed(
        self,
        rewrite: Rewrite,
        result: Answer,
        evidence: Sequence[ScoredSentence],
    ) -> Answer:
        """`result` (an answer of a model that cannot judge, or an extractive one) if the
        judge confirms it on its citations (`_second_look`), else declined. With
        `judge_scope` "doubt", only an answer whose cited articles lack the question's terms
        (`_article_holds_question`) is shown to the judge; the others stand as they are."""
        if self._policy.judge_scope == "doubt":
            grounds = result.grounds
            if grounds and self._article_holds_question(rewrite.query, grounds, evidence):
                return result
        return self._judged(rewrite, result, self._policy.check_min_yes, stands_unjudged=True)

    def _rescued(
        self,
        rewrite: Rewrite,
        evidence: list[ScoredSentence],
        neighbours: Sequence[ScoredSentence],
    ) -> Answer:
        """The extractive answer from `evidence` the support floor declined, if the judge
        confirms it surely (`check_min_yes_off_terms`); declined otherwise, and when no
        second look can be had. A floor set by hand cannot tell "What share of the vote...?"
        from a question the stories do not answer; the judge reads the sentence."""
        extractive = partial(self._extractive, evidence, degraded=False, neighbours=neighbours)
        result = self._gated(rewrite, evidence, neighbours, extractive)
        if not result.answered:
            return result
        min_yes = self._policy.check_min_yes_off_terms
        return self._judged(rewrite, result, min_yes, stands_unjudged=False)

    def _judged(
        self, rewrite: Rewrite, result: Answer, min_yes: float, stands_unjudged: bool
    ) -> Answer:
        """`result` if the judge's share of "yes" on its citations reaches `min_yes` (or, with
        `stands_unjudged`, when no second look can be had), else declined."""
        quotes = [self._quote(c.quote, c.article) for c in result.citations]
        answer = _MARKERS.sub("", result.answer).strip()
        yes = self._second_look(rewrite, answer, quotes)
        if (yes is None and stands_unjudged) or (yes is not None and yes >= min_yes):
            log.info("answer stands after a second look (yes %s): %r", yes, answer[:80])
            return result
        log.info("answer not confirmed on a second look (yes %s): %r", yes, answer[:80])
        declined = self._declined()
        declined.prompt_tokens = result.prompt_tokens
        return declined

    def _quote(self, text: str, article: Article | None) -> Quote:
        """`text` of `article`, with what places it (its headline and publication date)."""
        if article is None:
            return Quote(text)
        headline = (article.title or "").strip()
        return Quote(text, headline, self._retriever.published_words(article.id) or "")

    def _second_look(self, rewrite: Rewrite, answer: str, quotes: Sequence[Quote]) -> float | None:
        """How surely the judge, shown only the sentences an answer rests on (`quotes`, with
        their headlines and dates), says they state `answer` as the answer to the question
        (`rewrite.for_model`, after a follow-up's earlier question): its share of "yes"
        against "no" as the next token. None without a judge, or when the server gives no
        log-probabilities or fails (the answer is then judged without it).

        Why: a model's answer is often a near-miss (the killed for "how many were injured",
        electoral votes for popular votes), and a lexical check on the question's terms cannot
        tell those from paraphrases. Qwen2.5-1.5B judging its own answers, against the term
        check as a veto (docs/evaluation.md, real eval runs): general_blind 37 -> 49 of 60
        answered right, its unanswerable set 7 -> 9 of 12 declined."""
        if self._judge is None:
            return None
        try:
            with self._gate:
                messages = build_check_messages(rewrite.for_model, answer, quotes, rewrite.earlier)
                return self._judge.yes_probability(messages)
        except (UpstreamError, Overloaded) as exc:
            log.warning("LLM second look unavailable: %s", exc)
            return None

    def _extractive(
        self,
        evidence: list[ScoredSentence],
        degraded: bool,
        neighbours: Sequence[ScoredSentence] = (),
    ) -> Answer:
        """The best evidence sentence and, in article order, either a sentence (of any article)
        scoring nearly as well, or else its neighbours when only they hold the kind of answer
        asked for (`fitting_neighbours`), or else the best other evidence sentence of the same
        article (news answers often sit next to the lede that matched)."""
        best = evidence[0]
        close = self._policy.second_sentence_ratio * best.score
        near = next((e for e in evidence[1:] if e.score >= close), None)
        if near is None and neighbours:
            chosen = sorted([best, *neighbours], key=lambda e: e.sentence.start)
            return self._extractive_answer(chosen, degraded)
        second = near or next(
            (
                e
                for e in evidence[1:]
                if e.sentence.article_id == best.sentence.article_id
                and e.score >= self._policy.same_article_ratio * best.score
            ),
            None,
        )
        chosen = [best] if second is None else [best, second]
        if second is not None and second.sentence.article_id == best.sentence.article_id:
            chosen.sort(key=lambda e: e.sentence.start)
        return self._extractive_answer(chosen, degraded)

    def _extractive_answer(self, chosen: Sequence[ScoredSentence], degraded: bool) -> Answer:
        citations = self._citations([e.sentence for e in chosen])
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        return Answer(text, True, citations, EXTRACTIVE_MODEL, degraded, {}, grounds=list(chosen))

    def _citations(self, sentences: Sequence[Sentence]) -> list[Citation]:
        """Citations whose quotes are re-verified against the stored article text."""
        citations: list[Citation] = []
        for sentence in sentences:
            article = self._get_article(sentence.article_id)
            if article is None:
                continue
            span = verify_quote(article.text, sentence.text, sentence.start, sentence.end)
            if span is None:
                continue
            start, end = span
            citations.append(
                Citation(len(citations) + 1, article, article.text[start:end], start, end)
            )
        return citations

    def _similarities(self, query_vector: np.ndarray, sentences: Sequence[Sentence]) -> list[float]:
        vectors = self._sentence_vectors.vectors([s.text for s in sentences], self._embedder.embed)
        return [float(v @ query_vector) for v in vectors]

    def forget(self) -> None:
        """Drop cached sentence vectors (after the corpus changed)."""
        self._sentence_vectors.clear()

    def _model_name(self) -> str:
        return self._chat.name if self._chat else EXTRACTIVE_MODEL


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
