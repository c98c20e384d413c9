"""Title, source and date extraction from raw text: found when stated, None otherwise."""

import pytest

from index.metadata import extract_date, extract_source, extract_title, normalize_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" date 2025-02-05 US President Donald Trump said ...", "2025-02-05"),
        ("2024-11-30\n\nZelensky said ...", "2024-11-30"),
        ("Published: February 5, 2025\nText", "2025-02-05"),
        ("Updated on 8 Feb 2025 - Zelensky said ...", "2025-02-08"),
        ("Zelensky on Saturday (Feb 8) stressed that ...", None),  # no year: unknown
        ("date 2025-02-31 impossible", None),
        ("Nothing dated here. " * 30 + "date 2025-02-05", None),  # not a dateline
    ],
)
def test_dates_come_from_datelines_with_a_year_only(raw, expected):
    assert extract_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "MENAFN - UkrinForm) He said this in an interview with Fox News, Ukrinform reports.",
            "UkrinForm",
        ),
        ("Text.\n\nThis post appeared first on cnn.com", "cnn.com"),
        ("KYIV, Feb 5 (Reuters) - Ukraine said ...", "Reuters"),
        ('Trump said talks were "very constructive", UNN reports citing Voice of America.', "UNN"),
        ("Ukrainian President Volodymyr Zelensky said on Tuesday (Feb 4) that ...", None),
    ],
)
def test_sources_come_from_explicit_attributions(raw, expected):
    assert extract_source(raw) == expected


@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        (
            "Zelensky wants to ‘work directly’ with Trump\n\nUkrainian President ...",
            "Zelensky wants to ‘work directly’ with Trump",
        ),
        ("Is peace near? Analysts doubt it\n\nText.", "Is peace near? Analysts doubt it"),
        ("He said this in an interview with Fox News.\n\nMore text.", None),  # a sentence
        ("Short headline without a following paragraph", None),
        ("Details\n\nText.", None),  # one word is a label, not a headline
        ("lowercase start is not a headline\n\nText.", None),
        ("A very long first line " * 10 + "\n\nText.", None),
    ],
)
def test_titles_are_short_first_lines_that_are_not_sentences(clean, expected):
    assert extract_title(clean) == expected


def test_dates_are_validated_iso_8601():
    assert normalize_date("2023-11-21T16:30:00+00:00") == "2023-11-21T16:30:00+00:00"
    assert normalize_date("2023-11-21T16:30:00Z") == "2023-11-21T16:30:00+00:00"
    assert normalize_date("2023-11-21") == "2023-11-21"
    with pytest.raises(ValueError, match="ISO 8601"):
        normalize_date("Nov 21, 2023")
