"""How a source text is laid out (issue 15, part 5): paragraphs separated by a blank line, or a warning."""

from __future__ import annotations

import pytest

from generator.pages.render import marked_source

PASTED = "First paragraph, one line.\nSecond paragraph.\nThird paragraph.\n"


@pytest.mark.parametrize(
    "text, html",
    [
        (
            "One.\n\nTwo\nwrapped.\n",
            '<div class="source-text"><p>One.</p><p>Two\nwrapped.\n</p></div>',
        ),
        (
            PASTED,
            '<div class="source-text"><p>First paragraph, one line.</p><p>Second paragraph.</p>'
            "<p>Third paragraph.</p><p></p></div>",
        ),
        (
            "One paragraph\nwrapped once.\n",
            '<div class="source-text"><p>One paragraph\nwrapped once.\n</p></div>',
        ),
    ],
    ids=["blank-lines", "single-newlines", "two-lines"],
)
def test_paragraphs_of_a_source_text(text, html):
    """A text pasted with single line breaks between paragraphs is shown line by line, not as one block."""
    assert marked_source(text, [], lambda where, anchor: where) == html


def test_a_text_without_blank_lines_draws_a_warning(cli, project):
    root = project(
        {
            "seeds/wire.txt": "Alice said that a deal is close.\nBob called it a lie.\nCarol said nothing.\n"
        }
    )
    run = cli(root, "check")
    assert run.code == 0, run.err
    assert run.lines == [
        "content/sources.yaml:2:5: warning: sources[0]: source 'wire' has neither publisher nor url; pages will say "
        "'publisher not recorded'. Add whichever is known",
        "content/sources.yaml:5:11: warning: sources[0].text: 'seeds/wire.txt' has 3 lines and no blank line between "
        "them; its page shows each line as a paragraph. Separate paragraphs with a blank line",
    ]


def test_the_layout_is_documented():
    from conftest import ROOT

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "Lay the text out as plain paragraphs separated by one blank line" in guide
