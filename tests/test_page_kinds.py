"""A new kind of page is one family function and one template: rendered, linked, indexed and kept current by the
preview with no other edit (no URL table, template-name list or preview rule to extend)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, add_new_story, site_project
from pagefind_index import page as indexed_page

from generator.output.build import build_site
from generator.pages import site
from generator.pages.render import SitePage, declared_section
from generator.preview import Inputs, Preview
from generator.project import find_project

TWOSTORY = ROOT / "tests" / "cases" / "twostory"

QUOTES_TEMPLATE = """\
<p>Every claim as it stands, newest first.</p>

<ul class="quote-rows">
{% for chain in chains %}{% set c = chain[-1] %}<li><a href="{{ link(*thread_url(c)) }}">{{ thread_label(c) }}</a> <span class="from">from {{ c.briefing.id }}</span></li>
{% endfor %}
</ul>
"""


def _family(about):
    def quotes_pages(plan) -> list[SitePage]:
        return [
            SitePage(
                "quotes/",
                "quotes.md.j2",
                "Every claim",
                {**plan.base, "chains": plan.chains},
                kind="quotes",
                section="Every claim",
                about=about,
            )
        ]

    return quotes_pages


@pytest.fixture
def with_quotes_kind(tmp_path, monkeypatch):
    """A project with the new kind's template among its own, and its family added to the plan."""

    def make(about=None) -> Path:
        root = site_project(tmp_path, TWOSTORY)
        (root / "site_templates" / "pages" / "quotes.md.j2").write_text(QUOTES_TEMPLATE)
        monkeypatch.setattr(site, "FAMILIES", [*site.FAMILIES, _family(about)])
        return root

    return make


def test_a_new_page_kind_is_rendered_linked_and_indexed(with_quotes_kind):
    root = with_quotes_kind()
    build_site(find_project(root))
    out = root / "site"
    html = (out / "quotes" / "index.html").read_text()
    assert "Every claim as it stands" in html and "from kessel-dam-2031-03-19" in html
    # linked: the navigation of every page reaches it, though mkdocs.yml's nav does not list it
    assert "quotes" not in (root / "mkdocs.yml").read_text()
    for page in ("index.html", "briefings/kessel-dam-2031-03-19/index.html", "claims/index.html"):
        nav = (out / page).read_text()
        assert re.search(r'<a href="[./]*quotes/"[^>]*class="md-nav__link', nav), page
    assert "<loc>https://example.org/briefings/quotes/</loc>" in (out / "sitemap.xml").read_text()
    # indexed: search finds its words
    fragment = indexed_page(out, "/quotes/")
    assert fragment["meta"]["title"] == "Every claim"
    assert "newest first" in fragment["content"]


@pytest.mark.parametrize(
    ("about", "kept_current"),
    [
        (
            None,
            True,
        ),  # declared about any record of the archive: the preview looks again after every save
        (
            frozenset(),
            False,
        ),  # declared about nothing of the archive: the preview leaves it as it was
    ],
)
def test_the_preview_keeps_a_new_page_kind_current_from_its_declaration(
    with_quotes_kind, about, kept_current
):
    root = with_quotes_kind(about)
    project = find_project(root)
    preview = Preview(project)
    preview.generate_all()
    docs = project.site.docs_dir
    before = (docs / "quotes" / "index.md").read_text()
    assert declared_section(before) == "Every claim"
    assert "from gauge-watch-2031-03-21" not in before

    add_new_story(root)  # no page showed it, or a briefing near it, before the save
    saved = preview.save(Inputs.of(project))
    assert "briefings/gauge-watch-2031-03-21.md" in saved.written
    followed = preview.follow_up()
    assert followed is not None
    after = (docs / "quotes" / "index.md").read_text()
    assert ("quotes/index.md" in followed.written) is kept_current
    assert ("from gauge-watch-2031-03-21" in after) is kept_current
    if kept_current:  # what a full generation of the same content writes
        from generator.output.generate import generate

        generate(project, drafts=True)
        assert (docs / "quotes" / "index.md").read_text() == after
