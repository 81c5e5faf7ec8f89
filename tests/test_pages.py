"""Hand-written pages are checked like every content file (B2, B9, B10): what a browser would take as markup,
front matter the theme prints raw, invisible characters, and Markdown too big or too deep for Python-Markdown.

Each problem is an error of ``briefing check`` at its line and column, so the
page is refused before MkDocs sees it; the scan of the built site
(``test_hostile_scan.py``) is the second line behind this.
"""

from __future__ import annotations

import pytest

from generator.check.handwritten import (
    MAX_BRACKETS,
    MAX_HEADINGS,
    MAX_HTML_DEPTH,
    MAX_NESTING,
    MAX_PAGE_BYTES,
    MAX_REPORTED,
)
from generator.format.loader import MAX_FILE_BYTES

PAGE = "content/pages/evil.md"
RAW = "is not allowed in a page; write &lt; for a literal '<' (FORMAT-REFERENCE.md lists the tags a page may use)"
HEAD = "which the page head would take as markup"


def check(cli, project, text: str | bytes) -> list[str]:
    """The error lines of ``briefing check`` with the page ``evil.md`` (without the summary line)."""
    run = cli(project({PAGE: text}), "check")
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.code == 1, run.out + run.err
    return run.lines[:-1]


def passes(cli, project, text: str | bytes) -> None:
    run = cli(project({PAGE: text}), "check")
    assert run.code == 0, run.err


# --- markup -----------------------------------------------------------------------------------------


def test_markdown_and_the_allowed_tags_pass(cli, project):
    passes(
        cli,
        project,
        (
            "---\ntitle: Q &amp; A about these briefings\ndescription: How to read a claim & its status.\n---\n"
            "# About *these* briefings\n\n"
            "Text with <b>bold</b>, <i>italic</i>, <em>em</em>, <strong>strong</strong>, <code>code</code>, "
            "<kbd>Ctrl</kbd>, <sub>2</sub>, <sup>3</sup>, <mark>m</mark>, <small>s</small>, <del>d</del>, "
            "<ins>i</ins>, <s>s</s>, <u>u</u>, <q>q</q>, <cite>c</cite>, <dfn>d</dfn>, <samp>s</samp>, <var>v</var>,"
            '<br> <br/> <wbr> and <abbr title="Intelligence Community Directive">ICD</abbr> 203.\n\n'
            "<details><summary>More</summary>Folded text.</details>\n\n"
            "<dl><dt>Term</dt><dd>Definition</dd></dl>\n\n"
            "<!-- a note for editors -->\n\n"
            "Links: <https://example.org/a?b=c>, <desk@example.org>, [a page](../about/), [a site](https://example.org/), "
            '[mail](mailto:desk@example.org), ![a chart](chart.png "Chart"), and \\{braces\\}, a > b, a < b, 3 <= 4.\n\n'
            "- one\n    - two\n        - three\n\n> quoted\n> > twice\n"
        ),
    )


@pytest.mark.parametrize(
    "line, col, shown",
    [
        # B2 rows 1-9: what the old scan missed and Chromium ran
        (
            "<![CDATA[ ><img src=x onerror=alert(1)> ]]>",
            [1, 12],
            ["<![CDATA[ >", "<img src=x onerror=alert(1)>"],
        ),
        (
            "<!--><img src=x onerror=alert(1)> -->",
            [1, 6],
            ["<!-->", "<img src=x onerror=alert(1)>"],
        ),
        (
            "<!-- x --!><img src=x onerror=alert(1)> -->",
            [1, 12],
            ["<!-- x --!>", "<img src=x onerror=alert(1)>"],
        ),
        (
            "<math><style><img src=x onerror=alert(1)></style></math>",
            [1, 7, 14, 42, 50],
            ["<math>", "<style>", "<img src=x onerror=alert(1)>", "</style>", "</math>"],
        ),
        (
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
            [1, 11, 21, 32, 62, 66],
            [
                "<noscript>",
                '<p title="</noscript>',
                "</noscript>",
                "<img src=x onerror=alert(1)>",
                "</p>",
                "</noscript>",
            ],
        ),
        (
            '<title><p title="</title><img src=x>"></p></title>',
            [1, 8, 18, 26, 39, 43],
            ["<title>", '<p title="</title>', "</title>", "<img src=x>", "</p>", "</title>"],
        ),
        # B2's related gaps, B7
        (
            '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
            [1],
            ['<meta http-equiv="refresh" content="0; u…'],
        ),
        (
            "<link rel=stylesheet href=https://evil.example/x.css>",
            [1],
            ["<link rel=stylesheet href=https://evil.e…"],
        ),
        (
            "<style>@import url(https://evil.example/y.css);</style>",
            [1, 48],
            ["<style>", "</style>"],
        ),
        ('<pre class="mermaid">graph TD</pre>', [1, 30], ['<pre class="mermaid">', "</pre>"]),
        ("<javascript:alert(1)>", [1], ["<javascript:alert(1)>"]),
        ("<B onclick=alert(1)>x</B>", [1], ["<B onclick=alert(1)>"]),
        (
            '<abbr title="x" onmouseover="alert(1)">x</abbr>',
            [1],
            ['<abbr title="x" onmouseover="alert(1)">'],
        ),
        ("<?php echo 1 ?>", [1], ["<?php echo 1 ?>"]),
    ],
)
def test_raw_html_outside_the_allowed_tags_is_refused_where_it_stands(
    cli, project, line, col, shown
):
    expected = [f"{PAGE}:4:{c}: raw HTML '{s}' {RAW}" for c, s in zip(col, shown, strict=True)]
    assert check(cli, project, f"# Evil\n\nBefore.\n{line}\n") == expected


def test_too_much_raw_html_is_reported_twenty_times_then_counted(cli, project):
    lines = check(cli, project, "# Evil\n\n" + "<img src=x>\n" * (MAX_REPORTED + 5))
    assert len(lines) == MAX_REPORTED + 1
    assert lines[-1] == f"{PAGE}:23:1: 5 more raw HTML tags from here on"


def test_attribute_lists_are_refused(cli, project):
    assert check(
        cli,
        project,
        '# Evil {: onclick=alert(1) }\n\nText.\n{: .mermaid }\n\n[x](y){ style="a" }\n',
    ) == [
        f"{PAGE}:1:8: attribute list '{{: onclick=alert(1) }}' is not allowed in a page; write \\{{ for a literal brace",
        f"{PAGE}:4:1: attribute list '{{: .mermaid }}' is not allowed in a page; write \\{{ for a literal brace",
        f"{PAGE}:6:7: attribute list '{{ style=\"a\" }}' is not allowed in a page; write \\{{ for a literal brace",
    ]


def test_links_to_other_schemes_and_images_from_other_hosts_are_refused(cli, project):
    assert check(
        cli,
        project,
        (
            "# Evil\n\n[x](javascript:alert(1)) [y]( JaVa&#115;cript:alert(1)) ![t](https://tracker.example/p.gif)\n"
            "![u](//tracker.example/p.gif)\n\n[ref]: data:text/html,x\n\n[z][ref]\n"
        ),
    ) == [
        f"{PAGE}:3:5: link to a javascript: URL; a page links only to http(s) and mailto URLs and to pages of the site",
        f"{PAGE}:3:31: link to a javascript: URL; a page links only to http(s) and mailto URLs and to pages of the site",
        f"{PAGE}:3:62: image 'https://tracker.example/p.gif' is on another host: a page shows only images of the site, "
        "by a relative path, so that readers' browsers ask no one else",
        f"{PAGE}:4:6: image '//tracker.example/p.gif' is on another host: a page shows only images of the site, "
        "by a relative path, so that readers' browsers ask no one else",
        f"{PAGE}:6:8: link to a data: URL; a page links only to http(s) and mailto URLs and to pages of the site",
    ]


# --- front matter (B10) -------------------------------------------------------------------------


def test_front_matter_markup_is_refused(cli, project):
    assert check(
        cli,
        project,
        (
            '---\ntitle: "<i class=\\"pwn\\">t</i>"\ndescription: "\\"><i class=\\"pwn\\">d</i>"\n---\n# Evil\n'
        ),
    ) == [
        f"{PAGE}:2:8: title: contains '<', '>' and '\"', {HEAD}; write &lt;, &gt; and &quot; instead",
        f"{PAGE}:3:14: description: contains '<', '>' and '\"', {HEAD}; write &lt;, &gt; and &quot; instead",
    ]


def test_front_matter_holds_only_a_title_and_a_description(cli, project):
    assert check(
        cli,
        project,
        (
            "---\ntitel: About\ntemplate: redirect.html\ndescription: [a, b]\ntitle: ''\n---\n# Evil\n"
        ),
    ) == [
        f"{PAGE}:2:1: titel: a page's front matter holds only title and description; did you mean 'title'?",
        f"{PAGE}:3:1: template: a page's front matter holds only title and description",
        f"{PAGE}:4:14: description: must be text, not a list",
        f"{PAGE}:5:8: title: must not be empty",
    ]


def test_front_matter_is_read_by_the_content_loader(cli, project):
    assert check(cli, project, "---\ntitle: &a About\ndescription: *a\n---\n# Evil\n") == [
        f"{PAGE}:2:8: anchors (&a) are not allowed; write the value out",
        f"{PAGE}:3:14: aliases (*a) are not allowed; write the value out",
    ]


def test_a_first_line_that_mkdocs_would_take_for_metadata_is_refused(cli, project):
    assert check(cli, project, "Title: <script>\nNote: x\n\n# Evil\n")[0] == (
        f"{PAGE}:1:1: the first line 'Title: <script>' would be read as page metadata (key: value); "
        "start the page with a '# ' heading, or put title and description between '---' lines"
    )


def test_a_byte_order_mark_and_crlf_line_ends_are_read_as_mkdocs_reads_them(cli, project):
    passes(cli, project, "\ufeff---\r\ntitle: About\r\n---\r\n# About\r\n\r\nText.\r\n".encode())
    assert check(cli, project, "\ufeff---\r\ntitle: <b>\r\n---\r\n# About\r\n".encode()) == [
        f"{PAGE}:2:8: title: contains '<' and '>', {HEAD}; write &lt; and &gt; instead"
    ]


# --- characters (B10) ---------------------------------------------------------------------------


def test_nul_and_bidi_controls_are_refused_at_their_place(cli, project):
    assert check(
        cli, project, "---\ntitle: a\u202eb\n---\n# Evil\n\nx\x00y \u2066z\u2069 \u2028\n"
    ) == [
        f"{PAGE}:2:9: file contains the invisible control character U+202E; remove it",
        f"{PAGE}:6:2: file contains the invisible control character U+0000; remove it",
        f"{PAGE}:6:5: file contains the invisible control character U+2066; remove it",
        f"{PAGE}:6:7: file contains the invisible control character U+2069; remove it",
        f"{PAGE}:6:9: file contains the invisible line separator U+2028; remove it",
    ]


def test_a_nul_in_the_front_matter_is_reported_once(cli, project):
    assert check(cli, project, "---\ntitle: a\x00b\n---\n# Evil\n") == [
        f"{PAGE}:2:9: file contains the invisible control character U+0000; remove it"
    ]


# --- size and complexity (B9) -------------------------------------------------------------------


def test_a_page_over_the_size_cap(cli, project):
    text = "# Big\n\n" + "word " * (MAX_PAGE_BYTES // 5)
    size = len(text.encode())
    assert check(cli, project, text) == [
        f"{PAGE}:1:1: page is {size} bytes; the limit is {MAX_PAGE_BYTES} bytes"
    ]


@pytest.mark.parametrize(
    "text, error",
    [
        (
            "[" * 50_000 + "]" * 50_000,
            f"3:{MAX_BRACKETS + 1}: page has 50000 '['; the limit is {MAX_BRACKETS} "
            "(each link or image takes one)",
        ),
        (
            "[a](" * 2_000,
            f"3:{4 * MAX_BRACKETS + 1}: page has 2000 '['; the limit is {MAX_BRACKETS} "
            "(each link or image takes one)",
        ),
        (
            "- " * 3_000 + "x",
            f"3:{2 * MAX_NESTING + 1}: nested more than {MAX_NESTING} levels deep (lists, block quotes, "
            f"indentation); the limit is {MAX_NESTING}",
        ),
        (
            "\n".join("    " * i + "- x" for i in range(40)),
            f"{3 + MAX_NESTING}:{4 * MAX_NESTING + 1}: nested more than {MAX_NESTING} levels deep (lists, "
            f"block quotes, indentation); the limit is {MAX_NESTING}",
        ),
        (
            "> " * 3_000 + "x",
            f"3:{2 * MAX_NESTING + 1}: nested more than {MAX_NESTING} levels deep (lists, block quotes, "
            f"indentation); the limit is {MAX_NESTING}",
        ),
        # the page's own '# Evil' is the first heading
        (
            "## a\n" * 20_000,
            f"{2 + MAX_HEADINGS}:1: page has 20001 headings; the limit is {MAX_HEADINGS}",
        ),
        (
            "a\n-\n\n" * 20_000,
            f"{3 * MAX_HEADINGS + 1}:1: page has 20001 headings; the limit is {MAX_HEADINGS}",
        ),
        (
            "<details>" * 8_000 + "x",
            f"3:{9 * MAX_HTML_DEPTH + 1}: tags nested more than {MAX_HTML_DEPTH} deep; "
            f"the limit is {MAX_HTML_DEPTH}",
        ),
    ],
)
def test_markdown_too_complex_for_python_markdown_is_refused_at_its_place(
    cli, project, text, error
):
    assert check(cli, project, f"# Evil\n\n{text}\n")[0] == f"{PAGE}:{error}"


@pytest.mark.parametrize(
    "text",
    [
        "<div>" * 20_000 + "x" + "</div>" * 20_000,  # B9: 71 s in MkDocs; over the size cap
        "\n".join(
            "    " * i + "- x" for i in range(3_000)
        ),  # B9: minutes and 1.8 GB; over the size cap
        "\n".join("    " * i + "- x" for i in range(800)),  # B9: RecursionError; over the size cap
    ],
)
def test_the_reported_complexity_attacks_end_in_an_error_on_line_one(cli, project, text):
    lines = check(cli, project, f"# Evil\n\n{text}\n")
    size = len(text) + 9
    if size > MAX_FILE_BYTES:  # not even read: the reader's hard cap for any content file
        assert lines == [f"{PAGE}:1:1: file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes"]
    else:
        assert lines == [f"{PAGE}:1:1: page is {size} bytes; the limit is {MAX_PAGE_BYTES} bytes"]


def test_lines_nested_too_deep_are_reported_twenty_times_then_counted(cli, project):
    lines = check(
        cli, project, "# Evil\n\n" + ("- " * (MAX_NESTING + 1) + "x\n") * (MAX_REPORTED + 3)
    )
    assert len(lines) == MAX_REPORTED + 1
    assert (
        lines[-1]
        == f"{PAGE}:{3 + MAX_REPORTED}:{2 * MAX_NESTING + 1}: 3 more lines nested too deep from here on"
    )


def test_just_under_the_caps_passes(cli, project):
    passes(
        cli,
        project,
        "# Deep\n\n"
        + "## a\n" * (MAX_HEADINGS - 1)
        + "[a](b) " * MAX_BRACKETS
        + "\n\n"
        + "- " * MAX_NESTING
        + "x\n\n"
        + "\n".join("    " * i + "- x" for i in range(MAX_NESTING))
        + "\n\n"
        + "<b>" * MAX_HTML_DEPTH
        + "x"
        + "</b>" * MAX_HTML_DEPTH
        + "\n",
    )
