"""The YAML hazards of RELIABILITY.md, each on both parser paths."""

from __future__ import annotations

import time

import pytest

from generator.format.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LoadFailed,
    Mapping,
    Scalar,
    Sequence,
    load_bytes,
    parser_names,
)


@pytest.fixture(params=parser_names())
def parser(request):
    return request.param


def load(text: str | bytes, parser: str) -> Mapping:
    data = text.encode() if isinstance(text, str) else text
    return load_bytes(data, "f.yaml", parser)


def problems(text, parser) -> list[tuple[int, int, str]]:
    with pytest.raises(LoadFailed) as info:
        load(text, parser)
    return info.value.problems


def test_both_parser_paths_exist():
    assert "python" in parser_names()
    assert "c" in parser_names(), "libyaml should be present on these machines"


def test_every_scalar_is_text(parser):
    root = load("a: no\nb: on\nc: 0755\nd: 1:30\ne: 2025-12-29\nf: 1e3\ng: ~\nh: 12\n", parser)
    values = {k: v.value for k, (_, v) in root.items.items()}
    assert values == {
        "a": "no",
        "b": "on",
        "c": "0755",
        "d": "1:30",
        "e": "2025-12-29",
        "f": "1e3",
        "g": "~",
        "h": "12",
    }


def test_keys_one_and_true_are_different_text_keys(parser):
    root = load("1: a\ntrue: b\n", parser)
    assert sorted(root.items) == ["1", "true"]


def test_duplicate_keys_are_errors_with_both_lines(parser):
    assert problems("a: 1\nb: 2\na: 3\nb: 4\n", parser) == [
        (3, 1, "duplicate key 'a' (first at line 1); keep one"),
        (4, 1, "duplicate key 'b' (first at line 2); keep one"),
    ]


def test_nested_duplicate_key(parser):
    assert problems("x:\n  - id: a\n    id: b\n", parser) == [
        (3, 5, "duplicate key 'id' (first at line 2); keep one")
    ]


def test_positions_are_one_based(parser):
    root = load("title: x\nlist:\n  - one\n  - two\n", parser)
    title = root.get("title")
    assert (title.line, title.col) == (1, 8)
    seq = root.get("list")
    assert isinstance(seq, Sequence)
    assert [(i.line, i.col) for i in seq.items] == [(3, 5), (4, 5)]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "a: !!binary aGVsbG8=\n",
            "explicit tags (tag:yaml.org,2002:binary) are not allowed; every value is read as text",
        ),
        (
            "a: !!set {x}\n",
            "explicit tags (tag:yaml.org,2002:set) are not allowed; every value is read as text",
        ),
        (
            "a: !!python/object:os.system x\n",
            "explicit tags (tag:yaml.org,2002:python/object:os.system) are not allowed; every value is read as text",
        ),
        ("a: ! x\n", "explicit tags (!) are not allowed; every value is read as text"),
    ],
)
def test_explicit_tags_are_refused(parser, text, message):
    assert problems(text, parser) == [(1, 4, message)]


def test_anchors_and_aliases_are_refused(parser):
    assert problems("a: &x hello\nb: *x\n", parser) == [
        (1, 4, "anchors (&x) are not allowed; write the value out"),
        (2, 4, "aliases (*x) are not allowed; write the value out"),
    ]


def test_billion_laughs_is_refused_quickly(parser):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    found = problems("\n".join(lines) + "\n", parser)
    assert found[0] == (1, 5, "anchors (&a0) are not allowed; write the value out")
    assert time.perf_counter() - started < 5  # generous: it must not expand anything


def test_second_document_is_refused(parser):
    assert problems("a: 1\n---\nb: 2\n", parser) == [
        (2, 1, "a second YAML document ('---') is not allowed; use one document per file")
    ]


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_extreme_nesting_is_an_error_not_a_crash(parser, opener):
    depth = 100_000
    closer = "]" if opener == "[" else "}"
    text = "a: " + opener * depth + closer * depth + "\n"
    found = problems(text, parser)
    assert found[0][2] == f"nesting is deeper than {MAX_DEPTH} levels"


def test_nesting_within_the_cap_loads(parser):
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert isinstance(load(text, parser).get("a"), Sequence)


def test_invalid_utf8_names_line_and_column(parser):
    assert problems(b"a: ok\nb: caf\xe9\n", parser) == [
        (2, 7, "file is not valid UTF-8 (byte 0xe9); save it as UTF-8")
    ]


def test_utf8_bom_is_accepted(parser):
    assert load(b"\xef\xbb\xbfa: x\n", parser).get("a").value == "x"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(parser, text):
    assert problems(text, parser) == [(1, 1, "file is empty; expected a mapping of fields")]


@pytest.mark.parametrize("text, kind", [("- a\n- b\n", "list"), ("just text\n", "text")])
def test_top_level_must_be_a_mapping(parser, text, kind):
    assert problems(text, parser) == [
        (1, 1, f"expected a mapping of fields at the top, found a {kind}")
    ]


def test_mapping_as_key_is_refused(parser):
    assert (
        problems("? [a, b]\n: c\n", parser)[0][2] == "a list cannot be a key; keys are field names"
    )


def test_file_size_cap_before_parsing(parser):
    with pytest.raises(LoadFailed) as info:
        load(b"a: " + b"x" * MAX_FILE_BYTES + b"\n", parser)
    assert info.value.problems[0][2].startswith("file is ") and info.value.problems[0][2].endswith(
        f"the limit is {MAX_FILE_BYTES} bytes"
    )


@pytest.mark.parametrize(
    "text",
    ["a: [1, 2\n", "a: 'unclosed\n", "a:\n  - x\n - y\n", "a: b: c\n", "\tb: 1\n"],
)
def test_syntax_errors_read_the_same_on_both_paths(text):
    results = []
    for name in parser_names():
        with pytest.raises(LoadFailed) as info:
            load(text, name)
        results.append(info.value.problems)
    assert all(r == results[0] for r in results)
    line, col, message = results[0][0]
    assert line >= 1 and col >= 1 and message.startswith("YAML")


def test_block_scalars_keep_text(parser):
    root = load("s: |\n  line one\n  line two\n", parser)
    assert isinstance(root.get("s"), Scalar)
    assert root.get("s").value == "line one\nline two\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "title: x\nkey_points:\n\t- one\n",
            (
                3,
                1,
                "YAML syntax error: a tab in the indentation; indent with spaces only (YAML does not read tabs as indentation)",
            ),
        ),
        (
            "summary: Iran said: no talks\n",
            (
                1,
                19,
                "YAML syntax error: ': ' inside text that is not in quotes starts a new field; "
                'put the whole text in quotes, as in summary: "Iran said: no talks"',
            ),
        ),
        (
            'claims:\n  - statement: He said: "no"\n',
            (
                2,
                23,
                "YAML syntax error: ': ' inside text that is not in quotes starts a new field; put the whole text in quotes",
            ),
        ),
        (
            "title: x\n  date: 2025-12-29\n",
            (
                2,
                7,
                "YAML syntax error: 'date:' is indented deeper than the fields around it, so YAML reads it as more of "
                "the text above; line it up with them, or put the text in quotes if it is text",
            ),
        ),
    ],
    ids=["tab", "colon", "colon-with-quotes", "too-deep"],
)
def test_the_commonest_syntax_errors_are_said_in_editors_words(parser, text, expected):
    """Issue 15: the parser's "found character '\\t' that cannot start any token" and "mapping values are
    not allowed here" named neither the cause nor the fix."""
    assert problems(text, parser) == [expected]
