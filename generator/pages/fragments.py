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
    """Escaped text as a plain str (for a JSON or feed field that holds HTML as text)."""
    return str(escape(value))


def html(template: str, *parts: object) -> Markup:
    """``template``, constant HTML with ``{}`` fields, filled with ``parts``, each escaped unless it is
    ``Markup`` already: what ``Markup(template).format(*parts)`` does, at the speed of ``str.format`` and
    markupsafe's C escape (these run tens of thousands of times). No fragment is built by adding strings,
    so a value that was not escaped cannot reach a page."""
    return Markup(template.format(*[p if p.__class__ is Markup else escape(p) for p in parts]))


_TRENDS = {"up": "↑", "down": "↓", "level": "↔"}
_FOUND = Markup(
    '<span class="found" title="These words were found, word for word, in the source\'s text; '
    'this says nothing about whether they are true">exact words in source</span>'
)
_LEGEND = html(
    '<p class="quote-legend" data-search-exclude>{}: every quote on this page was found word for word '
    "in its source's text, unless it says otherwise; its number names the source under Sources and opens the "
    "passage, highlighted.</p>",
    _FOUND,
)
_UNCHECKED = Markup(
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


def _link(href: str, inner: object) -> Markup:
    """A link around ``inner`` (text, escaped here, or Markup)."""
    return html('<a href="{}">{}</a>', href, inner)


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
        found = self.cache.get(key)
        if found is None:
            href = self.link(urls.GLOSSARY, f"{kind}-{status}")
            meaning = MEANINGS.get((kind, status))
            title = html(' title="{}"', meaning) if meaning else Markup("")
            found = self.cache[key] = html(
                '<a class="badge badge-{}" data-kind="{}" href="{}"{}>{}</a>',
                status,
                kind,
                href,
                title,
                status.replace("-", " "),
            )
        return found

    def claim_badges(self, c, kind: bool = True) -> Markup:
        """What a claim is and how it stands: its kind (when given), its evidence status (only on a fact: an
        opinion, characterisation or forecast is never rated), and the desk's verdict when it reviewed it. A
        denial that nobody disputes carries "disputes", linked to what it denies, instead of "disputed"."""
        parts = []
        if kind and c.kind is not None:
            parts.append(self.badge(c.kind, "kind"))
        status = self._status_badge(c)
        if status:
            parts.append(status)
        if c.review is not None:
            parts.append(self._review_pill(c))
        return Markup(" ").join(parts)

    def _status_badge(self, c) -> Markup:
        """The badge of how a claim stands: "disputes" (linked) for a denial, its evidence status, or none."""
        if self.denial(c):
            return self._disputes_badge(c)
        return self.badge(c.evidence_status) if c.evidence_status is not None else Markup("")

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

    def _disputes_badge(self, c) -> Markup:
        targets = self._disputed_targets(c)
        if not targets:
            return self.badge("disputed")
        where, anchor = thread_url(targets[0])
        return html(
            '<a class="badge badge-disputes" data-kind="evidence" href="{}" '
            'title="A counter-claim: it disputes {}">disputes</a>',
            self.link(where, anchor),
            Markup("; ").join(self.label(t) for t in targets),
        )

    def disputes_line(self, c) -> Markup:
        """ "Disputes → <the claims it disputes>", on a denial's card in place of its status."""
        return html(
            '<span class="standing disputes-line">Disputes → {}</span>',
            Markup(", ").join(self.thread(t) for t in self._disputed_targets(c)),
        )

    def _kind_link(self, kind: str, words: str) -> Markup:
        """A claim's kind in words, linked to its entry in the glossary, its meaning as the tooltip."""
        return html(
            '<a class="kind-words" href="{}" title="{}">{}</a>',
            self.link(urls.GLOSSARY, f"kind-{kind}"),
            MEANINGS.get(("kind", kind), ""),
            words,
        )

    def kind_words(self, c) -> Markup:
        """A claim's kind as words linked to the glossary ("Factual claim"), for a table's Kind column."""
        if not c.kind:
            return Markup("Claim")
        return self._kind_link(c.kind, KIND_WORDS.get(c.kind, c.kind))

    def standing_word(self, c) -> str:
        """The word a claim's Status column shows and filters by: its evidence status, "disputes" for a denial
        nobody disputes, "not rated" for an opinion, characterisation or forecast."""
        if self.denial(c):
            return "disputes"
        return c.evidence_status or "not rated"

    def standing(self, c) -> Markup:
        """A claim's Status cell: its status badge, "disputes" linked to what a denial disputes, or "not rated"."""
        return self._status_badge(c) or Markup('<span class="meta">not rated</span>')

    def _review_pill(self, c) -> Markup:
        return html(
            '<span class="review-pill">Desk review: {}</span>',
            self.badge(c.review.verdict, "verdict"),
        )

    def claim_line(self, c) -> Markup:
        """What a claim is and who makes it, as words a reader does not misread ("Factual claim by Government of
        Russia"), then how it stands in the sources and the desk's verdict, each named: a kind is no pill beside a
        status, so "fact · disputed" cannot read as "a fact, though disputed"."""
        kind = c.kind
        said = KIND_WORDS.get(kind or "", "Claim")
        head = self._kind_link(kind, said) if kind else said
        parts = [html("{} by {}", head, self.claimant(c.claimant, c))]
        if self.denial(c) and self._disputed_targets(c):
            parts.append(self.disputes_line(c))
        elif c.evidence_status is not None:
            parts.append(
                html(
                    '<span class="standing">In the sources: {}</span>',
                    self.badge(c.evidence_status),
                )
            )
        if c.review is not None:
            parts.append(self._review_pill(c))
        return Markup(" · ").join(parts)

    def claimant(self, claimant_id: str, claim=None) -> Markup:
        """Who says it: an actor, or a source in that place: "as reported by" its publisher for a fact or a
        figure, its analysis for an opinion, characterisation or forecast of ``claim`` (None: a figure's)."""
        together = getattr(claimant_id, "all", (claimant_id,))
        if len(together) > 1:  # said together: every speaker named
            # every name is Markup made here, and the words between them are plain
            return Markup(speakers([str(self.claimant(s, claim)) for s in together]))
        if claimant_id in self.archive.actors or claimant_id not in self.archive.sources:
            return self.actor(claimant_id)
        says = reports(claim)
        key = ("claimant", claimant_id, says)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = _link(
                self.link(urls.source(claimant_id)), source_voice(self.archive, claimant_id, says)
            )
        return found

    def figure(self, f) -> Markup:
        """'more than 7', 'about 6–8': the number as it was put."""
        if f.value is None:  # a vague quantity: 'dozens'
            return html("<strong>{}</strong>", f.qualifier or "")
        value = number(f.value)
        if f.value_max is not None:
            value += "–" + number(f.value_max)
        return html("{}<strong>{}</strong>", FIGURE_WORDS.get(f.qualifier or "exactly", ""), value)

    def dated(self, d, note: str | None) -> Markup:
        """A date; one the desk inferred is styled as inferred and says from what."""
        if not note:
            return self.date(d)
        return html(
            '<span class="inferred" title="Inferred by the desk, not reported by the source">'
            "{} (date inferred: {})</span>",
            self.date(d),
            note,
        )

    def dated_short(self, d, note: str | None) -> Markup:
        """A date in a list or table: one the desk inferred carries "≈" (screen readers hear "date inferred") and
        its reason as a tooltip; the list's legend says what the mark means, the record's card says it in full."""
        if not note:
            return self.date(d)
        return html(
            '<span class="inferred" title="Date inferred by the desk: {}">{}<span class="approx" '
            'aria-hidden="true">≈</span><span class="sr-only"> (date inferred)</span></span>',
            note,
            self.date(d),
        )

    def inferred(self, note: str | None, what: str) -> Markup:
        """A mark that something was inferred by the desk, not reported, with the desk's note."""
        if not note:
            return Markup("")
        return html(
            '<span class="inferred" title="Inferred by the desk, not reported by the source">'
            "{} inferred: {}</span>",
            what,
            note,
        )

    def actor(self, actor_id: str) -> Markup:
        key = ("actor", actor_id)
        found = self.cache.get(key)
        if found is None:
            a = self.archive.actors.get(actor_id)
            found = self.cache[key] = _link(
                self.link(urls.actor(actor_id)), a.name if a else actor_id
            )
        return found

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
        return html(
            '<p class="search-terms" aria-hidden="true">Also known as: {}</p>', ", ".join(names)
        )

    def actors(self, ids) -> Markup:
        return Markup(", ").join(self.actor(i) for i in ids)

    def date(self, d) -> Markup:
        if d.unknown:  # no day to put in a <time>: the source gives none
            return Markup('<span class="date-unknown">date unknown</span>')
        key = ("date", d.text)
        found = self.cache.get(key)
        if found is None:
            # as precise as written: a month is '2025-12', never the 1st (HTML's month and year strings)
            found = self.cache[key] = html(
                '<time datetime="{}">{}</time>', d.text.split("/", 1)[0], d.display()
            )
        return found

    def thread(self, t: Thread) -> Markup:
        where, anchor = thread_url(t)
        return _link(self.link(where, anchor), self.label(t))

    def label(self, t: Thread) -> Markup:
        """A thread's label (``thread_label``), escaped once for every page (a claim is linked from many)."""
        found = self.labels.get(t)
        if found is None:
            found = self.labels[t] = escape(thread_label(self.archive, t))
        return found

    def change(self, kind: str, x) -> Markup:
        """One entry of a "What changed" list (``BriefingChanges.entries()``), as a list item and a line break.

        Called for every change of every briefing (a hundred thousand in a large archive), so it is
        built here like the other fragments; the groups around it are made by ``changes``.
        """
        if kind == "status":
            return self._change_status(x)
        if kind == "figure":
            return self._change_figure(x)
        if kind in ("claim-added", "issue-added"):
            return self._change_added(kind, x)
        if kind in ("claim-dropped", "issue-dropped"):
            what = "Claim" if kind == "claim-dropped" else "Issue"
            return html(
                '<li class="change-dropped"><span class="change-kind">{}</span> {}</li>\n',
                what,
                self.thread(x),
            )
        if kind == "position":
            return self._change_position(x)
        return Markup("")

    def _change_status(self, x) -> Markup:
        record = x.thread.thread_kind
        badge_kind = "evidence" if record == "claim" else "issue"
        return html(
            '<li class="change-status">{}: {} → {} {}</li>\n',
            self.thread(x.thread),
            self.badge(x.before, badge_kind),
            self.badge(x.after, badge_kind),
            self.trend(record, x.trend),
        )

    def _change_figure(self, x) -> Markup:
        before = Markup("")
        if x.before is not None:
            before = Markup(escape(self.figure(x.before).striptags()))
            if x.before.unit != x.after.unit:
                before = html("{} {}", before, x.before.unit)
            before = html("{} → ", before)
        return html(
            '<li class="change-figure">{}: {}{} {}</li>\n',
            self.thread(x.claim),
            before,
            self.figure(x.after),
            x.after.unit,
        )

    def _change_added(self, kind: str, x) -> Markup:
        what = "Claim" if kind == "claim-added" else "Issue"
        badges = self.claim_badges(x) if kind == "claim-added" else self.badge(x.status, "issue")
        return html(
            '<li class="change-added"><span class="change-kind">{}</span> {} {}</li>\n',
            what,
            badges,
            self.thread(x),
        )

    def _change_position(self, x) -> Markup:
        was = (
            Markup("")
            if x.before is None
            else html(' <span class="was">(was: {})</span>', x.before)
        )
        return html(
            '<li class="change-position"><span class="change-kind">{}</span> {} on {}: {}{}</li>\n',
            "New" if x.before is None else "Changed",
            self.actor(x.position.actor),
            self.thread(x.issue),
            x.position.position,
            was,
        )

    def trend(self, record: str, direction: str) -> Markup:
        """The arrow of a status change and what it means, in words ("↑ moved toward agreement")."""
        key = ("trend", record, direction)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = html(
                '<span class="trend trend-{0}" role="img" aria-label="{0}" title="{0}">{1}</span> '
                '<span class="movement">{2}</span>',
                direction,
                _TRENDS[direction],
                TREND_WORDS[(record, direction)],
            )
        return found

    def no_change(self) -> Markup:
        """The trend of a status that its latest briefing left as the one before had it: every row has one."""
        return Markup(
            '<span class="trend trend-same" role="img" aria-label="no change" title="no change">→</span> '
            '<span class="movement">no change</span>'
        )

    def first_reported(self) -> Markup:
        """The trend of a thread reported once: nothing to compare yet."""
        return Markup('<span class="movement">first reported</span>')

    def changes(self, ch: BriefingChanges, anchors: bool = False) -> Markup:
        """A "What changed" list grouped under counted headings (``changes.GROUPS``), status changes first.

        ``anchors`` gives each group an id (``changed-status`` …), for a page that shows one briefing's changes.
        """
        counts = ch.group_counts()
        out: list[Markup] = []
        group = None
        for kind, x in ch.entries():
            g = GROUP_OF[kind]
            if g != group:
                if group is not None:
                    out.append(Markup("</ul>\n"))
                group = g
                out.append(
                    html(
                        '<h3 class="change-group"{}>{} <span class="count">({})</span></h3>\n'
                        '<ul class="change-list">\n',
                        html(' id="changed-{}"', g) if anchors else Markup(""),
                        GROUPS[g],
                        counts[g],
                    )
                )
            out.append(self.change(kind, x))
        if group is not None:
            out.append(Markup("</ul>\n"))
        return Markup("").join(out)

    def since(self, ch: BriefingChanges) -> Markup:
        """The label of a "since" strip: the previous briefing's date, or, when it is of the same day, which one."""
        assert ch.previous is not None
        if ch.previous.date.text == ch.briefing.date.text:
            return html("Since the earlier briefing of {}", self.date(ch.previous.date))
        return html("Since {}", self.date(ch.previous.date))

    def mark(self, ch: BriefingChanges, thread: Thread) -> Markup:
        """A "new" or "changed" stamp on a record that is so since the previous briefing of its story."""
        mark = ch.mark(thread)
        if mark is None:
            return Markup("")
        return html(
            '<span class="since-mark since-{0}" title="Since the previous briefing of this story">{0}</span> ',
            mark,
        )

    def cite(self, source_id: str) -> Markup:
        """A source cited by its number on this page ([1]), linking to its page."""
        src = self.archive.sources.get(source_id)
        number = self.cites.setdefault(source_id, len(self.cites) + 1)
        return html(
            '<a class="cite" href="{}" title="{}">[{}]</a>',
            self.link(urls.source(source_id)),
            src.shown_title if src else source_id,
            number,
        )

    def quote(self, q: Quote) -> Markup:
        """A quote, cited by its source's number on this page ([1]); the link opens the highlighted passage.

        The page lists each numbered source once (``cited``), so the title is not repeated under every quote.
        """
        src = self.archive.sources.get(q.source)
        title = src.shown_title if src else q.source
        number = self.cites.setdefault(q.source, len(self.cites) + 1)
        by = html("{}, ", self.actor(q.by)) if q.by else Markup("")
        # said once for the page (legend), not under every quote: only the exceptions are marked
        if q.verified:
            self.found = True
            href, mark = self.link(urls.source(q.source), q.anchor), Markup("")
            where = ": exact words in source; the passage, highlighted"
        else:
            href, mark, where = self.link(urls.source(q.source)), _UNCHECKED, ""
        translation = (
            html(' · <span class="translation">translated: {}</span>', q.translation)
            if q.translation
            else Markup("")
        )
        return html(
            '<blockquote class="quote">\n<p>“{}”</p>\n<footer data-search-exclude>{}'
            '<a class="cite" href="{}" title="{}{}">[{}]</a> {}{}</footer>\n</blockquote>',
            q.exact,
            by,
            href,
            title,
            where,
            number,
            mark,
            translation,
        )


__all__ = ["Fragments", "escaped", "html"]
