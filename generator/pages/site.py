"""Which pages the site has, and what each one shows: the archive indexed once, then laid out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from generator.errors import BuildError
from generator.format import model, schema
from generator.format.model import (
    Archive,
    Briefing,
    Call,
    Claim,
    OpenIssue,
    Position,
    Thread,
    changed_positions,
)
from generator.format.text import one_line
from generator.pages import urls
from generator.pages.changes import (
    BriefingChanges,
    as_written,
    change_rows,
    story_changes,
    trend,
)
from generator.pages.links import NO_STORY, story_key
from generator.pages.render import SitePage, period_label, source_spans


def readable_story(story: str) -> str:
    """A story's name while no briefing gives its ``story_title`` (the check warns): its id's words, never the
    slug itself ("kessel-dam" reads "Kessel dam")."""
    words = story.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


NO_STORY_TITLE = "Briefings without a story"
"""The name of their group and its pages, unless one of them gives a ``story_title``."""


@dataclass
class Index:
    """Cross-references computed once for the whole archive."""

    claims: dict[str, list[Claim]]
    issues: dict[str, list[OpenIssue]]
    calls: dict[str, list[Call]]
    disputed_by: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    supported_by: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    superseded_by: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    by_actor: dict[str, dict[str, list]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    stories: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    previous: dict[str, Briefing] = field(default_factory=dict)
    next: dict[str, Briefing] = field(default_factory=dict)
    changes: dict[str, BriefingChanges] = field(default_factory=dict)
    """Briefing id → what changed since the previous briefing of its story (changes.py)."""

    _story_titles: dict[str, str] = field(default_factory=dict, repr=False)
    _story_issues: dict[str, list] | None = field(default=None, repr=False)

    def once_each(self, records: list[Claim], near: Claim) -> list[Claim]:
        """One record per thread among ``records`` (all briefings' records of the claims that dispute or supersede
        ``near``): the one in ``near``'s briefing when there is one, else the latest."""
        chosen: dict[str, Claim] = {}
        for r in records:
            if chosen.get(r.id) is None or chosen[r.id].briefing is not near.briefing:
                chosen[r.id] = r
        return list(chosen.values())

    def issues_of(self, story: str) -> list[list[OpenIssue]]:
        """The issue threads of a story (by the story of their latest record), by title."""
        if self._story_issues is None:
            by_story: dict[str, list] = defaultdict(list)
            for chain in self.issues.values():
                by_story[story_key(chain[-1].briefing)].append(chain)
            for chains in by_story.values():
                chains.sort(key=lambda ch: (ch[-1].title, ch[-1].id))
            self._story_issues = by_story
        return self._story_issues.get(story, [])

    def story_title(self, story: str | None) -> str:
        """The name of a story: the latest ``story_title`` given in its briefings, else its id's words
        (``readable_story``; ``NO_STORY_TITLE`` for the briefings without a story)."""
        key = story or NO_STORY
        title = self._story_titles.get(key)
        if title is None:  # asked for on every page and timeline event of the story: found once
            chain = self.stories.get(key, [])
            named = next((b.story_title for b in reversed(chain) if b.story_title), None)
            title = self._story_titles[key] = named or (
                NO_STORY_TITLE if key == NO_STORY else readable_story(key)
            )
        return title

    def unchanged_since(self, t: Thread) -> Briefing | None:
        """The earliest briefing of its story from which a claim or open issue is carried forward word for word to
        ``t``'s briefing; None when ``t`` is new there or differs from its record in the briefing before."""
        family = self.claims if t.thread_kind == "claim" else self.issues
        chain = family.get(t.id or "", [])
        i = next((k for k, r in enumerate(chain) if r is t), 0)
        since = None
        while i > 0 and story_key(chain[i - 1].briefing) == story_key(t.briefing):
            if as_written(chain[i - 1]) != as_written(chain[i]):
                break
            i -= 1
            since = chain[i].briefing
        return since

    def story_latest(self, b: Briefing) -> Briefing:
        """The latest briefing of ``b``'s story (``b`` itself when it is the latest)."""
        return self.stories[story_key(b)][-1]

    def is_stale(self, thread: Thread) -> bool:
        """True when a thread's latest record is not in the latest briefing of its story: it was not updated there."""
        return self.story_latest(thread.briefing) is not thread.briefing

    def moved(self, chain: list) -> tuple[str, str, str] | None:
        """(before, after, trend) when a thread's status changed in its latest record, else None."""
        if len(chain) < 2 or chain[-2].status == chain[-1].status:
            return None
        kind = chain[-1].thread_kind
        return chain[-2].status, chain[-1].status, trend(kind, chain[-2].status, chain[-1].status)

    def thread(self, thread_id: str) -> Thread | None:
        for family in (self.claims, self.issues, self.calls):
            if thread_id in family:
                return family[thread_id][-1]
        return None


def build_index(archive: Archive) -> Index:
    index = Index(archive.threads("claim"), archive.threads("issue"), archive.threads("call"))
    for b in archive.briefings:
        chain = index.stories[story_key(b)]
        if chain:
            index.previous[b.id] = chain[-1]
            index.next[chain[-1].id] = b
        chain.append(b)
        for tag in b.tags:
            index.tags[tag].append(b)
        _index_records(index, b)
    index.changes = story_changes(index.stories)
    return index


def _index_records(index: Index, b: Briefing) -> None:
    """What each actor did in ``b``, and which claims of ``b`` dispute, support or supersede which."""
    for call in b.calls:
        for actor in call.participants:
            index.by_actor[actor]["calls"].append(call)
        for r in call.readouts:
            for who in r.by.all:
                index.by_actor[who]["readouts"].append((call, r))
    for claim in b.claims:
        for who in claim.claimant.all:  # every speaker's page lists what they said together
            index.by_actor[who]["claims"].append(claim)
        for target in claim.disputes:
            index.disputed_by[target].append(claim)
        for target in claim.supports:
            index.supported_by[target].append(claim)
        for target in claim.supersedes:
            index.superseded_by[target].append(claim)
    for issue in b.open_issues:
        for p in issue.positions:
            index.by_actor[p.actor]["positions"].append((issue, p))


@dataclass
class _Planning:
    """What every family of pages is planned from: the archive, its index, and what several families share."""

    archive: Archive
    index: Index
    base: dict
    stories: list
    chains: list
    timeline: list
    home: list
    only: frozenset[str] | None = None
    """Set when only the pages that list the archive in brief and the pages of these subjects are wanted
    (:func:`plan_pages`): a family may then skip the pages that can be neither."""

    def skips(self, subject_: str | None = None) -> bool:
        """Whether a page of ``subject_`` (None: a page of no subject that lists no archive) is not wanted."""
        return self.only is not None and subject_ not in self.only


def plan_pages(
    archive: Archive, index: Index | None = None, only: Iterable[str] | None = None
) -> list[SitePage]:
    """Every page of the site, in a stable order: family by family. With ``only``, the pages that list the
    archive in brief (``summary``) and those whose ``subject`` is in ``only``, the pages a preview's save
    renders at once; the families skip the others where they can, so that the plan costs what they are."""
    index = index or build_index(archive)
    plan = _Planning(
        archive,
        index,
        {"index": index},
        by_activity(index),
        sorted(index.claims.values(), key=lambda ch: (ch[0].date.start, ch[-1].id), reverse=True),
        timeline_threads(index),
        [HOME],
        None if only is None else frozenset(only),
    )
    pages: list[SitePage] = []
    for family in FAMILIES:
        pages += family(plan)
    if plan.only is not None:
        pages = [p for p in pages if p.summary or p.subject in plan.only]
    _one_page_a_url(pages)
    return pages


def subject(kind: str, key: str) -> str:
    """What a page is about, as its ``subject`` and ``about`` name it: ``subject('actor', 'kremlin')``."""
    return f"{kind}:{key}"


def subjects_named(briefings: Sequence[Briefing], archive: Archive) -> set[str]:
    """The subjects a change to these briefings touches: each briefing, its story and tags, and the actors,
    sources and open issues it names."""
    found: set[str] = set()
    for b in briefings:
        found |= {subject("briefing", b.id), subject("story", story_key(b))}
        found |= {subject("tag", t) for t in b.tags}
        for text in model.named_ids(b):
            if text in archive.actors:
                found.add(subject("actor", text))
            if text in archive.sources:
                found.add(subject("source", text))
            found.add(subject("issue", text))
    return found


def _front_pages(plan: _Planning) -> list[SitePage]:
    """Home, the stories and the briefings by story and month."""
    base, stories = plan.base, plan.stories
    by_story_month: dict[str, dict[str, list[Briefing]]] = defaultdict(dict)
    for b in reversed(plan.archive.briefings):
        by_story_month[story_key(b)].setdefault(b.date.text[:7], []).append(b)
    return [
        SitePage(
            urls.HOME,
            "home.md.j2",
            "Home",
            {**base, "stories": stories},
            searchable=False,
            summary=True,
            section="Home",
        ),
        SitePage(
            urls.STORIES,
            "stories_index.md.j2",
            "Stories",
            {**base, "stories": stories},
            searchable=False,
            summary=True,
            section="Stories",
        ),
        SitePage(
            urls.BRIEFINGS,
            "briefings_index.md.j2",
            "Briefings",
            {**base, "groups": by_story_month},
            searchable=False,
            summary=True,
            section="Briefings",
        ),
    ]


def _briefing_pages(plan: _Planning) -> list[SitePage]:
    pages = []
    for b in plan.archive.briefings:
        key = story_key(b)
        pages.append(
            SitePage(
                urls.briefing(b.id),
                "briefing.md.j2",
                f"Draft: {b.title}" if b.draft else b.title,
                {**plan.base, "b": b},
                edit=b.path,
                tags=list(b.tags),
                description=one_line(b.bottom_line or b.summary)[:300],
                crumbs=[*plan.home, STORIES, (plan.index.story_title(key), urls.story(key))],
                kind="briefing",
                subject=subject("briefing", b.id),
                story=key,
            )
        )
    return pages


def _story_pages(plan: _Planning) -> list[SitePage]:
    """Each story's page, and its changes, claims and timeline by month."""
    pages: list[SitePage] = []
    index, home = plan.index, plan.home
    for story, chain in sorted(index.stories.items()):
        if plan.skips(subject("story", story)):
            continue
        title = index.story_title(story)
        crumbs = [*home, STORIES, (title, urls.story(story))]
        ctx = {**plan.base, "story": story}
        pages.append(
            SitePage(
                urls.story(story),
                "story.md.j2",
                f"Story: {title}",
                {**ctx, "chain": chain},
                searchable=False,
                crumbs=[*home, STORIES],
                kind="story",
                subject=subject("story", story),
            )
        )
        if plan.skips():
            continue
        pages += monthly(
            urls.story_part(story, "changes"),
            "story_changes.md.j2",
            f"What changed: {title}",
            ctx,
            change_rows(chain, index.changes),
            searchable=False,
            crumbs=crumbs,
            kind="story-changes",
        )
        pages += monthly(
            urls.story_part(story, "claims"),
            "claims_index.md.j2",
            f"Claims: {title}",
            ctx,
            [
                (ch[0].date.sort_text, ch)
                for ch in plan.chains
                if story_key(ch[-1].briefing) == story
            ],
            searchable=False,
            crumbs=crumbs,
            kind="story-claims",
        )
        pages += monthly(
            urls.story_part(story, "timeline"),
            "timeline.md.j2",
            f"Timeline: {title}",
            ctx,
            [(t.date.sort_text, t) for t in plan.timeline if story_key(t.briefing) == story],
            searchable=False,
            crumbs=crumbs,
            kind="story-timeline",
        )
    return pages


def _actor_pages(plan: _Planning) -> list[SitePage]:
    # The index is a table of every actor (one run-together entry in search); each actor's own page is searchable.
    archive, index, base = plan.archive, plan.index, plan.base
    pages = [
        SitePage(
            urls.ACTORS,
            "actors_index.md.j2",
            "Actors",
            base,
            edit=_rel_content(archive, "actors.yaml"),
            searchable=False,
            summary=True,
            section="Actors",
        )
    ]
    for actor in sorted(archive.actors.values(), key=lambda a: a.id) if not plan.skips() else ():
        acts = _actor_activity(index.by_actor.get(actor.id, {}))
        pages += monthly(
            urls.actor(actor.id),
            "actor.md.j2",
            actor.name,
            {**base, "actor": actor, "stands": []},
            acts,
            first_page={"stands": _stands(index.by_actor.get(actor.id, {}), index)},
            edit=actor.path,
            crumbs=[*plan.home, ("Actors", urls.ACTORS)],
            kind="actor",
            about=frozenset({subject("actor", actor.id)}),
        )
    return pages


def _issue_pages(plan: _Planning) -> list[SitePage]:
    index, base = plan.index, plan.base
    pages = [
        SitePage(
            urls.ISSUES,
            "issues_index.md.j2",
            "Open issues",
            {**base, "stories": plan.stories},
            searchable=False,
            summary=True,
            section="Open issues",
        )
    ]
    for issue_id, issue_chain in sorted(index.issues.items()) if not plan.skips() else ():
        key = story_key(issue_chain[-1].briefing)
        pages.append(
            SitePage(
                urls.issue(issue_id),
                "issue.md.j2",
                issue_chain[-1].title,
                {
                    **base,
                    "chain": issue_chain,
                    "parties": parties(issue_chain),
                    "moved_by": _moved_by(issue_chain, index),
                },
                edit=issue_chain[-1].path,
                crumbs=[
                    *plan.home,
                    ("Open issues", urls.ISSUES),
                    (index.story_title(key), "#".join(urls.story_issues(key))),
                ],
                kind="issue",
                about=frozenset({subject("issue", issue_id)}),
                story=key,
            )
        )
    return pages


def _archive_lists(plan: _Planning) -> list[SitePage]:
    """The claims and the timeline of the whole archive, by month."""
    if plan.skips():
        return []
    # the stories by name for the lists' "By story" links: a page shows their names, not their briefings
    named = [(key, plan.index.story_title(key)) for key, _ in plan.stories]
    story_ctx = {**plan.base, "stories": named, "story": None}
    return [
        *monthly(
            urls.CLAIMS,
            "claims_index.md.j2",
            "Claims",
            {**story_ctx, "per_story": _count(c[-1] for c in plan.chains)},
            [(ch[0].date.sort_text, ch) for ch in plan.chains],
            searchable=False,
            crumbs=plan.home,
            kind="claims",
            section="Claims",
        ),
        *monthly(
            urls.TIMELINE,
            "timeline.md.j2",
            "Timeline",
            {**story_ctx, "per_story": _count(plan.timeline)},
            [(t.date.sort_text, t) for t in plan.timeline],
            searchable=False,
            crumbs=plan.home,
            kind="timeline",
            section="Timeline",
        ),
    ]


def _source_pages(plan: _Planning) -> list[SitePage]:
    if plan.skips():
        return []
    archive, base = plan.archive, plan.base
    by_date = sorted(
        archive.sources.values(), key=lambda s: (s.published.start, s.id), reverse=True
    )
    # Period pages live under sources/_months/: "_" is never in an id, so no source page can collide.
    pages = monthly(
        urls.SOURCES,
        "sources_index.md.j2",
        "Sources",
        base,
        [(s.published.text, s) for s in by_date],
        edit=_rel_content(archive, "sources.yaml"),
        searchable=False,
        periods_url=urls.SOURCE_PERIODS,
        crumbs=plan.home,
        kind="sources",
        section="Sources",
    )
    spans = source_spans(archive)
    first_story: dict[
        str, str
    ] = {}  # a source's words go into the index of the first story that lists it
    for b in archive.briefings:
        for sid in b.sources:
            first_story.setdefault(sid, story_key(b))
    for source in sorted(archive.sources.values(), key=lambda s: s.id):
        pages.append(
            SitePage(
                urls.source(source.id),
                "source.md.j2",
                source.shown_title,
                {**base, "source": source, "spans": spans.get(source.id, [])},
                edit=source.path,
                crumbs=[*plan.home, ("Sources", urls.SOURCES)],
                kind="source",
                about=frozenset({subject("source", source.id)}),
                story=first_story.get(source.id),
            )
        )
    return pages


def _tag_pages(plan: _Planning) -> list[SitePage]:
    base, index = plan.base, plan.index
    tag_counts = sorted((tag, len(chain)) for tag, chain in index.tags.items())
    pages = [
        SitePage(
            urls.TAGS,
            "tags.md.j2",
            "Tags",
            {**base, "tag_counts": tag_counts},
            searchable=False,
            summary=True,
            section="Tags",
        )
    ]
    for tag, chain in sorted(index.tags.items()):
        pages += monthly(
            urls.tag(tag),
            "tag.md.j2",
            f"Tag: {tag}",
            {**base, "tag": tag},
            [(b.date.text, b) for b in reversed(chain)],
            searchable=False,
            crumbs=[*plan.home, ("Tags", urls.TAGS)],
            kind="tag",
            subject=subject("tag", tag),
            about=frozenset({subject("tag", tag)}),
        )
    return pages


def _desk_pages(plan: _Planning) -> list[SitePage]:
    """The desk's own pages (content/pages/) listed, and the glossary."""
    return [
        SitePage(
            urls.PAGES,
            "pages_index.md.j2",
            "About",
            {**plan.base, "hand_pages": plan.archive.pages},
            searchable=False,
            about=frozenset(),
            section="About",
        ),
        SitePage(
            urls.GLOSSARY,
            "glossary.md.j2",
            "What the labels mean",
            {**plan.base, "glossary": schema.GLOSSARY},
            about=frozenset(),
            section="Glossary",
        ),
    ]


FAMILIES: list[Callable[[_Planning], list[SitePage]]] = [
    _front_pages,
    _briefing_pages,
    _story_pages,
    _actor_pages,
    _issue_pages,
    _archive_lists,
    _source_pages,
    _tag_pages,
    _desk_pages,
]
"""The families of pages, in the order the site lists them: a new kind of page is a family function here
(its pages declare their kind, what they are about and, for a section, its label) and a template."""


def _one_page_a_url(pages: list[SitePage]) -> None:
    """Two pages at one URL would be one file written twice, the second silently replacing the first (an id
    that names a section's own page did so): refused, whichever record came up with it."""
    seen: dict[str, str] = {}
    for p in pages:
        if p.url in seen:
            raise BuildError(
                f"two pages would be written at {p.url or '/'}: '{seen[p.url]}' and '{p.title}'; "
                "rename the record whose id makes the second"
            )
        seen[p.url] = p.title


HOME = ("Home", urls.HOME)
STORIES = ("Stories", urls.STORIES)
"""Breadcrumbs: (label, URL from the site root) of the pages above a page."""


def by_activity(index: Index) -> list[tuple[str, list[Briefing]]]:
    """(story, its briefings oldest first) for every story, the one with the newest briefing first."""
    return sorted(
        index.stories.items(), key=lambda kv: (kv[1][-1].date.start, kv[1][-1].id), reverse=True
    )


@dataclass
class Party:
    """One party's stance on an issue: where it stands now, and each change before, newest first."""

    actor: str
    history: list[tuple[OpenIssue, object]]
    """(issue record, position) each time the party's position changed, newest first (``changed_positions``)."""
    restated: bool
    """Whether the issue's latest record carries this party's position."""

    @property
    def current(self) -> tuple[OpenIssue, object]:
        return self.history[0]


def parties(chain: list[OpenIssue]) -> list[Party]:
    """Every party that took a position on an issue thread, those in its latest record first (in its order)."""
    history: dict[str, list] = {}
    for i, p in changed_positions(chain):
        history.setdefault(p.actor, []).insert(0, (i, p))
    latest = [p.actor for p in chain[-1].positions]
    order = list(dict.fromkeys(a for a in latest if a in history)) + [
        a for a in history if a not in latest
    ]
    return [Party(a, history[a], a in latest) for a in order]


MOVED_BY = 10
"""How many of the calls and claims linked to an issue its page lists; the rest are counted."""


def _moved_by(chain: list[OpenIssue], index: Index) -> tuple[list[Thread], int]:
    """The calls and claims linked to an issue in any of its records (as they stand now), newest first, at most
    ``MOVED_BY``; and how many more there are."""
    seen: dict[str, Thread] = {}
    for i in chain:
        for rid in i.related:
            t = index.thread(rid)
            if t is not None:
                seen[rid] = t
    ordered = sorted(
        seen.values(), key=lambda t: (getattr(t, "date", t.briefing.date).start, t.id), reverse=True
    )
    return ordered[:MOVED_BY], max(0, len(ordered) - MOVED_BY)


def _count(threads) -> dict[str, int]:
    """Story → how many of the threads are in it (by their latest record)."""
    counts: dict[str, int] = defaultdict(int)
    for t in threads:
        counts[story_key(t.briefing)] += 1
    return counts


def _stands(acts: dict, index: Index) -> list[tuple[OpenIssue, Position, OpenIssue, bool]]:
    """Where an actor stands on each issue it took a position on: (issue as it stands now, the actor's latest
    position, the record it is in, whether that is the issue's latest record), the newest issues first."""
    latest: dict[str, tuple[OpenIssue, Position]] = {}
    for issue, p in acts.get("positions", []):
        latest[issue.id] = (issue, p)  # briefings are in date order: the last one wins
    out = []
    for issue_id, (issue, p) in latest.items():
        now = index.issues[issue_id][-1]
        out.append((now, p, issue, issue is now))
    out.sort(key=lambda row: (row[0].briefing.date.start, row[0].id), reverse=True)
    return out


PAGE_ITEMS = 400
"""Most rows a list page holds before its period is split: a month into weeks, a week into days."""


def _week(when: str) -> str:
    """'2025-01-29' → '2025-01-w5': the month and its week (days 1–7 are week 1)."""
    return f"{when[:7]}-w{(int(when[8:10]) - 1) // 7 + 1}" if len(when) >= 10 else when[:7]


def _split(key: str, rows: list[tuple[str, object]], periods: list) -> None:
    """Append (key, parent, children, items) for ``rows`` and, when too many, for finer periods."""
    is_day = len(key) == 10 and "-w" not in key
    if len(rows) <= PAGE_ITEMS or is_day:
        periods.append((key, [], [item for _, item in rows]))
        return
    finer = _week if len(key) == 7 else (lambda when: when[:10])
    groups: dict[str, list] = {}
    for when, item in rows:
        groups.setdefault(finer(when), []).append((when, item))
    if len(groups) == 1 and next(iter(groups)) == key:
        # cannot split further (month-precision dates)
        periods.append((key, [], [item for _, item in rows]))
        return
    children = [(k, len(groups[k])) for k in sorted(groups, reverse=True)]
    periods.append((key, children, []))
    for k, _ in children:
        _split(k, groups[k], periods)


WHOLE_LIST = 50
"""Rows up to which a list that is split by month is shown whole on one page (reader review 2: the claims index
opened on the latest month and hid a story of six claims)."""


def monthly(
    url: str,
    template: str,
    title: str,
    context: dict,
    dated: Sequence[tuple[str, object]],
    edit: str | None = None,
    searchable: bool = True,
    periods_url: str | None = None,
    crumbs: list[tuple[str, str]] | None = None,
    kind: str = "",
    subject: str | None = None,
    about: frozenset[str] | None = None,
    section: str | None = None,
    first_page: dict | None = None,
) -> list[SitePage]:
    """A list that would grow with the archive, split by month (a busy month by week, a busy week by day).

    ``dated`` holds (date text, item) pairs, newest first. The page at ``url``
    shows the newest period with rows and links every month; each period has a
    page under ``periods_url`` (default ``url``; give another folder where ``url``
    also holds pages named by ids). A list of at most ``WHOLE_LIST`` rows is one page, whole.
    ``kind`` and ``about`` are every page's; ``subject`` and ``section`` the first page's (``SitePage``), and
    ``first_page``, context the first page alone shows (what else a page's context holds, it counts as shown:
    ``pages/shown.py``).
    """
    base = periods_url or url
    months: dict[str, list[tuple[str, object]]] = {}
    for when, item in dated:
        months.setdefault(when[:7], []).append((when, item))
    names = sorted(months, reverse=True)
    nav = [(m, len(months[m])) for m in names]
    periods: list[tuple[str, list, list]] = []  # (key, finer periods listed on its page, rows)
    for m in names:
        _split(m, months[m], periods)

    def page(
        page_url: str, key: str | None, children: list, items: list, landing: bool
    ) -> SitePage:
        ctx = {
            **context,
            **((first_page or {}) if landing else {}),
            "months": nav,
            "children": children,
            "section": base,
            "shown": key,
            "landing": landing,
            "items": items,
        }
        label = f"{title}: {period_label(key)}" if key and not landing else title
        trail = list(crumbs or []) if landing else [*(crumbs or []), (title, url)]
        # a period page repeats rows of its landing page: only the landing page is searched
        return SitePage(
            page_url,
            template,
            label,
            ctx,
            edit=edit,
            searchable=searchable and landing,
            crumbs=trail,
            kind=kind,
            subject=subject if landing else None,
            about=about,
            section=section if landing else None,
        )

    if len(dated) <= WHOLE_LIST and len(periods) > 1:
        # a short list is shown whole: no month hides a story
        nav.clear()
        return [page(url, None, [], [item for _, item in dated], True)]
    first = next((p for p in periods if p[2]), None) or (None, [], [])
    pages = [page(url, first[0], [], first[2], True)]
    if len(periods) > 1:
        pages += [
            page(urls.period(base, key), key, children, items, False)
            for key, children, items in periods
        ]
    return pages


def _actor_activity(acts: dict) -> list[tuple[str, tuple[str, object]]]:
    """An actor's claims and calls (each thread once, as it stands) and changed positions, newest first.

    A call is one row whether the actor took part, gave a readout or both, and however many briefings
    carry it: the call as its latest briefing has it, with the actor's readouts from the latest
    briefing that gives any (a later briefing may carry the call without repeating them).
    """
    items: list[tuple[tuple, str, tuple[str, object]]] = []
    latest_claims: dict[str, Claim] = {}
    for c in acts.get("claims", []):
        latest_claims[c.id] = c
    for c in latest_claims.values():
        items.append(((c.date.start, 0, c.id), c.date.sort_text, ("claim", c)))
    latest_calls: dict[str, Call] = {}
    mine: dict[str, tuple[Call, list]] = {}
    for c in acts.get("calls", []):
        latest_calls[c.id] = _later_record(latest_calls.get(c.id), c)
    for c, r in acts.get("readouts", []):
        # in briefing order: a later briefing's readouts replace earlier ones
        latest_calls[c.id] = _later_record(latest_calls.get(c.id), c)
        given = mine.get(c.id)
        if given is None or given[0] is not c:
            given = mine[c.id] = (c, [])
        given[1].append(r)
    for c in latest_calls.values():
        items.append(
            ((c.date.start, 1, c.id), c.date.sort_text, ("call", (c, mine.get(c.id, (c, []))[1])))
        )
    for i, p in changed_positions(acts.get("positions", [])):
        when = p.date or i.briefing.date
        items.append(((when.start, 3, i.id), when.sort_text, ("position", (i, p))))
    items.sort(key=lambda x: x[0], reverse=True)
    return [(month, item) for _, month, item in items]


def _later_record(a: Call | None, b: Call) -> Call:
    """The record of the later briefing (briefings are ordered by date, then id)."""
    return (
        b
        if a is None
        or (a.briefing.date.start, a.briefing.id) <= (b.briefing.date.start, b.briefing.id)
        else a
    )


def timeline_threads(index: Index) -> list[Call | Claim]:
    """Each call and claim thread once, as in its latest briefing, newest first; a contact that did not take
    place (planned, postponed, cancelled) is no event."""
    latest: list[Call | Claim] = [c for c in (ch[-1] for ch in index.calls.values()) if c.held]
    latest += [chain[-1] for chain in index.claims.values()]
    return sorted(
        latest, key=lambda t: (t.date.start, t.date.text, t.thread_kind, t.id), reverse=True
    )


def _rel_content(archive: Archive, name: str) -> str | None:
    for record in (*archive.actors.values(), *archive.sources.values()):
        if record.path.endswith("/" + name):
            return record.path
    return None


__all__ = ["plan_pages", "build_index"]
