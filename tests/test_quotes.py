"""Placing quoted words in a source text."""

from __future__ import annotations

import re

import pytest

from generator.format.quotes import ELLIPSIS, find_quote, normalise

SOURCE = (
    "Trump has characterized the discussions as fruitful, as he mentioned that the\n"
    "crucial agreements are in the \u2018final stages\u2019. Lavrov spoke of \u201cstate terrorism\u201d.\n"
    "The talks go on. Zelenskyy said: the talks go on."
)
TEXT = normalise(SOURCE)


def words_at(span):
    return SOURCE[span[0] : span[1]]


def test_straight_quote_matches_typographic_source():
    m = find_quote(TEXT, "the 'final stages'")
    assert m.problem == ""
    assert words_at(m.span) == "the \u2018final stages\u2019"


def test_typographic_quote_matches_straight_and_curly_double():
    m = find_quote(TEXT, "of \u201cstate terrorism\u201d")
    assert words_at(m.span) == "of \u201cstate terrorism\u201d"
    assert (
        words_at(find_quote(TEXT, 'of "state terrorism"').span) == "of \u201cstate terrorism\u201d"
    )


def test_line_break_inside_source_and_quote():
    m = find_quote(TEXT, "mentioned that the crucial\n   agreements")
    assert words_at(m.span) == "mentioned that the\ncrucial agreements"


def test_ambiguous_quote_asks_for_prefix_or_suffix():
    m = find_quote(TEXT, "talks go on")
    assert m.span is None
    assert m.problem == "the quote occurs 2 times in the source; add a prefix or suffix to pick one"


def test_prefix_picks_one_match():
    m = find_quote(TEXT, "the talks go on", prefix="Zelenskyy said:")
    start = SOURCE.rindex("the talks go on")
    assert m.span == (start, start + len("the talks go on"))


def test_suffix_picks_one_match():
    m = find_quote(TEXT, "talks go on", suffix=". Zelenskyy")
    assert m.span[0] == SOURCE.index("talks go on")


def test_wrong_prefix_is_reported():
    m = find_quote(TEXT, "talks go on", prefix="Putin said: the")
    assert m.problem == "the quote is in the source but not with this prefix; check the prefix"


def test_case_matters():
    assert find_quote(TEXT, "The Talks go on").span is None


def test_missing_quote_shows_closest_passage():
    m = find_quote(TEXT, "characterised the discussions as fruitful")
    assert m.span is None
    assert (
        m.problem
        == 'quote not found in the source; closest passage: "characterized the discussions as fruitful,"; '
        'it differs at "characterised", where the source has "characterized"'
    )


def test_an_ellipsis_matches_three_full_stops_both_ways():
    """Issue 15: "…" in the source did not match "..." typed by the editor."""
    source = "He paused\u2026 then said: wait... and see."
    text = normalise(source)
    m = find_quote(text, "paused... then")
    assert source[m.span[0] : m.span[1]] == "paused\u2026 then"
    m = find_quote(text, "wait\u2026 and see")
    assert source[m.span[0] : m.span[1]] == "wait... and see"
    m = find_quote(text, "said: wait\u2026")  # the highlight ends after the third full stop
    assert source[m.span[0] : m.span[1]] == "said: wait..."


@pytest.mark.parametrize(
    "typed",
    [
        "a 2025-2026 plan - signed",
        "a 2025\u20132026 plan \u2014 signed",
        "a 2025\u20112026 plan \u2212 signed",
    ],
)
def test_dashes_and_hyphens_match_each_other(typed):
    source = "It is a 2025\u20132026 plan \u2014 signed today."
    m = find_quote(normalise(source), typed)
    assert source[m.span[0] : m.span[1]] == "a 2025\u20132026 plan \u2014 signed"


@pytest.mark.parametrize(
    "quote, passage, difference",
    [
        (
            "state terrorist",
            'of "state terrorism". The',
            'it differs at "terrorist", where the source has "terrorism"',
        ),
        ("called it a lie", 'called it "a lie", and', ""),
        (
            "The talks went on",
            "The talks go on. Zelenskyy",
            'it differs at "went", where the source has "go"',
        ),
        (
            "the talks go on",
            "The talks go on. Zelenskyy",
            'it differs at "the", where the source has "The"',
        ),
        ("The talks on", "The talks go on. Zelenskyy", 'the quote leaves out "go" there'),
        ("The talks go so on", "The talks go on. Zelenskyy", 'the source has no "so" there'),
    ],
)
def test_the_closest_passage_never_begins_or_ends_on_a_quote_mark_and_says_where_it_differs(
    quote, passage, difference
):
    """Issue 15: the passage could start inside a quotation and end in a doubled quote mark ('"state terrorism""').
    The first place where the passage parts from the quote is named; the words the passage has around it are not."""
    m = find_quote(normalise(QUOTED_SOURCE), quote)
    said = f'quote not found in the source; closest passage: "{passage}"'
    assert m.problem == (f"{said}; {difference}" if difference else said)
    fix = re.fullmatch(r'it differs at "(.*)", where the source has "(.*)"', difference)
    if fix:  # the fix the message suggests: the source's words where the quote differs
        assert find_quote(normalise(QUOTED_SOURCE), quote.replace(*fix.groups())).span is not None


QUOTED_SOURCE = "Lavrov spoke of \u201cstate terrorism\u201d. The talks go on. Zelenskyy called it \u201ca lie\u201d, and left."


def test_offsets_survive_runs_of_white_space():
    text = normalise("a  \n\t b c")
    m = find_quote(text, "b c")
    assert m.span == (6, 9)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.format.quotes import _FOLD, normalise_words  # noqa: E402


def _words_as_specified(text: str) -> str:
    """The normal form of a quote's words, written out plainly: quote marks and dashes folded, white space
    runs as one space, three full stops as an ellipsis, trimmed."""
    return re.sub(r"\s+", " ", text.translate(_FOLD)).replace("...", ELLIPSIS).strip()


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("ab x\n\t\r\u00a0\u2009\u2019\u201c \u2014..\u2026"), max_size=40
    )
)
def test_every_normalised_character_maps_back_to_its_original(text):
    """Runs of white space collapse to one space (a lone space is kept in place), three full stops
    to an ellipsis; offsets map back."""
    nt = normalise(text)
    assert nt.text.strip() == normalise_words(text) == _words_as_specified(text)
    for i, c in enumerate(nt.text):
        original = text[nt.origin(i)]
        assert (
            normalise_words(original) == c
            or (c == " " and original.isspace())
            or (c == ELLIPSIS and original == ".")
        )
        if c == ELLIPSIS and original == ".":
            assert nt.span(i, i + 1) == (nt.origin(i), nt.origin(i) + 3)
        elif c != " ":
            assert nt.span(i, i + 1) == (nt.origin(i), nt.origin(i) + 1)


def test_overlapping_repeats_of_the_quoted_words_are_each_a_place():
    """ "no no" stands twice in "no no no" (overlapping): the quote is ambiguous, never the first silently."""
    text = normalise("They chanted: no no no")
    assert find_quote(text, "no no").problem == (
        "the quote occurs 2 times in the source; add a prefix or suffix to pick one"
    )
    assert find_quote(text, "no no", prefix="chanted: no").span == (17, 22)
