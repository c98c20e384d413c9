// Newsdesk reading page: ask, watch the answer stream in, open a citation's quote in its article.
// Plain JS, no build step, no network beyond this server.
"use strict";

const MAX_HISTORY_TURNS = 20;

const state = {
  history: [], // [{role, content}] of answered turns, sent with each follow-up
  articles: new Map(), // id -> article with text, fetched on first open
  busy: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

// --- the server ---------------------------------------------------------------------------

class ApiError extends Error {}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body.detail || body.error?.message || `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" } });
  } catch (err) {
    throw new ApiError(`Could not reach Newsdesk (${err.message}).`);
  }
  if (!response.ok) throw new ApiError(await errorMessage(response));
  return response.json();
}

// Server-sent events from a fetch response (EventSource cannot POST).
async function* sseEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

// The reader's own day: "this week" in a question means the week before it.
function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function askStreaming(question, history, handlers) {
  let response;
  try {
    response = await fetch("/ask", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question, history, as_of: today(), stream: true }),
    });
  } catch (err) {
    throw new ApiError(`Could not reach Newsdesk (${err.message}).`);
  }
  if (!response.ok) throw new ApiError(await errorMessage(response));
  for await (const { event, data } of sseEvents(response)) {
    if (event === "delta") handlers.delta(data.text);
    else if (event === "citations") handlers.citations(data.citations);
    else if (event === "done") return data;
    else if (event === "error") throw new ApiError(data.detail || "The answer failed.");
  }
  throw new ApiError("The answer stream ended before it was complete.");
}

// --- the conversation ---------------------------------------------------------------------

function formatDate(iso) {
  if (!iso) return null;
  const date = new Date(`${iso}T00:00:00`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

function articleLabel(a) {
  return a.title || a.article_id || a.id;
}

function metaLine(a) {
  return [a.source, formatDate(a.published_at)].filter(Boolean).join(" · ") || "source unknown";
}

// The answer text with each [n] marker turned into a button that opens citation n.
function renderAnswer(container, text, citationsByN) {
  container.replaceChildren();
  const parts = text.split(/(\[\d+\])/);
  for (const part of parts) {
    const match = /^\[(\d+)\]$/.exec(part);
    const citation = match && citationsByN.get(Number(match[1]));
    if (citation) {
      container.append(
        el(
          "button",
          {
            type: "button",
            class: "cite-marker",
            title: `Open source ${citation.n}: ${articleLabel(citation)}`,
            dataset: { n: String(citation.n) },
            onclick: (e) => openCitation(citation, e.currentTarget.closest(".turn")),
          },
          `[${citation.n}]`,
        ),
      );
    } else if (part) {
      container.append(document.createTextNode(part));
    }
  }
}

function renderCitations(list, citations) {
  list.replaceChildren(
    ...citations.map((c) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: "citation",
            dataset: { n: String(c.n), articleId: c.article_id },
            onclick: (e) => openCitation(c, e.currentTarget.closest(".turn")),
          },
          el("span", { class: "citation-n" }, `[${c.n}]`),
          el(
            "span",
            { class: "citation-body" },
            el("span", { class: "citation-title" }, articleLabel(c)),
            el("span", { class: "meta" }, metaLine(c)),
            el("q", { class: "citation-quote" }, c.quote),
          ),
        ),
      ),
    ),
  );
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function ask(question) {
  const conversation = $("conversation");
  conversation.querySelector(".intro")?.remove();
  conversation.append(el("li", { class: "turn user" }, question));

  const text = el("p", { class: "answer-text" });
  const citationList = el("ol", { class: "citations", "aria-label": "Sources" });
  const notes = el("div", { class: "notes" });
  const turn = el(
    "li",
    { class: "turn assistant", dataset: { state: "streaming" }, "aria-busy": "true" },
    text,
    citationList,
    notes,
  );
  conversation.append(turn);
  turn.scrollIntoView({ block: "nearest" });

  let answerText = "";
  let citations = [];
  const history = state.history.slice(-MAX_HISTORY_TURNS);
  try {
    const done = await askStreaming(question, history, {
      delta(piece) {
        answerText += piece;
        text.textContent = answerText;
      },
      citations(list) {
        citations = list;
      },
    });
    renderAnswer(text, answerText, new Map(citations.map((c) => [c.n, c])));
    renderCitations(citationList, citations);
    if (!done.answered) {
      turn.dataset.state = "declined";
      notes.append(
        el(
          "p",
          { class: "notice not-found", role: "status" },
          el("strong", {}, "Not in the articles. "),
          "None of the stored articles supports an answer to this question, so Newsdesk " +
            "does not guess. Try rephrasing it, or ask about something the articles cover.",
        ),
      );
    } else {
      turn.dataset.state = "done";
      state.history.push({ role: "user", content: question });
      state.history.push({ role: "assistant", content: answerText });
      if (done.degraded) {
        notes.append(
          el(
            "p",
            { class: "notice degraded" },
            "This answer quotes the best evidence directly: the language model was not " +
              "asked, or its answer could not be checked against the articles.",
          ),
        );
      }
    }
    const t = done.timings_ms;
    notes.append(
      el(
        "p",
        { class: "meta timings" },
        `First words after ${seconds(t.first_token)}, complete in ${seconds(t.total)}` +
          (done.model ? ` · ${done.model}` : ""),
      ),
    );
  } catch (err) {
    turn.dataset.state = "error";
    if (!answerText) text.remove();
    notes.append(
      el(
        "p",
        { class: "notice error", role: "alert" },
        el("strong", {}, "Something went wrong. "),
        err instanceof ApiError ? err.message : `Unexpected error: ${err.message}`,
      ),
    );
  } finally {
    turn.removeAttribute("aria-busy");
    turn.scrollIntoView({ block: "nearest" });
  }
}

// --- the article reader -------------------------------------------------------------------

async function loadArticle(id) {
  if (!state.articles.has(id)) {
    state.articles.set(id, await getJson(`/articles/${encodeURIComponent(id)}`));
  }
  return state.articles.get(id);
}

// Offsets count Unicode code points (Python), not UTF-16 units (JS): slice by code point.
function renderArticleText(container, text, start, end) {
  container.replaceChildren();
  if (start === undefined) {
    container.textContent = text;
    return null;
  }
  const points = Array.from(text);
  const mark = el("mark", { id: "highlight" }, points.slice(start, end).join(""));
  container.append(points.slice(0, start).join(""), mark, points.slice(end).join(""));
  return mark;
}

async function openArticle(id, span) {
  const reader = $("reader");
  const body = $("reader-text");
  reader.hidden = false;
  $("reader-title").textContent = "Loading…";
  $("reader-meta").textContent = "";
  body.replaceChildren();
  try {
    const article = await loadArticle(id);
    $("reader-title").textContent = article.title || article.id;
    $("reader-meta").replaceChildren(
      metaLine(article),
      article.url ? " · " : "",
      article.url ? el("a", { href: article.url, rel: "noopener" }, "original") : "",
    );
    const mark = renderArticleText(body, article.text, span?.start, span?.end);
    reader.dataset.articleId = article.id;
    if (mark) {
      mark.scrollIntoView({ block: "center" });
    } else {
      body.scrollTop = 0;
      reader.scrollIntoView({ block: "start" });
    }
  } catch (err) {
    $("reader-title").textContent = "Could not open the article";
    body.replaceChildren(el("p", { class: "notice error", role: "alert" }, err.message));
  }
}

function openCitation(citation, turn) {
  document
    .querySelectorAll(".citation.active, .cite-marker.active")
    .forEach((node) => node.classList.remove("active"));
  turn
    ?.querySelectorAll(`[data-n="${citation.n}"]`)
    .forEach((node) => node.classList.add("active"));
  return openArticle(citation.article_id, citation);
}

async function loadCatalogue() {
  const status = $("articles-status");
  try {
    const articles = await getJson("/articles");
    const list = $("articles");
    list.replaceChildren(
      ...articles.map((a) =>
        el(
          "li",
          {},
          el(
            "button",
            { type: "button", class: "article-link", onclick: () => openArticle(a.id) },
            el("span", { class: "article-title" }, a.title || a.id),
            el("span", { class: "meta" }, metaLine(a)),
          ),
        ),
      ),
    );
    status.textContent = articles.length
      ? `${articles.length} article${articles.length === 1 ? "" : "s"}`
      : "No articles yet.";
  } catch (err) {
    status.textContent = `Could not load the articles: ${err.message}`;
    status.classList.add("error-text");
  }
}

// --- wiring -------------------------------------------------------------------------------

function setBusy(busy) {
  state.busy = busy;
  $("ask-button").disabled = busy;
  $("ask-button").textContent = busy ? "Answering…" : "Ask";
}

document.addEventListener("DOMContentLoaded", () => {
  const form = $("ask-form");
  const input = $("question");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || state.busy) return;
    input.value = "";
    setBusy(true);
    try {
      await ask(question);
    } finally {
      setBusy(false);
      input.focus();
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  $("new-conversation").addEventListener("click", () => {
    state.history = [];
    $("conversation").replaceChildren();
    input.focus();
  });
  $("reader-close").addEventListener("click", () => {
    $("reader").hidden = true;
  });
  loadCatalogue();
});
