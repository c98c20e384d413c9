"""Boilerplate removal: page furniture goes, article text stays verbatim."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.cleaning import clean_text, is_boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Advertisment",
        "Advertisement",
        "ADVERTISEMENT - scroll to continue",
        "Also read: ‘Won't be kind to him’: Zelensky open to talks",
        "Read more: Another story",
        "Pinterest LinkedIn Tumblr",
        "Facebook Twitter WhatsApp Email",
        "Share this article",
        "Latest News",
        "This post appeared first on cnn.com",
        "Photo: Office of the President of Ukraine",
        "(Photo: Reuters)",
        "Sign up for our daily newsletter",
        "© 2025 Metro Daily",
        "All rights reserved.",
    ],
)
def test_page_furniture_is_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "He said this in an interview with Fox News, Ukrinform reports.",
        "Zelensky demands structured path towards NATO membership",
        "The photo showed the destroyed bridge.",
        "Readers shared the article on Facebook and Twitter, the paper said.",
        "Details",
        "date 2025-02-05 US President Donald Trump said that talks were constructive.",
        # Credit lines say who reported the story: article text, not furniture.
        "Maria Kostenko contributed to this report.",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "(With inputs from agencies)",
    ],
)
def test_article_text_is_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_wire_tag_at_the_start_is_removed_and_the_sentence_kept():
    raw = "MENAFN - UkrinForm) He said this in an interview.\n\nPhoto: Office of the President"
    assert clean_text(raw) == "He said this in an interview."


def test_invisible_characters_and_odd_whitespace_are_normalised():
    raw = "\ufeffHe\u00a0said\u200b “yes”.\r\n\r\n\r\n\tEnd."
    assert clean_text(raw) == "He said “yes”.\n\nEnd."


line = st.text(alphabet=st.sampled_from("abcXYZ .,:;()-'\"©|0123456789"), max_size=40)
ad_line = st.sampled_from(["Advertisement", "Also read: x", "Latest News", "Photo: AP"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(line, ad_line), max_size=14))
def test_cleaning_keeps_an_ordered_subset_of_the_input_lines(lines):
    raw = "\n".join(lines)
    clean = clean_text(raw)
    assert "\n\n\n" not in clean and clean == clean.strip()
    kept = [x for x in clean.split("\n") if x]
    stripped = iter(x.strip() for x in lines)
    assert all(any(x == y for y in stripped) for x in kept)  # a subsequence, verbatim
    assert not any(is_boilerplate(x) for x in kept)
    assert clean_text(clean) == clean
