from rag.evidence import (
    answer_type_fits,
    asks_for_a_city,
    asks_for_a_person,
    asks_for_quantity,
    candidate_sentences,
    cities_new_to,
    counts_what_is_asked,
    figure_contexts,
    fitting_neighbours,
    mentions_what_is_counted,
    names_a_city_if_asked,
    names_a_person_if_asked,
    names_all,
    names_new_to,
    person_names_new_to,
    quotes_a_quantity_if_asked,
    score_sentences,
    term_coverage,
)
from rag.places import Gazetteer, city_names, hash_table
from rag.terms import counted_terms, focus_terms, shares_stem, term_matches
from rag.types import Chunk, ScoredChunk, Sentence

TEXT = "Zelensky spoke to Sky News. Russia lost 400,000 soldiers. Talks go on."


def test_candidates_have_absolute_offsets_and_are_unique():
    a = Chunk("a:0", "a", TEXT[:58], 0, 58)
    b = Chunk("a:1", "a", TEXT[28:], 28, len(TEXT))
    cands = candidate_sentences([ScoredChunk(a, 1.0), ScoredChunk(b, 0.5)])
    assert [TEXT[s.start : s.end] == s.text for s, _ in cands] == [True] * len(cands)
    assert len({s.start for s, _ in cands}) == len(cands) == 3


def test_answer_type_needs_a_number_or_time():
    assert not answer_type_fits("How many tanks were sent?", "Tanks were sent.")
    assert answer_type_fits("How many tanks were sent?", "They sent 31 tanks.")
    assert not answer_type_fits("When did he speak?", "He spoke to reporters.")
    assert answer_type_fits("When did he speak?", "He spoke on Tuesday.")
    assert not answer_type_fits("In which month did it start?", "It started with shelling.")


def test_name_questions_need_a_name_the_question_lacks():
    question = "Which TV network interviewed Zelensky about Putin?"
    assert not answer_type_fits(question, "Zelensky said on Monday he does not trust Putin.")
    assert answer_type_fits(question, "In an interview with Fox News, Zelensky said so.")
    assert names_new_to(question, "Zelenskyy told Fox News.") == ["Fox", "News"]
    # questions that do not ask for a name are left alone
    assert answer_type_fits("Which two adjectives did he use?", "intelligent and experienced")


def test_variant_spellings_match():
    assert term_matches("zelenskyy", {"zelensky"})
    assert term_matches("volodymir", {"volodymyr"})
    assert not term_matches("china", {"russia", "ukraine"})


def test_scoring_prefers_covered_and_similar_sentences():
    a = Chunk("a:0", "a", TEXT, 0, len(TEXT))
    cands = candidate_sentences([ScoredChunk(a, 1.0)])
    ranked = score_sentences("How many soldiers did Russia lose?", cands, [0.3, 0.6, 0.2])
    assert ranked[0].sentence.text == "Russia lost 400,000 soldiers."
    assert term_coverage("Russia soldiers", "Russia lost soldiers") == 1.0


def test_numbers_in_words_and_figure_questions_count():
    question = "How many soldiers were destroyed?"
    assert answer_type_fits(question, "We are talking about hundreds of soldiers.")
    assert answer_type_fits(question, "Two dozen soldiers were lost.")
    assert not answer_type_fits(question, "Soldiers returned to the front.")
    assert not answer_type_fits("What figure did Trump give?", "Trump spoke at length.")
    assert answer_type_fits("What figure did Trump give?", "Trump said 800,000.")


ARTICLE = (
    "He said this in an interview with Fox News. "
    "When asked about peace, he replied that he does not see it. "
    "He went on to discuss the war."
)


def _ranked(question: str, sims: list[float]):
    chunk = Chunk("a:0", "a", ARTICLE, 0, len(ARTICLE))
    return score_sentences(question, candidate_sentences([ScoredChunk(chunk, 1.0)]), sims)


def test_a_neighbour_holding_the_missing_name_is_found():
    question = "In which network's interview did he say he does not see peace?"
    ranked = _ranked(question, [0.2, 0.9, 0.3])
    best = ranked[0]
    assert best.sentence.text.startswith("When asked about peace")
    found = fitting_neighbours(question, best, ranked)
    assert [s.sentence.text for s in found] == ["He said this in an interview with Fox News."]


def test_no_neighbours_when_the_best_sentence_fits_or_none_does():
    ranked = _ranked("Which network interviewed him?", [0.9, 0.2, 0.3])
    assert fitting_neighbours("Which network interviewed him?", ranked[0], ranked) == []
    question = "How many soldiers did he say were lost?"
    ranked = _ranked(question, [0.2, 0.9, 0.3])
    assert fitting_neighbours(question, ranked[0], ranked) == []


def test_when_inside_a_question_is_a_conjunction_not_a_time_question():
    question = "Which city did he say he would avoid when asked about a meeting?"
    assert answer_type_fits(question, "He said he would not go to Kyiv.")
    assert not answer_type_fits("When did he speak?", "He spoke to reporters.")
    assert not answer_type_fits("Since when has he led?", "He leads the party.")


def test_when_heading_the_question_after_a_premise_asks_for_a_time():
    question = "The Kings ended a long playoff drought. When did they last make the postseason?"
    assert asks_for_quantity(question)
    assert not answer_type_fits(question, "They beat the Blazers at home.")
    assert answer_type_fits(question, "They last reached the playoffs in 2006.")
    assert not asks_for_quantity("Fans cheered when the Kings won. Who coached them?")


def test_a_run_of_capitalised_words_is_one_name():
    question = "Which city did Trump name for the meeting?"
    assert names_new_to(question, "US President Donald Trump said he would meet him.") == []
    assert names_new_to(question, "Asked about it, he named Washington.") == [
        "Asked",
        "Washington",
    ]
    assert names_new_to(question, "He said so in a post on X.") == []


def test_a_possessive_ends_a_name():
    question = "In which Russian region did North Korean troops return to the front?"
    assert names_new_to(question, "They returned to Russia's Kursk region.") == ["Kursk"]
    assert answer_type_fits(question, "Russia's Kursk region")


def test_a_sentence_opening_with_a_pronoun_is_covered_with_the_one_before():
    text = "On Friday, Putin threatened Ukraine. He also praised Trump as experienced."
    chunk = Chunk("a:0", "a", text, 0, len(text))
    cands = candidate_sentences([ScoredChunk(chunk, 1.0)])
    ranked = score_sentences("How did Putin describe Trump?", cands, [0.5, 0.5])
    praised = next(r for r in ranked if r.sentence.text.startswith("He also"))
    alone = term_coverage("How did Putin describe Trump?", praised.sentence.text)
    assert praised.coverage > alone
    assert ranked[0] is praised


def test_a_quote_attributed_to_a_pronoun_at_its_end_is_covered_with_the_one_before():
    text = (
        "Zelensky told Sky News that allies must equip more brigades. "
        "The eastern front \u201cdepends on brigades\u201d and air defense, he added."
    )
    chunk = Chunk("a:0", "a", text, 0, len(text))
    cands = candidate_sentences([ScoredChunk(chunk, 1.0)])
    question = "What does Zelensky tell Sky News the eastern front depends on?"
    ranked = score_sentences(question, cands, [0.5, 0.5])
    added = next(r for r in ranked if r.sentence.text.endswith("he added."))
    assert added.coverage > term_coverage(question, added.sentence.text)
    # "Trump said he would go" names its speaker: nothing is borrowed from before.
    plain = "Moscow was quiet. Trump said he would go to the front."
    chunk = Chunk("b:0", "b", plain, 0, len(plain))
    ranked = score_sentences(
        "Where would Trump go?", candidate_sentences([ScoredChunk(chunk, 1.0)]), [0.5, 0.5]
    )
    said = next(r for r in ranked if r.sentence.text.startswith("Trump"))
    assert said.coverage == term_coverage("Where would Trump go?", said.sentence.text)


def test_what_a_how_many_question_counts():
    assert counted_terms("How many drones has Ukraine produced this year?") == ["drones"]
    assert counted_terms("How many F-16 fighter jets has Ukraine received?") == ["fighter", "jets"]
    # Capitalised words say whose, not what.
    assert counted_terms("How many Ukrainian soldiers are missing in action?") == ["soldiers"]
    assert counted_terms("How much military aid has Germany given Ukraine?") == ["military", "aid"]
    # Nothing is counted by name.
    assert counted_terms("How much did Microsoft pay for Activision Blizzard?") == []
    assert counted_terms("Who is the White House National Security Advisor?") == []
    # A rate names no thing counted.
    assert counted_terms("And how many each month?") == []
    assert counted_terms("How many per day did it fire?") == []


def test_evidence_must_name_what_is_counted():
    soldiers = ["They are increasing their army by more than a hundred thousand soldiers."]
    assert not mentions_what_is_counted("How many drones has Ukraine produced this year?", soldiers)
    assert mentions_what_is_counted("How many soldiers has Russia lost this year?", soldiers)
    # Near spellings and plurals count; a question that counts nothing by name passes.
    assert mentions_what_is_counted("How many soldier deaths?", soldiers)
    assert mentions_what_is_counted("How much did Russia spend?", soldiers)


def test_a_figure_is_read_with_the_words_beside_it_in_its_clause():
    quake = "Thousands of buildings collapsed across 11 Turkish provinces, and 55,000 died."
    assert figure_contexts(quake) == [
        ("Thousands", "Thousands of buildings collapsed across 11"),
        ("11", "buildings collapsed across 11 Turkish provinces"),
        ("55,000", "and 55,000 died."),
    ]
    # A figure in brackets annotates the words before the bracket; ordinals are figures.
    albums = "the most studio albums by a female singer (65), the longest span (43 years)"
    assert figure_contexts(albums)[0] == ("65", "the most studio albums by a female singer 65")
    assert figure_contexts("its fifth national title")[0] == ("fifth", "its fifth national title")


def test_a_figure_answers_how_many_only_if_it_counts_what_is_asked():
    quake = ["The quake hit 11 Turkish provinces, killing about 20,000 people."]
    assert not counts_what_is_asked("How many buildings collapsed in Syria?", quake)
    assert counts_what_is_asked("How many provinces were hit?", quake)
    # News's own words for the dead stand for each other.
    assert counts_what_is_asked("How many casualties were there?", quake)
    assert not counts_what_is_asked("How many soldiers were hurt?", ["It hurt many. 9 cities."])
    # "People" names no particular thing counted.
    toll = ["The death toll climbed above 17,000 in the following weeks."]
    assert counts_what_is_asked("How many people died in the earthquake?", toll)
    # Every word naming what is counted: electoral votes are not popular votes.
    votes = ["Obama won 365 electoral votes."]
    assert counts_what_is_asked("How many electoral votes did Obama win?", votes)
    assert not counts_what_is_asked("How many popular votes did Obama receive?", votes)
    # A question that counts nothing by name passes; so does a sum of money.
    assert counts_what_is_asked("How much did Microsoft pay?", ["It paid a lot."])
    assert counts_what_is_asked("How much money did Aramco raise?", ["It raised $25.6 billion."])


def test_a_figure_counts_the_noun_it_is_put_to():
    quake = ["Thousands of buildings collapsed across 11 Turkish provinces."]
    assert not counts_what_is_asked("How many buildings collapsed in Syria?", quake, "11")
    assert counts_what_is_asked("How many buildings collapsed in Syria?", quake, "thousands")
    assert counts_what_is_asked("How many provinces were hit?", quake, "11")
    # A measure of what is counted; people in general; the dead, whoever they were.
    grain = ["Odesa handled 3 million tonnes of grain in January."]
    assert counts_what_is_asked("How much grain did Odesa handle?", grain)
    crowd = ["Police said 40,000 people marched."]
    assert counts_what_is_asked("How many marchers did police count?", ["40,000 marchers."])
    assert counts_what_is_asked("How many people marched?", crowd)
    factory = ["The building caved in, killing more than 1,100 workers."]
    assert counts_what_is_asked("How many casualties were there?", factory)
    assert not counts_what_is_asked("How many casualties were there?", ["It hired 1,100 workers."])


def test_people_are_counted_by_what_befell_them():
    quake = ["The earthquake struck Gujarat, killing about 20,000 people."]
    assert not counts_what_is_asked("How many people were injured in the earthquake?", quake)
    assert counts_what_is_asked("How many people were killed in the earthquake?", quake)
    assert counts_what_is_asked("How many people were injured?", ["It injured 300 people."])
    # A count named by its own noun keeps to the noun.
    lost = ["We lost hundreds of soldiers."]
    assert counts_what_is_asked("How many soldiers had been destroyed?", lost)


def test_an_answers_own_figure_must_count_what_is_asked():
    losses = ["Trump said there are 700,000 dead soldiers and 30 ruined cities."]
    question = "How many cities were ruined?"
    assert counts_what_is_asked(question, losses, "30")
    assert not counts_what_is_asked(question, losses, "700,000")
    assert counts_what_is_asked(question, losses)


def test_what_is_counted_matches_by_stem_not_by_spelling():
    drones = ["It's a real fact. Thanks to drones, we record everything."]
    assert not mentions_what_is_counted("How many tanks has Russia lost?", drones)
    assert mentions_what_is_counted("How many drone strikes were there?", drones)
    assert shares_stem("soldier", {"soldiers"}) and shares_stem("tanks", {"tanks"})
    assert not shares_stem("tanks", {"thanks"})
    assert not shares_stem("2024", {"2025"})


def test_a_quantity_question_needs_a_quoted_figure():
    jets = ["Ukraine's allies needed to provide more fighter jets."]
    assert not quotes_a_quantity_if_asked("How many fighter jets has the US given?", jets)
    assert quotes_a_quantity_if_asked("How many fighter jets?", ["They sent 24 jets."])
    assert quotes_a_quantity_if_asked("How many troops?", ["more than a hundred thousand"])
    assert quotes_a_quantity_if_asked("Which jets did the US give?", jets)
    assert not quotes_a_quantity_if_asked("What is the population of Kyiv?", ["It is big."])
    # "When" wants a time.
    talks = ["Preparations are underway for a potential meeting."]
    assert not quotes_a_quantity_if_asked("When will Trump meet Putin?", talks)
    assert quotes_a_quantity_if_asked("When will they meet?", ["They meet on Tuesday."])
    assert quotes_a_quantity_if_asked("When will they meet?", ["They meet in February 2025."])
    # "What date" wants a date: a weekday or "next week" is not one.
    soon = ['He said he would "probably" meet Zelensky next week, on Friday.']
    assert not quotes_a_quantity_if_asked("On what exact date did they meet?", soon)
    assert quotes_a_quantity_if_asked("On what date did they meet?", ["They met on Feb 4."])
    assert quotes_a_quantity_if_asked("On what date did he say it?", ["date 2025-02-05 He said"])


def test_the_military_is_counted_in_words_of_its_own():
    army = ["They are increasing their army by more than a hundred thousand soldiers."]
    assert mentions_what_is_counted("By how many troops is Russia enlarging its army?", army)
    assert mentions_what_is_counted("How many servicemen did Russia lose?", ["31,000 troops"])
    # Only for the military: a figure for soldiers still counts no tanks or drones.
    assert not mentions_what_is_counted("How many tanks did Russia lose?", army)


def test_the_dead_and_money_are_counted_in_words_of_their_own():
    collapse = ["The building collapsed and more than 1,100 people were killed."]
    assert mentions_what_is_counted("How many casualties were there?", collapse)
    assert mentions_what_is_counted("How many lives were lost?", ["852 people died."])
    sinking = ["The ferry sank in a storm, killing 852 people."]
    assert mentions_what_is_counted("How many lives were lost?", sinking)
    assert mentions_what_is_counted("How many deaths?", ["Floods kill dozens."])
    listing = ["Aramco raised $25.6 billion.", "It sold 1.5 percent of its shares."]
    assert mentions_what_is_counted("How much money did Aramco raise?", listing)
    assert mentions_what_is_counted("How much money was pledged?", ["They pledged 40 euros."])
    # A figure that is neither a death count nor an amount of money still does not answer.
    assert not mentions_what_is_counted("How many casualties were there?", ["It has 8 floors."])
    assert not mentions_what_is_counted("How much money did Aramco raise?", listing[1:])


def test_questions_asking_for_a_person():
    assert asks_for_a_person("What is the name of the Sky News journalist who interviewed him?")
    assert asks_for_a_person("Which TV host did Zelensky speak to?")
    assert not asks_for_a_person("Which country will host the Olympics?")  # a verb
    assert asks_for_a_person("What is the name of North Korea's leader?")
    assert asks_for_a_person("Which Israeli leader held a press conference with Trump?")
    assert asks_for_a_person("Which Ukrainian official, described as chief of staff, spoke?")
    # "official" and "chief" are adjectives here; "who" may be a country or an alliance.
    assert not asks_for_a_person("What official fatality figure was adopted?")
    assert not asks_for_a_person("Which chief concern did he raise?")
    assert not asks_for_a_person("Who must be at the talks besides Ukraine and Russia?")


def test_a_person_is_a_written_out_name_the_question_lacks():
    question = "Which Israeli leader held a press conference with Trump?"
    text = "Trump spoke with Israeli Prime Minister Benjamin Netanyahu at the White House."
    assert "benjamin netanyahu" in person_names_new_to(question, text)
    assert "prime minister" not in person_names_new_to(question, text)  # a title
    korea = "What is the name of North Korea's leader?"
    soldiers = "We are talking about hundreds of Russian and North Korean soldiers."
    assert person_names_new_to(korea, soldiers) == []  # "North Korean" is the question's
    assert not names_a_person_if_asked(korea, [soldiers])
    assert names_a_person_if_asked(korea, [soldiers, "Kim Jong Un inspected the troops."])
    assert names_a_person_if_asked("How many soldiers?", [soldiers])  # asks for no person


CITIES = Gazetteer(
    lambda: hash_table(city_names(["Kyiv", "Vladimir", "New York", "Washington", "Moscow"]))
)


def test_questions_for_a_city_are_told_apart():
    assert asks_for_a_city("In which city was the meeting to be held?")
    assert asks_for_a_city("What is the capital of Australia?")
    assert asks_for_a_city("Which Ukrainian towns were shelled?")
    assert asks_for_a_city("What is the capital city of Australia?")
    assert asks_for_a_city("Which city hosted the summit?")
    assert not asks_for_a_city("Which country sold the weapons?")
    # "capital" and "city" that qualify another noun ask for no city.
    assert not asks_for_a_city("What capital requirements did regulators set?")
    assert not asks_for_a_city("Which city council voted against the plan?")
    assert not asks_for_a_city("Where did Zelensky say this?")


def test_a_city_is_a_whole_name_the_question_lacks():
    question = "In which city did Zelensky meet Trump?"
    assert cities_new_to(question, "They met in New York in September.", CITIES) == ["New York"]
    # A person's name is one run: "Vladimir Putin" is not the city of Vladimir.
    assert cities_new_to(question, "Vladimir Putin did not come.", CITIES) == []
    # Words that open a sentence are not part of the name; a possessive is not either.
    assert cities_new_to(question, "In Kyiv's centre, sirens sounded.", CITIES) == ["Kyiv"]
    # A city the question already names is not an answer to it.
    assert cities_new_to("Which city besides Moscow?", "Talks in Moscow.", CITIES) == []


def test_evidence_for_a_city_question_must_name_one():
    question = "In which city was the meeting between Trump and Putin to be held?"
    vague = "Preparations are underway for a potential meeting between Trump and Putin."
    assert not names_a_city_if_asked(question, [vague], CITIES)
    assert names_a_city_if_asked(question, [vague, "It could be Washington."], CITIES)
    assert names_a_city_if_asked("How many soldiers?", [vague], CITIES)  # asks for no city
    assert names_a_city_if_asked(question, [vague], None)  # no city names: no check


def test_a_sentence_about_another_year_loses_to_one_about_the_asked_year():
    question = "Who won the Wimbledon women's singles title in 2022?"
    wrong = Sentence("a", "Barbora Krejcikova won the 2024 Wimbledon women's singles title.", 0, 64)
    right = Sentence("b", "Elena Rybakina won the women's title in 2022.", 0, 45)
    undated = Sentence("c", "Barbora Krejcikova won the Wimbledon women's singles title.", 0, 59)
    ranked = score_sentences(question, [(wrong, 0), (right, 0), (undated, 0)], [0.8, 0.7, 0.8])
    order = [r.sentence.article_id for r in ranked]
    assert order.index("b") < order.index("a")
    # The same sentence without a year is not penalised: only naming another year is.
    scores = {r.sentence.article_id: r.score for r in ranked}
    assert round(scores["c"] - scores["a"], 6) == 0.15


def test_a_sentence_is_covered_by_its_articles_publication_date():
    question = "Who won the World Cup final on July 13, 2014?"
    said = "Germany won its fourth World Cup on Sunday, beating Argentina 1-0."
    other = Sentence("b", said, 0, len(said))
    candidates = [(Sentence("a", said, 0, len(said)), 0), (other, 0)]
    dates = {"a": "2014 july jul 13", "b": "2010 july jul 11"}
    ranked = score_sentences(question, candidates, [0.6, 0.6], published=dates.get)
    coverage = {r.sentence.article_id: r.coverage for r in ranked}
    assert coverage["a"] > coverage["b"]
    assert ranked[0].sentence.article_id == "a"
    # Without dates both read alike (the other story's month still counts for it), and the
    # text itself is what is quoted.
    plain = score_sentences(question, candidates, [0.6, 0.6])
    assert plain[0].coverage == plain[1].coverage < coverage["b"] < coverage["a"]
    assert all(r.sentence.text == said for r in ranked)


def test_evidence_comes_from_the_best_chunk_first():
    # A long quote in the top chunk scores lower against a short question than a sentence
    # of the third chunk; the rerank already read both chunks whole, so its order leads.
    quote = Sentence(
        "a", "“There must be the US, Europe, Ukraine and Russia,” he said on YouTube.", 0, 70
    )
    other = Sentence("b", "Zelensky spoke about talks with Putin in an interview.", 0, 54)
    question = "On what platform was the interview published?"
    ranked = score_sentences(question, [(quote, 0), (other, 2)], [0.40, 0.55])
    assert ranked[0].sentence is quote
    # A sentence of a lower chunk still leads when it is far better.
    ranked = score_sentences(question, [(quote, 0), (other, 1)], [0.05, 0.95])
    assert ranked[0].sentence is other
    # The old weight let the third chunk's sentence lead: the weight is what decides.
    ranked = score_sentences(question, [(quote, 0), (other, 2)], [0.40, 0.55], rank_weight=0.02)
    assert ranked[0].sentence is other


def test_the_evidence_must_hold_every_name_asked_for():
    russia = "Each month Russia loses 31,000 troops killed."
    assert names_all(set(), [russia])
    assert names_all({"russia"}, [russia])
    assert not names_all({"ukraine"}, [russia])
    assert names_all({"ukraine", "russia"}, [russia, "Ukraine has lost 45,100."])
    assert names_all({"us"}, ["U.S. support with air defense missiles is strong."])
    assert names_all({"zelenskyy"}, ["Zelensky said so."])  # spelling variants match


def test_focus_terms_name_what_is_asked_about():
    assert focus_terms("What is the weather forecast for Kyiv this weekend?") == {
        "weather",
        "forecast",
    }
    assert focus_terms("What was the population of Kyiv in 2020?") == {"population"}
    assert focus_terms("How many fighter jets has Ukraine received?") == {"fighter", "jets"}
    # Nothing is asked "about" in a who-did or when question's own words.
    assert focus_terms("Who won the 2018 World Cup?") == set()
    assert focus_terms("When did Trump meet Zelensky?") == set()
