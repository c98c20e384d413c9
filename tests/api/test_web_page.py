"""The page at `/` in a real browser: Debian's Chromium driven by Playwright, headless.

Never `playwright install` (it downloads a browser); the system Chromium is used as is.
The screenshot of an answered question with its highlighted quote is saved under
tests/artifacts/ (git-ignored) and its path printed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

QUESTION = "How many soldiers has Russia lost this year, according to Zelensky?"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("chromium is missing: `apt-get install -y chromium` (make test does this)")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url)
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto("/")
    yield page
    context.close()


def sse_payloads(body: str) -> dict[str, list]:
    """The data of each event in an SSE body, by event name."""
    events: dict[str, list] = {}
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.setdefault(fields.get("event", "message"), []).append(json.loads(fields["data"]))
    return events


def ask(page, question: str):
    """Type a question, submit it, and wait for the streamed answer; the /ask response."""
    with page.expect_response("**/ask") as response:
        page.fill("#question", question)
        page.press("#question", "Enter")
    page.wait_for_selector(".turn.assistant:last-child:not([data-state='streaming'])")
    return response.value


def test_ask_stream_click_citation_highlights_the_quote(page, live_url):
    from playwright.sync_api import expect

    articles = page.locator("#articles li")
    expect(articles).to_have_count(5)
    expect(articles.filter(has_text="Ukrinform")).to_have_count(1)
    expect(articles.filter(has_text="2025")).not_to_have_count(0)

    response = ask(page, QUESTION)
    events = sse_payloads(response.text())
    citation = events["citations"][0]["citations"][0]
    turn = page.locator(".turn.assistant").last
    expect(turn).to_have_attribute("data-state", "done")
    streamed = "".join(d["text"] for d in events["delta"])
    expect(turn.locator(".answer-text")).to_have_text(streamed)
    assert "400,000" in streamed
    expect(turn.locator(".timings")).to_contain_text("First words after")

    turn.locator('.citation[data-n="1"]').click()
    mark = page.locator("#reader-text mark#highlight")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    assert mark.text_content() == citation["quote"]
    text = page.request.get(f"{live_url}/articles/{citation['article_id']}").json()["text"]
    assert text[citation["start"] : citation["end"]] == citation["quote"]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "web_answer.png"
    page.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")

    follow_up = ask(page, "And how many did Ukraine lose?")
    posted = json.loads(follow_up.request.post_data)
    assert posted["as_of"] == page.evaluate("today()")  # the reader's day, ISO
    assert len(posted["as_of"]) == 10 and posted["as_of"][4] == "-"
    history = posted["history"]
    assert [t["role"] for t in history] == ["user", "assistant"]
    assert history[0]["content"] == QUESTION


def test_question_the_articles_do_not_answer_says_so(page):
    from playwright.sync_api import expect

    ask(page, "What is the capital of Australia?")
    turn = page.locator(".turn.assistant").last
    expect(turn).to_have_attribute("data-state", "declined")
    expect(turn.locator(".notice.not-found")).to_contain_text("Not in the articles")
    expect(turn.locator(".citation")).to_have_count(0)


def test_errors_are_shown_not_swallowed(page):
    from playwright.sync_api import expect

    page.route(
        "**/ask",
        lambda route: route.fulfill(
            status=502, json={"error": "UpstreamError", "detail": "the LLM server is down"}
        ),
    )
    ask(page, QUESTION)
    turn = page.locator(".turn.assistant").last
    expect(turn).to_have_attribute("data-state", "error")
    expect(turn.locator(".notice.error")).to_contain_text("the LLM server is down")

    page.unroute("**/ask")
    page.route("**/ask", lambda route: route.abort())
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    expect(page.locator(".turn.assistant").last.locator(".notice.error")).to_contain_text(
        "Could not reach Newsdesk"
    )
