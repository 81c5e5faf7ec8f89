"""Small HTML fragments used on every page (badges, links, dates, quotes, the entries of a change list).

They are called tens of thousands of times in a large archive, so they are
plain Python returning escaped ``Markup`` rather than template macros; the
shapes of pages and records stay in the templates.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.format import schema
from generator.format.model import Archive, Quote, Thread, quotes_of
from generator.pages import urls
from generator.pages.changes import GROUP_OF, GROUPS, TREND_WORDS, BriefingChanges
from generator.pages.links import (
    LinkMaker,
    reports,
    source_voice,
    speakers,
    thread_label,
    thread_url,
)


def number(value: float) -> str:
    """A figure as a newsroom writes it: thousands separated (260,000), decimals kept (2.5)."""
    return f"{value:,}"


def escaped(value) -> str:
    """Escaped text as a plain str, safe to concatenate (str + Markup would escape the str)."""
    return str(escape(value))


_TRENDS = {"up": "↑", "down": "↓", "level": "↔"}
_FOUND = (
    '<span class="found" title="These words were found, word for word, in the source\'s text; '
    'this says nothing about whether they are true">exact words in source</span>'
)
_LEGEND = (
    '<p class="quote-legend" data-search-exclude>'
    + _FOUND
    + ": every quote on this page was found word for word "
    "in its source's text, unless it says otherwise; its number names the source under Sources and opens the "
    "passage, highlighted.</p>"
)
_UNCHECKED = (
    '<span class="unchecked" title="The source has no local text, so the words could not be '
    'matched">words not checked</span>'
)
FIGURE_WORDS = {
    "about": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "up-to": "up to ",
    "fewer-than": "fewer than ",
    "exactly": "",
}
"""How a figure's qualifier reads before its number."""
KIND_WORDS = {
    "fact": "Factual claim",
    "opinion": "Opinion",
    "characterisation": "Characterisation",
    "forecast": "Forecast",
}
"""A claim's kind as the start of a sentence on its card ("Factual claim by …")."""
MEANINGS = {
    (kind, word): meaning
    for kind, _, _, words in schema.GLOSSARY
    for word, meaning in words.items()
}
"""(kind, word) → what the glossary says the word means: each badge's tooltip."""
"""The page that says what every badge means; every badge links to its entry."""
# Fragments are built by concatenating escaped()d parts: markupsafe's C escape is
# many times faster than Markup.format, and these run tens of thousands of times.


def _link(href: str, html: str) -> Markup:
    """A link around ``html``, text already escaped."""
    return Markup('<a href="' + escaped(href) + '">' + html + "</a>")


class Fragments:
    """Fragment makers for one page (links are relative to it)."""

    def __init__(
        self, archive: Archive, link: LinkMaker, cache: dict, labels: dict | None = None, *, index
    ):
        self.archive = archive
        self.index = index
        """The site's index (pages/site.py ``Index``): each claim thread and which claims dispute it."""
        self.link = link
        self.cache = cache
        """Shared by pages at the same depth: actor links and dates do not depend on the page itself."""
        self.labels = {} if labels is None else labels
        """Shared by all pages: thread → its label, escaped (a claim is linked from many pages)."""
        self.cites: dict[str, int] = {}
        """Source id → its number on this page ([1], [2]): quotes cite it by number, the page lists it once."""
        self.found = False
        """Whether a quote shown on this page so far was matched in its source (see :meth:`legend_if_found`)."""

    def quote_legend(self, rec) -> Markup:
        """Once a page: what a quote's number and the absence of a mark say, when ``rec`` quotes a matched passage."""
        return Markup(_LEGEND) if any(q.verified for q in quotes_of(rec)) else Markup("")

    def legend_if_found(self) -> Markup:
        """The legend, at the end of a page whose quotes shown so far include a matched one."""
        return Markup(_LEGEND) if self.found else Markup("")

    def number_sources(self, ids) -> str:
        """Number these sources first, in this order (a briefing's own list); returns nothing to print."""
        for sid in ids:
            self.cites.setdefault(sid, len(self.cites) + 1)
        return ""

    def cited(self) -> list[str]:
        """The ids of the sources numbered on this page so far, in the order of their numbers."""
        return list(self.cites)

    def badge(self, status: str, kind: str = "evidence") -> Markup:
        """A status pill that carries its word and links to what the word means (the glossary)."""
        key = ("badge", status, kind)
        html = self.cache.get(key)
        if html is None:
            href = self.link(urls.GLOSSARY, f"{kind}-{status}")
            meaning = MEANINGS.get((kind, status))
            html = self.cache[key] = Markup(
                '<a class="badge badge-'
                + escaped(status)
                + '" data-kind="'
                + escaped(kind)
                + '" href="'
                + escaped(href)
                + ('" title="' + escaped(meaning) if meaning else "")
                + '">'
                + escaped(status.replace("-", " "))
                + "</a>"
            )
        return html

    def claim_badges(self, c, kind: bool = True) -> Markup:
        """What a claim is and how it stands: its kind (when given), its evidence status (only on a fact: an
        opinion, characterisation or forecast is never rated), and the desk's verdict when it reviewed it. A
        denial that nobody disputes carries "disputes", linked to what it denies, instead of "disputed"."""
        parts = []
        if kind and c.kind is not None:
            parts.append(str(self.badge(c.kind, "kind")))
        status = self._status_badge(c)
        if status:
            parts.append(status)
        if c.review is not None:
            parts.append(self._review_pill(c))
        return Markup(" ".join(parts))

    def _status_badge(self, c) -> str:
        """The badge of how a claim stands: "disputes" (linked) for a denial, its evidence status, or none."""
        if self.denial(c):
            return self._disputes_badge(c)
        return str(self.badge(c.evidence_status)) if c.evidence_status is not None else ""

    def denial(self, c) -> bool:
        """A counter-claim whose status says only that what it denies contradicts it: it disputes other claims,
        is "disputed", and no claim disputes it. "disputed" on it would read as if the denial were in doubt
        (reader review 2: Zelenskyy's "lie"); its pages say what it disputes instead."""
        if not c.disputes or c.evidence_status != "disputed":
            return False
        return not self.index.disputed_by.get(c.id)

    def _disputed_targets(self, c) -> list:
        threads = self.index.claims
        return [threads[t][-1] for t in c.disputes if t in threads]

    def _disputes_badge(self, c) -> str:
        targets = self._disputed_targets(c)
        if not targets:
            return str(self.badge("disputed"))
        where, anchor = thread_url(targets[0])
        return (
            '<a class="badge badge-disputes" data-kind="evidence" href="'
            + escaped(self.link(where, anchor))
            + '" title="A counter-claim: it disputes '
            + "; ".join(self._label(t) for t in targets)
            + '">disputes</a>'
        )

    def disputes_line(self, c) -> Markup:
        """ "Disputes → <the claims it disputes>", on a denial's card in place of its status."""
        return Markup(
            '<span class="standing disputes-line">Disputes → '
            + ", ".join(str(self.thread(t)) for t in self._disputed_targets(c))
            + "</span>"
        )

    def kind_words(self, c) -> Markup:
        """A claim's kind as words linked to the glossary ("Factual claim"), for a table's Kind column."""
        if not c.kind:
            return Markup("Claim")
        return Markup(
            '<a class="kind-words" href="'
            + escaped(self.link(urls.GLOSSARY, f"kind-{c.kind}"))
            + '" title="'
            + escaped(MEANINGS.get(("kind", c.kind), ""))
            + '">'
            + KIND_WORDS.get(c.kind, escaped(c.kind))
            + "</a>"
        )

    def standing_word(self, c) -> str:
        """The word a claim's Status column shows and filters by: its evidence status, "disputes" for a denial
        nobody disputes, "not rated" for an opinion, characterisation or forecast."""
        if self.denial(c):
            return "disputes"
        return c.evidence_status or "not rated"

    def standing(self, c) -> Markup:
        """A claim's Status cell: its status badge, "disputes" linked to what a denial disputes, or "not rated"."""
        return Markup(self._status_badge(c) or '<span class="meta">not rated</span>')

    def _review_pill(self, c) -> str:
        return (
            '<span class="review-pill">Desk review: '
            + str(self.badge(c.review.verdict, "verdict"))
            + "</span>"
        )

    def claim_line(self, c) -> Markup:
        """What a claim is and who makes it, as words a reader does not misread ("Factual claim by Government of
        Russia"), then how it stands in the sources and the desk's verdict, each named: a kind is no pill beside a
        status, so "fact · disputed" cannot read as "a fact, though disputed"."""
        kind = c.kind
        said = KIND_WORDS.get(kind or "", "Claim")
        head = (
            '<a class="kind-words" href="'
            + escaped(self.link(urls.GLOSSARY, f"kind-{kind}"))
            + '" title="'
            + escaped(MEANINGS.get(("kind", kind), ""))
            + '">'
            + said
            + "</a>"
            if kind
            else said
        )
        parts = [head + " by " + str(self.claimant(c.claimant, c))]
        if self.denial(c) and self._disputed_targets(c):
            parts.append(str(self.disputes_line(c)))
        elif c.evidence_status is not None:
            parts.append(
                '<span class="standing">In the sources: '
                + str(self.badge(c.evidence_status))
                + "</span>"
            )
        if c.review is not None:
            parts.append(self._review_pill(c))
        return Markup(" · ".join(parts))

    def claimant(self, claimant_id: str, claim=None) -> Markup:
        """Who says it: an actor, or a source in that place: "as reported by" its publisher for a fact or a
        figure, its analysis for an opinion, characterisation or forecast of ``claim`` (None: a figure's)."""
        together = getattr(claimant_id, "all", (claimant_id,))
        if len(together) > 1:  # said together: every speaker named
            return Markup(speakers([str(self.claimant(s, claim)) for s in together]))
        if claimant_id in self.archive.actors or claimant_id not in self.archive.sources:
            return self.actor(claimant_id)
        says = reports(claim)
        key = ("claimant", claimant_id, says)
        html = self.cache.get(key)
        if html is None:
            html = self.cache[key] = _link(
                self.link(urls.source(claimant_id)),
                escaped(source_voice(self.archive, claimant_id, says)),
            )
        return html

    def figure(self, f) -> Markup:
        """'more than 7', 'about 6–8': the number as it was put."""
        if f.value is None:  # a vague quantity: 'dozens'
            return Markup("<strong>" + escaped(f.qualifier or "") + "</strong>")
        text = FIGURE_WORDS.get(f.qualifier or "exactly", "") + "<strong>" + number(f.value)
        if f.value_max is not None:
            text += "–" + number(f.value_max)
        return Markup(text + "</strong>")

    def dated(self, d, note: str | None) -> Markup:
        """A date; one the desk inferred is styled as inferred and says from what."""
        if not note:
            return self.date(d)
        return Markup(
            '<span class="inferred" title="Inferred by the desk, not reported by the source">'
            + str(self.date(d))
            + " (date inferred: "
            + escaped(note)
            + ")</span>"
        )

    def dated_short(self, d, note: str | None) -> Markup:
        """A date in a list or table: one the desk inferred carries "≈" (screen readers hear "date inferred") and
        its reason as a tooltip; the list's legend says what the mark means, the record's card says it in full."""
        if not note:
            return self.date(d)
        return Markup(
            '<span class="inferred" title="Date inferred by the desk: '
            + escaped(note)
            + '">'
            + str(self.date(d))
            + '<span class="approx" aria-hidden="true">≈</span><span class="sr-only"> (date inferred)</span></span>'
        )

    def inferred(self, note: str | None, what: str) -> Markup:
        """A mark that something was inferred by the desk, not reported, with the desk's note."""
        if not note:
            return Markup("")
        return Markup(
            '<span class="inferred" title="Inferred by the desk, not reported by the source">'
            + escaped(what)
            + " inferred: "
            + escaped(note)
            + "</span>"
        )

    def actor(self, actor_id: str) -> Markup:
        key = ("actor", actor_id)
        html = self.cache.get(key)
        if html is None:
            a = self.archive.actors.get(actor_id)
            html = self.cache[key] = _link(
                self.link(urls.actor(actor_id)), escaped(a.name if a else actor_id)
            )
        return html

    def also_known(self, ids) -> Markup:
        """The other names of the actors ``ids`` (one id, or a joint claimant), for search alone: hidden from
        sight and from screen readers, read by both search indexes, so a reader who types "Kremlin" finds what
        the Government of Russia says."""
        names = [
            alias
            for i in getattr(ids, "all", (ids,) if isinstance(ids, str) else ids)
            if (a := self.archive.actors.get(i)) is not None
            for alias in a.aliases
        ]
        if not names:
            return Markup("")
        return Markup(
            '<p class="search-terms" aria-hidden="true">Also known as: '
            + escaped(", ".join(names))
            + "</p>"
        )

    def actors(self, ids) -> Markup:
        return Markup(", ").join(self.actor(i) for i in ids)

    def date(self, d) -> Markup:
        if d.unknown:  # no day to put in a <time>: the source gives none
            return Markup('<span class="date-unknown">date unknown</span>')
        key = ("date", d.text)
        html = self.cache.get(key)
        if html is None:
            # as precise as written: a month is '2025-12', never the 1st (HTML's month and year strings)
            html = self.cache[key] = Markup(
                '<time datetime="'
                + escaped(d.text.split("/", 1)[0])
                + '">'
                + escaped(d.display())
                + "</time>"
            )
        return html

    def thread(self, t: Thread) -> Markup:
        where, anchor = thread_url(t)
        return _link(self.link(where, anchor), self._label(t))

    def label(self, t: Thread) -> Markup:
        return Markup(self._label(t))

    def _label(self, t: Thread) -> str:
        html = self.labels.get(t)
        if html is None:
            html = self.labels[t] = escaped(thread_label(self.archive, t))
        return html

    def change(self, kind: str, x) -> Markup:
        """One entry of a "What changed" list (``BriefingChanges.entries()``), as a list item and a line break.

        Called for every change of every briefing (a hundred thousand in a large archive), so it is
        built here like the other fragments; the groups around it are made by ``changes``. The parts
        are plain ``str``: adding a str to a Markup would escape the str.
        """
        if kind == "status":
            return Markup(self._change_status(x))
        if kind == "figure":
            return Markup(self._change_figure(x))
        if kind in ("claim-added", "issue-added"):
            return Markup(self._change_added(kind, x))
        if kind in ("claim-dropped", "issue-dropped"):
            what = "Claim" if kind == "claim-dropped" else "Issue"
            return Markup(
                '<li class="change-dropped"><span class="change-kind">'
                + what
                + "</span> "
                + str(self.thread(x))
                + "</li>\n"
            )
        if kind == "position":
            return Markup(self._change_position(x))
        return Markup("")

    def _change_status(self, x) -> str:
        record = x.thread.thread_kind
        badge_kind = "evidence" if record == "claim" else "issue"
        return (
            '<li class="change-status">'
            + str(self.thread(x.thread))
            + ": "
            + str(self.badge(x.before, badge_kind))
            + " → "
            + str(self.badge(x.after, badge_kind))
            + " "
            + self._trend(record, x.trend)
            + "</li>\n"
        )

    def _change_figure(self, x) -> str:
        before = ""
        if x.before is not None:
            before = str(self.figure(x.before)).replace("<strong>", "").replace("</strong>", "")
            if x.before.unit != x.after.unit:
                before += " " + escaped(x.before.unit)
            before += " → "
        return (
            '<li class="change-figure">'
            + str(self.thread(x.claim))
            + ": "
            + before
            + str(self.figure(x.after))
            + " "
            + escaped(x.after.unit)
            + "</li>\n"
        )

    def _change_added(self, kind: str, x) -> str:
        what = "Claim" if kind == "claim-added" else "Issue"
        badges = self.claim_badges(x) if kind == "claim-added" else self.badge(x.status, "issue")
        return (
            '<li class="change-added"><span class="change-kind">'
            + what
            + "</span> "
            + str(badges)
            + " "
            + str(self.thread(x))
            + "</li>\n"
        )

    def _change_position(self, x) -> str:
        was = (
            "" if x.before is None else ' <span class="was">(was: ' + escaped(x.before) + ")</span>"
        )
        return (
            '<li class="change-position"><span class="change-kind">'
            + ("New" if x.before is None else "Changed")
            + "</span> "
            + str(self.actor(x.position.actor))
            + " on "
            + str(self.thread(x.issue))
            + ": "
            + escaped(x.position.position)
            + was
            + "</li>\n"
        )

    def trend(self, record: str, direction: str) -> Markup:
        """The arrow of a status change and what it means, in words ("↑ moved toward agreement")."""
        return Markup(self._trend(record, direction))

    def no_change(self) -> Markup:
        """The trend of a status that its latest briefing left as the one before had it: every row has one."""
        return Markup(
            '<span class="trend trend-same" role="img" aria-label="no change" title="no change">→</span> '
            '<span class="movement">no change</span>'
        )

    def first_reported(self) -> Markup:
        """The trend of a thread reported once: nothing to compare yet."""
        return Markup('<span class="movement">first reported</span>')

    def _trend(self, record: str, direction: str) -> str:
        key = ("trend", record, direction)
        html = self.cache.get(key)
        if html is None:
            t = escaped(direction)
            html = self.cache[key] = (
                '<span class="trend trend-'
                + t
                + '" role="img" aria-label="'
                + t
                + '" title="'
                + t
                + '">'
                + _TRENDS[direction]
                + '</span> <span class="movement">'
                + escaped(TREND_WORDS[(record, direction)])
                + "</span>"
            )
        return html

    def changes(self, ch: BriefingChanges, anchors: bool = False) -> Markup:
        """A "What changed" list grouped under counted headings (``changes.GROUPS``), status changes first.

        ``anchors`` gives each group an id (``changed-status`` …), for a page that shows one briefing's changes.
        """
        counts = ch.group_counts()
        out: list[str] = []
        group = None
        for kind, x in ch.entries():
            g = GROUP_OF[kind]
            if g != group:
                if group is not None:
                    out.append("</ul>\n")
                group = g
                out.append(
                    '<h3 class="change-group"'
                    + (' id="changed-' + g + '"' if anchors else "")
                    + ">"
                    + GROUPS[g]
                    + ' <span class="count">('
                    + str(counts[g])
                    + ")</span></h3>\n"
                    + '<ul class="change-list">\n'
                )
            out.append(str(self.change(kind, x)))
        if group is not None:
            out.append("</ul>\n")
        return Markup("".join(out))

    def since(self, ch: BriefingChanges) -> Markup:
        """The label of a "since" strip: the previous briefing's date, or, when it is of the same day, which one."""
        assert ch.previous is not None
        if ch.previous.date.text == ch.briefing.date.text:
            return Markup("Since the earlier briefing of ") + self.date(ch.previous.date)
        return Markup("Since ") + self.date(ch.previous.date)

    def mark(self, ch: BriefingChanges, thread: Thread) -> Markup:
        """A "new" or "changed" stamp on a record that is so since the previous briefing of its story."""
        mark = ch.mark(thread)
        if mark is None:
            return Markup("")
        return Markup(
            '<span class="since-mark since-'
            + mark
            + '" title="Since the previous briefing of this story">'
            + mark
            + "</span> "
        )

    def cite(self, source_id: str) -> Markup:
        """A source cited by its number on this page ([1]), linking to its page."""
        src = self.archive.sources.get(source_id)
        number = self.cites.setdefault(source_id, len(self.cites) + 1)
        return Markup(
            '<a class="cite" href="'
            + escaped(self.link(urls.source(source_id)))
            + '" title="'
            + escaped(src.shown_title if src else source_id)
            + '">['
            + str(number)
            + "]</a>"
        )

    def quote(self, q: Quote) -> Markup:
        """A quote, cited by its source's number on this page ([1]); the link opens the highlighted passage.

        The page lists each numbered source once (``cited``), so the title is not repeated under every quote.
        """
        src = self.archive.sources.get(q.source)
        title = src.shown_title if src else q.source
        number = self.cites.setdefault(q.source, len(self.cites) + 1)
        by = str(self.actor(q.by)) + ", " if q.by else ""
        if (
            q.verified
        ):  # said once for the page (legend), not under every quote: only the exceptions are marked
            self.found = True
            href, mark, where = (
                self.link(urls.source(q.source), q.anchor),
                "",
                ": exact words in source; the passage, highlighted",
            )
        else:
            href, mark, where = self.link(urls.source(q.source)), _UNCHECKED, ""
        return Markup(
            '<blockquote class="quote">\n<p>“'
            + escaped(q.exact)
            + "”</p>\n<footer data-search-exclude>"
            + by
            + '<a class="cite" href="'
            + escaped(href)
            + '" title="'
            + escaped(title)
            + where
            + '">['
            + str(number)
            + "]</a> "
            + mark
            + (
                ' · <span class="translation">translated: ' + escaped(q.translation) + "</span>"
                if q.translation
                else ""
            )
            + "</footer>\n</blockquote>"
        )


__all__ = ["Fragments", "escaped"]
