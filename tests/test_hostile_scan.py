"""The post-build scan: markup that no template put there fails the build (RELIABILITY.md, principle 7).

Four parts: the scanner on small pages (what counts as "a template put it
there"), the markup that only a browser's HTML5 parser sees and what makes a
browser load from or send to another host (B2, B7), real builds that pass it
(seed site, the archive fixture with pasted ``<script>`` text), and real builds
that fail it, from a hand-written page and from a page template broken to print
content raw. That each payload below does run in Chromium is shown by
``test_scan_browser.py``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import material
import pytest
from conftest import ROOT, hidden_entries

from generator.output.build import build_site
from generator.output.scan import Finding, ThemeMarkup, css_urls, scan_site, url_host
from generator.output.write import existing_files
from generator.project import find_project

THEME_DIRS = [ROOT / "site_templates" / "overrides", Path(material.__file__).parent / "templates"]
THEME = ThemeMarkup.from_templates(THEME_DIRS, site_url="https://example.org/briefings/")

MD_SCOPE = (
    '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
)


def scan(body: str = "", head: str = "", after: str = "") -> list[str]:
    """Scan one page, laid out as Material lays it out: head, then the content article, then scripts."""
    return scan_files(
        {
            "briefings/x/index.html": (
                f"<!doctype html>\n<html><head><title>t</title>{head}</head>\n<body>\n"
                f'<article class="md-content__inner md-typeset">\n{body}\n</article>\n{after}\n</body></html>\n'
            )
        }
    )


def scan_files(files: dict[str, str]) -> list[str]:
    site = Path(tempfile.mkdtemp(prefix="scan-"))
    try:
        (site / "assets" / "javascripts").mkdir(parents=True)
        (site / "assets" / "javascripts" / "bundle.0.min.js").write_text("")
        for rel, text in files.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
        return [f.format() for f in scan_site(site, THEME)]
    finally:
        shutil.rmtree(site)


PAGE = "site/briefings/x/index.html"


# --- what a template put there -------------------------------------------------------------


@pytest.mark.parametrize(
    "after",
    [
        f"<script>{MD_SCOPE}</script>",
        "<script>" + MD_SCOPE.replace('"../.."', '"/briefings/"') + "</script>",
        '<script id="__config" type="application/json">{"base": "../..", "features": []}</script>',
        '<script src="../../assets/javascripts/bundle.0.min.js"></script>',
        '<script src="/briefings/assets/javascripts/bundle.0.min.js"></script>',
        '<a href="javascript:void(0)" class="md-search__icon md-icon">share</a>',
        '<a href="mailto:desk@example.org">mail</a> <a href="https://x.example/">x</a> <a href="#top">top</a>'
        ' <a href="../../claims/">claims</a> <a href="//example.org/">protocol-relative is https</a>',
    ],
)
def test_what_templates_write_passes(after):
    assert scan(after=after) == []


def test_json_ld_in_head_passes():
    assert (
        scan(
            head='<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ClaimReview"}</script>'
        )
        == []
    )


@pytest.mark.parametrize(
    "after, what",
    [
        (
            f"<script>{MD_SCOPE};alert(1)</script>",
            "<script> that no template put there: " + MD_SCOPE[:60] + "…",
        ),
        (
            '<script>__md_scope=new URL("");alert(1);//",location)</script>',
            '<script> that no template put there: __md_scope=new URL("");alert(1);//",location)',
        ),
        ("<script>alert(1)</script>", "<script> that no template put there: alert(1)"),
        (
            '<script type="text/template"><img src=x onerror=alert(1)></script>',
            "<script> that no template put there: <img src=x onerror=alert(1)>",
        ),
        (
            '<script src="https://cdn.example/x.js"></script>',
            '<script src="https://cdn.example/x.js"> that no template put there',
        ),
        (
            '<script src="//cdn.example/x.js"></script>',
            '<script src="//cdn.example/x.js"> that no template put there',
        ),
        (
            '<script src="../../assets/javascripts/missing.js"></script>',
            '<script src="../../assets/javascripts/missing.js"> that no template put there',
        ),
        (
            '<script src="../../pages/about/evil.js"></script>',
            '<script src="../../pages/about/evil.js"> that no template put there',
        ),
        (
            '<script type="application/ld+json">{"a": 1}</script>',
            '<script> that no template put there: {"a": 1}',
        ),
        (
            '<script id="__config" type="application/json">{"search": </script>',
            '<script type="application/json"> that holds no valid JSON: {"search":',
        ),
        (
            '<script id="__config" type="application/json">{"a": "<!--"}</script>',
            '<script type="application/json"> with a raw \'<\' in its JSON: {"a": "<!--"}',
        ),
        (
            '<img src="x.png" onerror="alert(1)">',
            'event-handler attribute onerror="alert(1)" on <img>',
        ),
        ("<svg onload=alert(1)></svg>", 'event-handler attribute onload="alert(1)" on <svg>'),
        (
            '<a href="javascript:alert(1)">x</a>',
            'javascript: URL in href="javascript:alert(1)" on <a>',
        ),
        (
            '<a href="  JaVaScRiPt:alert(1)">x</a>',
            'javascript: URL in href="JaVaScRiPt:alert(1)" on <a>',
        ),
        (
            '<a href="java&#x09;script:alert(1)">x</a>',
            'javascript: URL in href="java script:alert(1)" on <a>',
        ),
        (
            '<a href="&#106;avascript:alert(1)">x</a>',
            'javascript: URL in href="javascript:alert(1)" on <a>',
        ),
        ('<a href="data:text/html,x">x</a>', 'data: URL in href="data:text/html,x" on <a>'),
        ('<a href="vbscript:msgbox(1)">x</a>', 'vbscript: URL in href="vbscript:msgbox(1)" on <a>'),
        ('<a href="file:///etc/passwd">x</a>', 'file: URL in href="file:///etc/passwd" on <a>'),
        (
            '<form action="javascript:alert(1)"></form>',
            'javascript: URL in action="javascript:alert(1)" on <form>',
        ),
        (
            '<button formaction="javascript:alert(1)">x</button>',
            'javascript: URL in formaction="javascript:alert(1)" on <button>',
        ),
        (
            '<img srcset="a.png 1x, data:image/svg+xml,x 2x">',
            'data: URL in srcset="data:image/svg+xml" on <img>',
        ),
        (
            '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
            'javascript: URL in xlink:href="javascript:alert(1)" on <a>',
        ),
        (
            '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
            '<meta http-equiv="refresh"> that no template put there: 0; url=javascript:alert(1)',
        ),
        (
            '<iframe src="https://example.org/"></iframe>',
            "<iframe> element that no template put there",
        ),
        ('<object data="x.swf"></object>', "<object> element that no template put there"),
        ('<embed src="x.swf">', "<embed> element that no template put there"),
        ('<base href="https://evil.example/">', "<base> element that no template put there"),
    ],
)
def test_what_no_template_writes_is_found(after, what):
    assert scan(after=after) == [f"{PAGE}: {what} (line 7)"]


def test_inside_the_content_no_script_passes_not_even_a_theme_one():
    assert scan(body=f"<p>x</p><script>{MD_SCOPE}</script>") == [
        f"{PAGE}: <script> inside the page content: {MD_SCOPE[:60]}… (line 5)"
    ]
    assert scan(body='<script type="application/ld+json">{}</script>') == [
        f"{PAGE}: <script> inside the page content: {{}} (line 5)"
    ]
    assert scan(
        body="<article class=record><p><script src='../../assets/javascripts/bundle.0.min.js'></script></p></article>"
    ) == [
        f'{PAGE}: <script> inside the page content: src="../../assets/javascripts/bundle.0.min.js" (line 5)'
    ]


def test_escaped_markup_is_text_and_passes():
    body = (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; "
        "[x](javascript:alert(1)) &lt;a href=&#34;javascript:alert(1)&#34;&gt;</p>"
    )
    assert scan(body=body) == []


def test_the_search_index_and_tags_are_scanned_as_content():
    index = {
        "docs": [
            {
                "location": "a/",
                "title": "&lt;b&gt;fine&lt;/b&gt;",
                "text": "<p>fine &lt;script&gt;</p>",
            },
            {"location": "b/", "title": "t", "text": "<img src=x onerror=alert(1)>"},
            {"location": "c/", "title": "<script>alert(1)</script>", "text": ""},
        ]
    }
    tags = {
        "mappings": [
            {"item": {"url": "d/", "title": '<a href="javascript:alert(1)">t</a>'}, "tags": []}
        ]
    }
    assert scan_files(
        {"search/search_index.json": json.dumps(index), "tags.json": json.dumps(tags)}
    ) == [
        "site/search/search_index.json: <script> in an entry: alert(1) (line 1)",
        'site/search/search_index.json: event-handler attribute onerror="alert(1)" on <img> (line 1)',
        'site/tags.json: javascript: URL in href="javascript:alert(1)" on <a> (line 1)',
    ]


def test_findings_are_sorted_and_name_file_and_line():
    found = scan_files(
        {
            "b/index.html": "<p>\n<a href='data:x'>x</a></p>",
            "a/index.html": "<p onclick='x()'>\n\n<iframe></iframe></p>",
        }
    )
    assert found == [
        'site/a/index.html: event-handler attribute onclick="x()" on <p> (line 1)',
        "site/a/index.html: <iframe> element that no template put there (line 3)",
        'site/b/index.html: data: URL in href="data:x" on <a> (line 2)',
    ]
    assert Finding("x.html", 3, "what").format("public") == "public/x.html: what (line 3)"


# --- what only an HTML5 parser sees (B2) ------------------------------------------------------

HANDLER = 'event-handler attribute onerror="alert(1)" on <img>'


@pytest.mark.parametrize(
    "body, found",
    [
        ("<![CDATA[ ><img src=x onerror=alert(1)> ]]>", [HANDLER]),
        ("<!--><img src=x onerror=alert(1)> -->", [HANDLER]),
        ("<!---><img src=x onerror=alert(1)> -->", [HANDLER]),
        ("<math><style><img src=x onerror=alert(1)></style></math>", [HANDLER]),
        (
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
            ["<noscript> element that no template put there", HANDLER],
        ),
        ('<xmp><p title="</xmp><img src=x onerror=alert(1)>"></p></xmp>', [HANDLER]),
        ('<noembed><p title="</noembed><img src=x onerror=alert(1)>"></p></noembed>', [HANDLER]),
        ('<noframes><p title="</noframes><img src=x onerror=alert(1)>"></p></noframes>', [HANDLER]),
        ('<textarea><p title="</textarea><img src=x onerror=alert(1)>"></p></textarea>', [HANDLER]),
        ('<title><p title="</title><img src=x onerror=alert(1)>"></p></title>', [HANDLER]),
        ("<template><img src=x onerror=alert(1)></template>", [HANDLER]),
        ("<template><template><img src=x onerror=alert(1)></template></template>", [HANDLER]),
        (
            "<template><script>alert(1)</script></template>",
            ["<script> inside the page content: alert(1)"],
        ),
    ],
)
def test_markup_that_only_a_browser_parser_sees_is_found(body, found):
    assert scan(body=body) == [f"{PAGE}: {what} (line 5)" for what in found]


@pytest.mark.parametrize(
    "body",
    [
        "<p>&lt;![CDATA[ &gt;&lt;img src=x onerror=alert(1)&gt; ]]&gt;</p>",
        "<!-- <img src=x onerror=alert(1)> -->",
        '<p title="&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;">x</p>',
        "<textarea>&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>",
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>",
    ],
)
def test_what_a_browser_reads_as_text_passes(body):
    assert scan(body=body) == []


# --- what makes a browser load from, or send to, another host (B2, B7) ---------------------------


@pytest.mark.parametrize(
    "body, found",
    [
        (
            '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
            [
                '<meta http-equiv="refresh"> that no template put there: 0; url=https://evil.example/'
            ],
        ),
        (
            '<meta http-equiv=" REFRESH " content="5">',
            ['<meta http-equiv="refresh"> that no template put there: 5'],
        ),
        (
            '<link rel="stylesheet" href="https://evil.example/x.css">',
            ['off-site URL in href="https://evil.example/x.css" on <link>'],
        ),
        (
            '<link rel="preload icon" href="//evil.example/x.png">',
            ['off-site URL in href="//evil.example/x.png" on <link>'],
        ),
        (
            "<style>@import url(https://evil.example/y.css);</style>",
            ['off-site URL "https://evil.example/y.css" in <style>'],
        ),
        (
            '<style>@import "//evil.example/y.css";</style>',
            ['off-site URL "//evil.example/y.css" in <style>'],
        ),
        (
            r"<style>p{background:url(\2f\2f evil.example/z.png)}</style>",
            ['off-site URL "//evil.example/z.png" in <style>'],
        ),
        (
            r"<style>p{background:url('ht\74ps://evil.example/z.png')}</style>",
            ['off-site URL "https://evil.example/z.png" in <style>'],
        ),
        (
            "<svg><style>@import url(https://evil.example/s.css);</style></svg>",
            ['off-site URL "https://evil.example/s.css" in <style>'],
        ),
        (
            "<p style=\"background-image: url('https://tracker.example/p.png')\">x</p>",
            ['off-site URL "https://tracker.example/p.png" in the style attribute of <p>'],
        ),
        (
            '<img src="https://tracker.example/p.gif">',
            ['off-site URL in src="https://tracker.example/p.gif" on <img>'],
        ),
        (
            '<img src="https:\\\\tracker.example/p.gif">',
            ['off-site URL in src="https:\\\\tracker.example/p.gif" on <img>'],
        ),
        (
            '<img src="https://example.org.evil.example/p.gif">',
            ['off-site URL in src="https://example.org.evil.example/p.gif" on <img>'],
        ),
        (
            '<img src="https://example.org@evil.example/p.gif">',
            ['off-site URL in src="https://example.org@evil.example/p.gif" on <img>'],
        ),
        (
            '<img srcset="a.png 1x, //tracker.example/p.gif 2x">',
            ['off-site URL in srcset="//tracker.example/p.gif" on <img>'],
        ),
        (
            '<video poster="https://tracker.example/p.jpg"></video>',
            ['off-site URL in poster="https://tracker.example/p.jpg" on <video>'],
        ),
        (
            '<audio src="https://tracker.example/a.mp3"></audio>',
            ['off-site URL in src="https://tracker.example/a.mp3" on <audio>'],
        ),
        (
            '<video><source src="https://tracker.example/v.mp4"><track src="https://tracker.example/t.vtt"></video>',
            [
                'off-site URL in src="https://tracker.example/t.vtt" on <track>',  # sorted by what is found
                'off-site URL in src="https://tracker.example/v.mp4" on <source>',
            ],
        ),
        (
            '<input type="image" src="https://tracker.example/b.png">',
            ['off-site URL in src="https://tracker.example/b.png" on <input>'],
        ),
        (
            '<svg><image href="https://tracker.example/p.svg"/></svg>',
            ['off-site URL in href="https://tracker.example/p.svg" on <image>'],
        ),
        (
            '<table background="https://tracker.example/p.gif"><tr><td>x</td></tr></table>',
            ['off-site URL in background="https://tracker.example/p.gif" on <table>'],
        ),
        (
            '<a href="https://evil.example/" ping="https://tracker.example/ping">x</a>',
            ['off-site URL in ping="https://tracker.example/ping" on <a>'],
        ),
        (
            '<form action="https://evil.example/login"><input type="password"></form>',
            [
                "<form> element inside the page content",
                'off-site URL in action="https://evil.example/login" on <form>',
            ],
        ),
        ("<form><input name=q></form>", ["<form> element inside the page content"]),
        (
            '<button formaction="https://evil.example/">x</button>',
            [
                "formaction attribute on <button> inside the page content",
                'off-site URL in formaction="https://evil.example/" on <button>',
            ],
        ),
        (
            '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
            [
                "<iframe> element that no template put there",
                'srcdoc="<script>alert(1)</script>" on <iframe>',
            ],
        ),
        (
            '<div srcdoc="<script>alert(1)</script>">x</div>',
            ['srcdoc="<script>alert(1)</script>" on <div>'],
        ),
        ("<portal src=x></portal>", ["<portal> element that no template put there"]),
        (
            '<pre class="mermaid">graph TD; A-->B</pre>',
            ['class="mermaid" on <pre>: the theme would load mermaid from another host'],
        ),
        (
            '<div class="x Mermaid">x</div>',
            ['class="mermaid" on <div>: the theme would load mermaid from another host'],
        ),
        (
            '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
            ["<animate> that changes href"],
        ),
    ],
)
def test_what_loads_from_or_sends_to_another_host_is_found(body, found):
    assert scan(body=body) == [f"{PAGE}: {what} (line 5)" for what in found]


@pytest.mark.parametrize(
    "body",
    [
        '<img src="x.png"> <img src="/briefings/x.png"> <img src="https://example.org/briefings/x.png">',
        '<img src="//EXAMPLE.org./x.png"> <img srcset="a.png 1x, https://example.org/b.png 2x">',
        '<a href="https://elsewhere.example/">a link is followed only on a click</a>',
        '<link rel="alternate" type="application/atom+xml" href="https://feeds.example/feed.xml">',
        '<p style="color: red; background: url(x.png)">x</p> <style>p{background:url(../x.png)}</style>',
        '<pre class="mermaid-like">x</pre> <p class="not mermaidx">y</p>',
    ],
)
def test_what_stays_on_the_site_passes(body):
    assert scan(body=body) == []


def test_the_search_form_of_the_theme_passes_outside_the_content_but_not_sent_elsewhere():
    assert (
        scan(after='<form class="md-search__form" name="search"><input name="query"></form>') == []
    )
    assert scan(after='<form action="https://evil.example/"></form>') == [
        f'{PAGE}: off-site URL in action="https://evil.example/" on <form> (line 7)'
    ]


def test_a_script_of_svg_is_checked_by_its_href():
    assert scan(after='<svg><script href="https://cdn.example/x.js"></script></svg>') == [
        f'{PAGE}: <script src="https://cdn.example/x.js"> that no template put there (line 7)'
    ]


def test_a_finding_names_the_line_of_its_element():
    found = scan(
        body='<p>a</p>\n<p>b</p>\n<p onclick="x()">c</p>\n\n<img\n src="https://tracker.example/p.gif">'
    )
    assert found == [
        f'{PAGE}: event-handler attribute onclick="x()" on <p> (line 7)',
        f'{PAGE}: off-site URL in src="https://tracker.example/p.gif" on <img> (line 9)',
    ]


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://Evil.Example:443/x", "evil.example"),
        ("//evil.example/x", "evil.example"),
        ("\\\\evil.example/x", "evil.example"),
        ("/\\evil.example/x", "evil.example"),
        ("https:evil.example/x", "evil.example"),
        ("https:///evil.example/x", "evil.example"),
        ("https://user:pw@evil.example/", "evil.example"),
        ("https://ev%69l.example/", "evil.example"),
        (" \thttps://evil.example", "evil.example"),
        ("ht\ntps://evil.example", "evil.example"),
        ("wss://evil.example/socket", "evil.example"),
        ("https://[::1]:8080/", "[::1]"),
        ("https://example.org./", "example.org"),
        ("/x", None),
        ("x.png", None),
        ("?q=1", None),
        ("#top", None),
        ("mailto:a@evil.example", None),
        ("javascript://evil.example/%0aalert(1)", None),
        ("data:image/png,x", None),
    ],
)
def test_the_host_is_read_as_a_browser_reads_it(url, host):
    assert url_host(url) == host


@pytest.mark.parametrize(
    "css, urls",
    [
        ("@import 'https://e.example/a.css';", ["https://e.example/a.css"]),
        ("p{background:url(//e.example/a.png)}", ["//e.example/a.png"]),
        ("p{background:url(///e.example/a.png)}", ["///e.example/a.png"]),
        (r"p{background:url(\2f\2f e.example/a.png)}", ["//e.example/a.png"]),
        (r"p{background:u\72l(HTTPS\3a //e.example/a.png)}", ["HTTPS://e.example/a.png"]),
        ("p{background:image-set('https://e.example/a.png' 1x)}", ["https://e.example/a.png"]),
        ("/* https://e.example/in-a-comment */", ["https://e.example/in-a-comment"]),
        ("p{background:url(x.png)} a:hover{color:red} p{width:calc(1/2*100%)}", []),
    ],
)
def test_css_urls_that_name_a_host(css, urls):
    assert css_urls(css) == urls


# --- real builds --------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for rel, p in existing_files(folder).items()}


@pytest.fixture(scope="module")
def built(seed_site, archive_site):
    """Built projects (seed content, archive fixture; built once for the run), each copied afresh for a test
    that changes it."""
    roots = {"seed": seed_site, "archive": archive_site}

    def copy(name: str, dest: Path) -> Path:
        shutil.copytree(roots[name], dest / name, symlinks=True)
        return dest / name

    copy.roots = roots
    return copy


def test_the_seed_site_and_the_archive_pass(built):
    archive = built.roots["archive"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (
        archive / "site" / "briefings" / "port-strike-2031-05-11" / "index.html"
    ).read_text(encoding="utf-8")
    assert scan_site(archive / "site", THEME) == []
    assert scan_site(built.roots["seed"] / "site", THEME) == []


def failed_build(cli, root: Path) -> list[str]:
    before_site = snapshot(root / "site")
    run = cli(root, "build")
    assert run.code == 1, run.out
    assert snapshot(root / "site") == before_site, "the previous site must stay as it was"
    assert hidden_entries(root) == [], "no temporary folder may stay behind"
    return run.lines


@pytest.mark.slow
def test_a_template_that_prints_content_raw_fails_the_build(cli, built, tmp_path):
    root = built("archive", tmp_path)
    macros = root / "site_templates" / "pages" / "_macros.j2"
    text = macros.read_text(encoding="utf-8")
    assert text.count("{{ c.statement | paragraphs }}") == 1
    macros.write_text(
        text.replace("{{ c.statement | paragraphs }}", "<p>{{ c.statement | safe }}</p>"),
        encoding="utf-8",
    )
    lines = failed_build(cli, root)
    assert (
        lines[0]
        == "briefing: the built site holds markup that no template put there; the previous site/ is unchanged:"
    )
    assert (
        "  site/briefings/port-strike-2031-05-11/index.html: <script> inside the page content: alert(1) (line "
        in "\n".join(lines)
    )
    assert all(line.startswith("  site/") for line in lines[1:]), lines


EVIL_ABOUT = (
    '\n<script>alert("about")</script>\n\n<a href="javascript:alert(1)">x</a> <img src="x.png" onerror="alert(1)">\n'
    '\n<iframe src="https://example.org/"></iframe>\n'
)


def test_a_script_in_a_hand_written_page_fails_the_check(cli, built, tmp_path):
    root = built("seed", tmp_path)
    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + EVIL_ABOUT, encoding="utf-8")
    lines = failed_build(cli, root)
    allowed = "write &lt; for a literal '<' (FORMAT-REFERENCE.md lists the tags a page may use)"
    assert lines == [
        f"content/pages/about.md:34:1: raw HTML '<script>' is not allowed in a page; {allowed}",
        f"content/pages/about.md:34:23: raw HTML '</script>' is not allowed in a page; {allowed}",
        f"content/pages/about.md:36:1: raw HTML '<a href=\"javascript:alert(1)\">' is not allowed in a page; {allowed}",
        f"content/pages/about.md:36:32: raw HTML '</a>' is not allowed in a page; {allowed}",
        f'content/pages/about.md:36:37: raw HTML \'<img src="x.png" onerror="alert(1)">\' is not allowed in a page; {allowed}',
        f"content/pages/about.md:38:1: raw HTML '<iframe src=\"https://example.org/\">' is not allowed in a page; {allowed}",
        f"content/pages/about.md:38:36: raw HTML '</iframe>' is not allowed in a page; {allowed}",
        "7 errors in 1 file",
    ]


@pytest.mark.slow
def test_behind_the_check_the_scan_finds_a_script_in_a_hand_written_page(
    cli, built, tmp_path, monkeypatch
):
    from generator.check import content

    monkeypatch.setattr(
        content, "check_page", lambda *args: None
    )  # the first line gone: the second holds
    root = built("seed", tmp_path)
    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + EVIL_ABOUT, encoding="utf-8")
    lines = failed_build(cli, root)
    found = [line.rsplit(" (line ", 1)[0] for line in lines[1:]]
    assert (
        lines[0]
        == "briefing: the built site holds markup that no template put there; the previous site/ is unchanged:"
    )
    assert found == [
        '  site/pages/about/index.html: <script> inside the page content: alert("about")',
        '  site/pages/about/index.html: event-handler attribute onerror="alert(1)" on <img>',
        '  site/pages/about/index.html: javascript: URL in href="javascript:alert(1)" on <a>',
        "  site/pages/about/index.html: <iframe> element that no template put there",
    ]


@pytest.mark.slow
def test_a_script_that_a_theme_override_adds_passes(built, tmp_path):
    root = built("seed", tmp_path)
    main = root / "site_templates" / "overrides" / "main.html"
    main.write_text(
        main.read_text(encoding="utf-8")
        + (
            '\n{% block footer %}{{ super() }}<script>window.briefing = {"page": "{{ page.url }}"}</script>{% endblock %}\n'
        ),
        encoding="utf-8",
    )
    build_site(find_project(root))
    assert '<script>window.briefing = {"page": "briefings/' in (
        root / "site" / "briefings" / "2025-12-29-trump-putin-second-call" / "index.html"
    ).read_text(encoding="utf-8")
