"""The post-build scan: markup that no template put there fails the build (RELIABILITY.md, principle 7).

Three parts: the scanner on small pages (what counts as "a template put it
there"), real builds that pass it (seed site, the archive fixture with pasted
``<script>`` text), and real builds that fail it, from a hand-written page and
from a page template broken to print content raw.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import material
import pytest
from conftest import ROOT, site_project

from generator.build import build_site
from generator.project import find_project
from generator.scan import Finding, ThemeMarkup, scan_site
from generator.write import existing_files

CASES = Path(__file__).parent / "cases"
THEME_DIRS = [ROOT / "site_templates" / "overrides", Path(material.__file__).parent / "templates"]
THEME = ThemeMarkup.from_templates(THEME_DIRS, site_url="https://example.org/briefings/")

MD_SCOPE = (
    '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
)


def scan(body: str = "", head: str = "", after: str = "") -> list[str]:
    """Scan one page, laid out as Material lays it out: head, then the content article, then scripts."""
    return scan_files({"briefings/x/index.html": (
        f"<!doctype html>\n<html><head><title>t</title>{head}</head>\n<body>\n"
        f'<article class="md-content__inner md-typeset">\n{body}\n</article>\n{after}\n</body></html>\n'
    )})


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

@pytest.mark.parametrize("after", [
    f"<script>{MD_SCOPE}</script>",
    "<script>" + MD_SCOPE.replace('"../.."', '"/briefings/"') + "</script>",
    '<script id="__config" type="application/json">{"base": "../..", "features": []}</script>',
    '<script src="../../assets/javascripts/bundle.0.min.js"></script>',
    '<script src="/briefings/assets/javascripts/bundle.0.min.js"></script>',
    '<a href="javascript:void(0)" class="md-search__icon md-icon">share</a>',
    '<a href="mailto:desk@example.org">mail</a> <a href="https://x.example/">x</a> <a href="#top">top</a>'
    ' <a href="../../claims/">claims</a> <a href="//example.org/">protocol-relative is https</a>',
])
def test_what_templates_write_passes(after):
    assert scan(after=after) == []


def test_json_ld_in_head_passes():
    assert scan(head='<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ClaimReview"}</script>') == []


@pytest.mark.parametrize("after, what", [
    (f"<script>{MD_SCOPE};alert(1)</script>", "<script> that no template put there: " + MD_SCOPE[:60] + "…"),
    ('<script>__md_scope=new URL("");alert(1);//",location)</script>',
     '<script> that no template put there: __md_scope=new URL("");alert(1);//",location)'),
    ("<script>alert(1)</script>", "<script> that no template put there: alert(1)"),
    ('<script type="text/template"><img src=x onerror=alert(1)></script>',
     "<script> that no template put there: <img src=x onerror=alert(1)>"),
    ('<script src="https://cdn.example/x.js"></script>', '<script src="https://cdn.example/x.js"> that no template put there'),
    ('<script src="//cdn.example/x.js"></script>', '<script src="//cdn.example/x.js"> that no template put there'),
    ('<script src="../../assets/javascripts/missing.js"></script>',
     '<script src="../../assets/javascripts/missing.js"> that no template put there'),
    ('<script src="../../pages/about/evil.js"></script>', '<script src="../../pages/about/evil.js"> that no template put there'),
    ('<script type="application/ld+json">{"a": 1}</script>', '<script> that no template put there: {"a": 1}'),
    ('<script id="__config" type="application/json">{"search": </script>',
     '<script type="application/json"> that holds no valid JSON: {"search":'),
    ('<script id="__config" type="application/json">{"a": "<!--"}</script>',
     '<script type="application/json"> with a raw \'<\' in its JSON: {"a": "<!--"}'),
    ('<img src="x.png" onerror="alert(1)">', 'event-handler attribute onerror="alert(1)" on <img>'),
    ('<svg onload=alert(1)></svg>', 'event-handler attribute onload="alert(1)" on <svg>'),
    ('<a href="javascript:alert(1)">x</a>', 'javascript: URL in href="javascript:alert(1)" on <a>'),
    ('<a href="  JaVaScRiPt:alert(1)">x</a>', 'javascript: URL in href="JaVaScRiPt:alert(1)" on <a>'),
    ('<a href="java&#x09;script:alert(1)">x</a>', 'javascript: URL in href="java script:alert(1)" on <a>'),
    ('<a href="&#106;avascript:alert(1)">x</a>', 'javascript: URL in href="javascript:alert(1)" on <a>'),
    ('<a href="data:text/html,x">x</a>', 'data: URL in href="data:text/html,x" on <a>'),
    ('<a href="vbscript:msgbox(1)">x</a>', 'vbscript: URL in href="vbscript:msgbox(1)" on <a>'),
    ('<a href="file:///etc/passwd">x</a>', 'file: URL in href="file:///etc/passwd" on <a>'),
    ('<form action="javascript:alert(1)"></form>', 'javascript: URL in action="javascript:alert(1)" on <form>'),
    ('<button formaction="javascript:alert(1)">x</button>', 'javascript: URL in formaction="javascript:alert(1)" on <button>'),
    ('<img srcset="a.png 1x, data:image/svg+xml,x 2x">', 'data: URL in srcset="data:image/svg+xml" on <img>'),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', 'javascript: URL in xlink:href="javascript:alert(1)" on <a>'),
    ('<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
     '<meta http-equiv="refresh"> that no template put there: 0; url=javascript:alert(1)'),
    ('<iframe src="https://example.org/"></iframe>', "<iframe> element that no template put there"),
    ('<object data="x.swf"></object>', "<object> element that no template put there"),
    ('<embed src="x.swf">', "<embed> element that no template put there"),
    ('<base href="https://evil.example/">', "<base> element that no template put there"),
])
def test_what_no_template_writes_is_found(after, what):
    assert scan(after=after) == [f"{PAGE}: {what} (line 7)"]


def test_inside_the_content_no_script_passes_not_even_a_theme_one():
    assert scan(body=f"<p>x</p><script>{MD_SCOPE}</script>") == [
        f"{PAGE}: <script> inside the page content: {MD_SCOPE[:60]}… (line 5)"
    ]
    assert scan(body='<script type="application/ld+json">{}</script>') == [f"{PAGE}: <script> inside the page content: {{}} (line 5)"]
    assert scan(body="<article class=record><p><script src='../../assets/javascripts/bundle.0.min.js'></script></p></article>") == [
        f'{PAGE}: <script> inside the page content: src="../../assets/javascripts/bundle.0.min.js" (line 5)'
    ]


def test_escaped_markup_is_text_and_passes():
    body = ("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; "
            "[x](javascript:alert(1)) &lt;a href=&#34;javascript:alert(1)&#34;&gt;</p>")
    assert scan(body=body) == []


def test_the_search_index_and_tags_are_scanned_as_content():
    index = {"docs": [
        {"location": "a/", "title": "&lt;b&gt;fine&lt;/b&gt;", "text": "<p>fine &lt;script&gt;</p>"},
        {"location": "b/", "title": "t", "text": "<img src=x onerror=alert(1)>"},
        {"location": "c/", "title": "<script>alert(1)</script>", "text": ""},
    ]}
    tags = {"mappings": [{"item": {"url": "d/", "title": '<a href="javascript:alert(1)">t</a>'}, "tags": []}]}
    assert scan_files({"search/search_index.json": json.dumps(index), "tags.json": json.dumps(tags)}) == [
        "site/search/search_index.json: <script> in an entry: alert(1) (line 1)",
        'site/search/search_index.json: event-handler attribute onerror="alert(1)" on <img> (line 1)',
        'site/tags.json: javascript: URL in href="javascript:alert(1)" on <a> (line 1)',
    ]


def test_findings_are_sorted_and_name_file_and_line():
    found = scan_files({
        "b/index.html": "<p>\n<a href='data:x'>x</a></p>",
        "a/index.html": "<p onclick='x()'>\n\n<iframe></iframe></p>",
    })
    assert found == [
        'site/a/index.html: event-handler attribute onclick="x()" on <p> (line 1)',
        "site/a/index.html: <iframe> element that no template put there (line 3)",
        'site/b/index.html: data: URL in href="data:x" on <a> (line 2)',
    ]
    assert Finding("x.html", 3, "what").format("public") == "public/x.html: what (line 3)"


# --- real builds --------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for rel, p in existing_files(folder).items()}


def hidden(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Built projects (seed content, archive fixture), each copied afresh for a test that changes it."""
    roots = {}
    for name, content in (("seed", ROOT), ("archive", CASES / "archive")):
        roots[name] = site_project(tmp_path_factory.mktemp(name), content)
        build_site(find_project(roots[name]))

    def copy(name: str, dest: Path) -> Path:
        shutil.copytree(roots[name], dest / name, symlinks=True)
        return dest / name

    copy.roots = roots
    return copy


def test_the_seed_site_and_the_archive_pass(built):
    archive = built.roots["archive"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (
        archive / "site" / "briefings" / "port-strike-2031-05-11" / "index.html").read_text(encoding="utf-8")
    assert scan_site(archive / "site", THEME) == []
    assert scan_site(built.roots["seed"] / "site", THEME) == []


def failed_build(cli, root: Path) -> list[str]:
    before_site = snapshot(root / "site")
    run = cli(root, "build")
    assert run.code == 1, run.out
    assert snapshot(root / "site") == before_site, "the previous site must stay as it was"
    assert hidden(root) == [], "no temporary folder may stay behind"
    return run.lines


def test_a_template_that_prints_content_raw_fails_the_build(cli, built, tmp_path):
    root = built("archive", tmp_path)
    macros = root / "site_templates" / "pages" / "_macros.j2"
    text = macros.read_text(encoding="utf-8")
    assert text.count("{{ c.statement | paragraphs }}") == 1
    macros.write_text(text.replace("{{ c.statement | paragraphs }}", "<p>{{ c.statement | safe }}</p>"), encoding="utf-8")
    lines = failed_build(cli, root)
    assert lines[0] == "briefing: the built site holds markup that no template put there; the previous site/ is unchanged:"
    assert "  site/briefings/port-strike-2031-05-11/index.html: <script> inside the page content: alert(1) (line " in "\n".join(lines)
    assert all(line.startswith("  site/") for line in lines[1:]), lines


def test_a_script_in_a_hand_written_page_fails_the_build(cli, built, tmp_path):
    root = built("seed", tmp_path)
    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + (
        '\n<script>alert("about")</script>\n\n<a href="javascript:alert(1)">x</a> <img src="x.png" onerror="alert(1)">\n'
        '\n<iframe src="https://example.org/"></iframe>\n'
    ), encoding="utf-8")
    lines = failed_build(cli, root)
    found = [line.rsplit(" (line ", 1)[0] for line in lines[1:]]
    assert lines[0] == "briefing: the built site holds markup that no template put there; the previous site/ is unchanged:"
    assert found == [
        '  site/pages/about/index.html: <script> inside the page content: alert("about")',
        '  site/pages/about/index.html: event-handler attribute onerror="alert(1)" on <img>',
        '  site/pages/about/index.html: javascript: URL in href="javascript:alert(1)" on <a>',
        "  site/pages/about/index.html: <iframe> element that no template put there",
    ]


def test_a_script_that_a_theme_override_adds_passes(built, tmp_path):
    root = built("seed", tmp_path)
    main = root / "site_templates" / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + (
        '\n{% block footer %}{{ super() }}<script>window.briefing = {"page": "{{ page.url }}"}</script>{% endblock %}\n'
    ), encoding="utf-8")
    build_site(find_project(root))
    assert '<script>window.briefing = {"page": "briefings/' in (
        root / "site" / "briefings" / "2025-12-29-trump-putin-second-call" / "index.html").read_text(encoding="utf-8")


def test_a_scan_shared_with_a_child_process_finds_what_a_serial_scan_finds(monkeypatch):
    from generator import scan as scanning

    page = '<!doctype html>\n<html><head><title>t</title></head>\n<body>\n<article class="md-content__inner">\n{}\n</article>\n</body></html>\n'
    files = {f"briefings/b{i}/index.html": page.format(f"<script>alert({i})</script>" if i % 3 else "<p>fine</p>")
             for i in range(12)}
    files["search/search_index.json"] = '{"docs": [{"title": "<img src=x onerror=alert(1)>", "text": ""}]}'
    monkeypatch.setattr(scanning, "SCAN_PARALLEL_MIN", 10**9)
    serial = scan_files(files)
    monkeypatch.setattr(scanning, "SCAN_PARALLEL_MIN", 1)
    forked = []
    real = scanning.forking.Started
    monkeypatch.setattr(scanning.forking, "Started", lambda fn, parallel: forked.append(parallel) or real(fn, parallel))
    assert scan_files(files) == serial
    assert forked == [True]
    assert len(serial) == 9  # 8 pages with a script, and the search index entry
