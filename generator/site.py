"""Which pages the site has, and what each one shows: the archive indexed once, then laid out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Archive, Briefing, Call, Claim, OpenIssue, Thread
from .render import RESERVED, SitePage, briefing_url

RECENT = 10
"""How many briefings and changes the home page lists."""


@dataclass
class Index:
    """Cross-references computed once for the whole archive."""

    claims: dict[str, list[Claim]]
    issues: dict[str, list[OpenIssue]]
    calls: dict[str, list[Call]]
    disputed_by: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    supported_by: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    superseded_by: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    by_actor: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    stories: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    previous: dict[str, Briefing] = field(default_factory=dict)
    next: dict[str, Briefing] = field(default_factory=dict)

    def latest(self, thread: Thread) -> Thread:
        family = {"claim": self.claims, "issue": self.issues, "call": self.calls}[thread.thread_kind]
        return family[thread.id][-1]

    def thread(self, thread_id: str) -> Thread | None:
        for family in (self.claims, self.issues, self.calls):
            if thread_id in family:
                return family[thread_id][-1]
        return None


def build_index(archive: Archive) -> Index:
    index = Index(archive.threads("claim"), archive.threads("issue"), archive.threads("call"))
    for b in archive.briefings:
        story = b.story or "unsorted"
        chain = index.stories[story]
        if chain:
            index.previous[b.id] = chain[-1]
            index.next[chain[-1].id] = b
        chain.append(b)
        for tag in b.tags:
            index.tags[tag].append(b)
        for call in b.calls:
            for actor in call.participants:
                index.by_actor[actor]["calls"].append(call)
            for r in call.readouts:
                index.by_actor[r.by]["readouts"].append((call, r))
        for claim in b.claims:
            index.by_actor[claim.claimant]["claims"].append(claim)
            for target in claim.disputes:
                index.disputed_by[target].append(claim)
            for target in claim.supports:
                index.supported_by[target].append(claim)
            for target in claim.supersedes:
                index.superseded_by[target].append(claim)
        for issue in b.open_issues:
            for p in issue.positions:
                index.by_actor[p.actor]["positions"].append((issue, p))
    return index


def plan_pages(archive: Archive) -> list[SitePage]:
    """Every page of the site, in a stable order."""
    index = build_index(archive)
    base = {"index": index}
    pages: list[SitePage] = []
    newest = list(reversed(archive.briefings))
    pages.append(SitePage("", "home.md.j2", "Home", {**base, "latest": newest[0] if newest else None, "recent": newest[:RECENT]}))

    by_story_month: dict[str, dict[str, list[Briefing]]] = defaultdict(lambda: defaultdict(list))
    for b in newest:
        by_story_month[b.story or "unsorted"][b.date.text[:7]].append(b)
    pages.append(SitePage("briefings/", "briefings_index.md.j2", "Briefings", {**base, "groups": by_story_month}))
    for b in archive.briefings:
        pages.append(SitePage(
            briefing_url(b), "briefing.md.j2", b.title, {**base, "b": b},
            edit=b.path, tags=list(b.tags), description=" ".join(b.summary.split())[:300],
        ))
    for story, chain in sorted(index.stories.items()):
        pages.append(SitePage(f"stories/{story}/", "story.md.j2", f"Story: {story}", {**base, "story": story, "chain": chain}))

    pages.append(SitePage("actors/", "actors_index.md.j2", "Actors", base, edit=_rel_content(archive, "actors.yaml")))
    for actor in sorted(archive.actors.values(), key=lambda a: a.id):
        pages.append(SitePage(f"actors/{actor.id}/", "actor.md.j2", actor.name, {**base, "actor": actor,
                              "acts": index.by_actor.get(actor.id, {})}, edit=actor.path))

    pages.append(SitePage("issues/", "issues_index.md.j2", "Open issues", base))
    for issue_id, chain in sorted(index.issues.items()):
        pages.append(SitePage(f"issues/{issue_id}/", "issue.md.j2", chain[-1].title, {**base, "chain": chain},
                              edit=chain[-1].path))

    chains = sorted(index.claims.values(), key=lambda ch: (ch[-1].date.start, ch[-1].id), reverse=True)
    pages.append(SitePage("claims/", "claims_index.md.j2", "Claims", {**base, "claim_chains": chains}))
    pages.append(SitePage("timeline/", "timeline.md.j2", "Timeline", {**base, "events": _timeline(index)}))

    pages.append(SitePage("sources/", "sources_index.md.j2", "Sources", base, edit=_rel_content(archive, "sources.yaml")))
    from .render import source_spans

    spans = source_spans(archive)
    for source in sorted(archive.sources.values(), key=lambda s: s.id):
        pages.append(SitePage(f"sources/{source.id}/", "source.md.j2", source.title,
                              {**base, "source": source, "spans": spans.get(source.id, [])}, edit=source.path))
    pages.append(SitePage("tags/", "tags.md.j2", "Tags", base))
    pages.append(SitePage("pages/", "pages_index.md.j2", "About", {**base, "hand_pages": archive.pages}))
    return pages


def _timeline(index: Index) -> list[Thread]:
    """Each call and claim thread once, as in its latest briefing, newest first."""
    latest = [chain[-1] for chain in (*index.calls.values(), *index.claims.values())]
    return sorted(latest, key=lambda t: (t.date.start, t.date.text, t.thread_kind, t.id), reverse=True)


def _rel_content(archive: Archive, name: str) -> str | None:
    for record in (*archive.actors.values(), *archive.sources.values()):
        if record.path.endswith("/" + name):
            return record.path
    return None


__all__ = ["plan_pages", "build_index", "RESERVED"]
