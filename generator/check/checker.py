"""Cross-file rules and quote verification: the whole archive, every error at once."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path

from generator.check.content import Reuse, read_content
from generator.check.continuity import check_continuity
from generator.check.drafts import check_drafts
from generator.check.provenance import check_provenance
from generator.check.reading import check_reading
from generator.check.stored import Stored
from generator.check.stories import check_stories
from generator.errors import Collector, ContentError
from generator.format import model, schema
from generator.format.model import (
    Actor,
    Archive,
    Briefing,
    Claim,
    Thread,
    quotes_of,
    references,
)
from generator.format.quotes import NormalText, find_quote
from generator.format.text import one_line
from generator.project import Project
from generator.suggest import did_you_mean

THREAD_KINDS = {"call": "call", "claim": "claim", "issue": "open issue"}


def check_project(
    project: Project,
    parser: str | None = None,
    reuse: Reuse | None = None,
    kept: bool = False,
    fresh: bool = False,
    known: dict[str, str] | None = None,
) -> Archive:
    """Read, validate and cross-check the content; raise ContentError listing every problem.

    ``reuse`` (the live preview's ``Kept``) hands back what an earlier run read and
    placed from files unchanged since: a save re-reads one file, not the archive. With ``kept``, the records
    an earlier run kept on disk (``stored.Stored``) are handed back for files whose bytes did not change, and
    this run's are kept for the next; with ``fresh`` too, none is handed back (every file is read) and this
    run's are kept. The rules run in full. ``known``: each briefing file's digest as the fingerprint took it
    (``stored.content_digest``): a kept record of that digest is handed back without the file read again."""
    out = Collector()
    store = Stored.of(project, parser, trusted=not fresh, known=known) if kept else None
    archive = read_content(project, out, parser, reuse, store)
    check_archive(archive, project, out)
    out.raise_if_any()
    archive.warnings = sorted(set(out.warnings))
    return archive


def check_archive(archive: Archive, project: Project, out: Collector) -> None:
    """The rules across files, on records as read (every quote placed in its source's text); changes none."""
    _name_quote_sources(archive, out, archive.texts)
    _check_briefings(archive, out)
    _check_references(archive, out)
    _actor_names_used_as_ids(archive, out)
    _lookalike_actors(archive, out)
    check_provenance(archive, out)
    check_reading(archive, out)
    check_continuity(archive, out)
    check_stories(archive, out)
    check_drafts(archive, out)


LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝοαρνκιυτ",  # Cyrillic, then Greek letters that print as Latin ones
    "aeopcyxijsdhlqwoapvkiut",
)
"""Letters of other scripts that a reader cannot tell from Latin ones in most fonts (after case folding)."""


def looks_like(name: str) -> str:
    """What a reader sees of ``name``: compatibility forms, case, invisible characters and look-alike letters
    of other scripts folded away."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return one_line(folded.translate(LOOKALIKES))


def _lookalike_actors(archive: Archive, out: Collector) -> None:
    """Two actors whose names read the same: a claim filed under one reads as the other's."""
    seen: dict[str, Actor] = {}
    for actor in archive.actors.values():
        if not actor.name:  # reported where it is read
            continue
        first = seen.setdefault(looks_like(actor.name), actor)
        if first is not actor:
            odd = sorted({c for c in actor.name + first.name if ord(c) > 0x7E})
            letters = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in odd[:3])
            out.warn(
                actor.at("name"),
                actor.field_path("name"),
                f"'{actor.name}' reads the same as '{first.name}' (actor '{first.id}')"
                + (f", spelt with other characters ({letters})" if actor.name != first.name else "")
                + "; readers cannot tell the two apart: rename one, or keep one actor",
            )


def quote_counts(archive: Archive) -> tuple[int, int]:
    """Quotes verified in their source's text, and quotes whose source has no local text."""
    verified = total = 0
    for b in archive.briefings:
        for q in quotes_of(b):
            total += 1
            verified += q.verified
    return verified, total - verified


def _check_briefings(archive: Archive, out: Collector) -> None:
    kind_of: dict[str, Thread] = {}
    claimant_of: dict[str, Claim] = {}
    for b in archive.briefings:
        stem = Path(b.path).name.removesuffix(".yaml")
        if b.id is not None and b.id != stem:
            out.at(
                b.at("id"),
                "id",
                f"briefing id '{b.id}' must equal the file name '{stem}'; rename one of them",
            )
        seen: dict[str, Thread] = {}
        threads: dict[str, object] | None = None  # every thread id, read only for a repeated id
        for t in b.threads():
            if not t.has("id"):
                continue
            first = seen.get(t.id)
            if first is not None:
                if threads is None:
                    threads = _known_threads(archive)
                meant = _meant(b, threads, {t.thread_kind})
                out.at(
                    t.at("id"),
                    t.field_path("id"),
                    f"id '{t.id}' is used twice in this briefing (first at line {first.at('id').line}); ids of calls, claims and open issues are unique in a briefing"
                    + "".join(
                        f"; was it meant to be '{ref}', which line {line} names and no record has?"
                        for ref, line in meant.items()
                    ),
                )
                continue
            seen[t.id] = t
            other = kind_of.setdefault(t.id, t)
            if other.thread_kind != t.thread_kind:
                out.at(
                    t.at("id"),
                    t.field_path("id"),
                    f"id '{t.id}' names {_article(THREAD_KINDS[other.thread_kind])} {THREAD_KINDS[other.thread_kind]} in {other.path}:{other.at('id').line}; the same id is the same thread, so use another id",
                )
            if isinstance(t, Claim):
                _same_claimant(claimant_of.setdefault(t.id, t), t, out)
        for call in b.calls:
            _participants(call, out)


def _same_claimant(first: Claim, t: Claim, out: Collector) -> None:
    """A claim thread keeps the claimant its first record gave it."""
    if (
        first.has("claimant")
        and t.has("claimant")
        and set(first.claimant.all) != set(t.claimant.all)
    ):
        out.at(
            t.at("claimant"),
            t.field_path("claimant"),
            f"claim thread '{t.id}' has claimant '{', '.join(first.claimant.all)}' in {first.path}:{first.at('claimant').line}; a claim keeps its claimant (start a new claim id instead)",
        )


def _participants(call, out: Collector) -> None:
    if len(set(call.participants)) != len(call.participants):
        out.at(
            call.at("participants"),
            call.field_path("participants"),
            "an actor is listed twice among the participants",
        )
    if call.initiator and call.initiator not in call.participants:
        out.at(
            call.at("initiator"),
            call.field_path("initiator"),
            f"initiator '{call.initiator}' is not one of the participants ({', '.join(call.participants)})",
        )


SUGGESTION_BUDGET = 20_000
"""Registry entries compared in one run for "did you mean" hints (about 0.2 s); thousands of unknown
ids against a large registry would take minutes, and their hints help no one."""


class _Hints:
    """ "did you mean" hints for unknown references: one per (kind, id), an actor's alias or name first, and no
    more comparisons in a run than ``SUGGESTION_BUDGET``."""

    def __init__(self, archive: Archive, known: dict[str, Mapping[str, object]]) -> None:
        self.archive, self.known = archive, known
        self.cache: dict[tuple[str, str], str] = {}
        self.labels: dict[str, str] | None = None
        self.budget = SUGGESTION_BUDGET

    def of(self, target: str, ref: str) -> str:
        registry = self.known[target]
        if (target, ref) not in self.cache and self.budget >= len(registry):
            self.budget -= len(registry)
            actor_hint = ""
            if target in ("actor", "claimant"):
                if self.labels is None:
                    self.labels = _actor_labels(self.archive.actors)
                actor_hint = _actor_hint(ref, self.labels)
            self.cache[target, ref] = actor_hint or did_you_mean(ref, registry)
        return self.cache.get((target, ref), "")


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def _actor_hint(ref: str, labels: dict[str, str]) -> str:
    """``; did you mean 'id' (its alias 'X')?`` when ``ref`` is an actor's alias or name, in any case or spelling
    of spaces; an editor who writes the name the article uses ('Baghaei') means that actor."""
    return labels.get(_folded(ref), "")


def _actor_labels(actors: dict) -> dict[str, str]:
    """Folded name or alias → the hint naming its actor; the first actor to use a label keeps it."""
    labels: dict[str, str] = {}
    for actor in actors.values():
        for what, label in [("name", actor.name), *(("alias", a) for a in actor.aliases)]:
            if label:
                labels.setdefault(
                    _folded(label), f"; did you mean '{actor.id}' (its {what} '{label}')?"
                )
    return labels


def _folded(text: str) -> str:
    return "-".join(re.findall(r"\w+", text.casefold()))


_NOT_AN_ID = re.compile(
    r"'(?P<value>.*)' is not a valid id \(lower-case letters, digits and single hyphens\); try '.*'",
    re.S,
)


@cache
def _actor_fields() -> frozenset[str]:
    """Names of the fields that only ever hold actor ids (claimant, participants, initiator, actor, by)."""
    actor: set[str] = set()
    other: set[str] = set()
    todo, seen = [model.Briefing.record], set()
    while todo:
        record = todo.pop()
        if record in seen:
            continue
        seen.add(record)
        for f, _, t in schema.walk(record):
            if isinstance(t, schema.Record):
                todo.append(t)
            # a list of speakers: its item's
            target = getattr(getattr(t, "item", t), "target", None)
            (actor if target in ("actor", "claimant") else other).add(f.name)
    return frozenset(actor - other)


def _actor_names_used_as_ids(archive: Archive, out: Collector) -> None:
    """An actor's name or alias written where its id goes ('Baghaei') is not a valid id, so it was refused
    as it was read, with a hint ('baghaei') that names no actor either: name the actor it belongs to."""
    if not archive.actors:
        return
    fields, labels = _actor_fields(), None
    for k, d in enumerate(out.diagnostics):
        if " is not a valid id (" not in d.message:
            continue
        m = _NOT_AN_ID.fullmatch(d.message)
        if m is None or re.sub(r"\[\d+\]$", "", d.field).rsplit(".", 1)[-1] not in fields:
            continue
        labels = labels if labels is not None else _actor_labels(archive.actors)
        hint = _actor_hint(m["value"], labels)
        if hint:
            out.diagnostics[k] = replace(d, message=f"'{m['value']}' is not an actor id{hint}")


TYPO = 0.8
"""How alike a linked id must be to an existing one (difflib's ratio) to be taken for its typo."""


def _repeated(b: Briefing) -> dict[str, set[str]]:
    """Ids used by more than one call, claim or open issue of ``b``, each with the kinds of its records."""
    kinds: dict[str, set[str]] = {}
    counts = Counter(t.id for t in b.threads() if t.has("id"))
    for t in b.threads():
        if counts.get(t.id, 0) > 1:
            kinds.setdefault(t.id, set()).add(t.thread_kind)
    return kinds


def _meant(b: Briefing, known: Mapping[str, object], kinds: set[str]) -> dict[str, int]:
    """The thread ids ``b`` links to that no record has (in ``known``) and that are no typo of one, each with
    the first line naming it, for a briefing that repeats an id of a record of one of ``kinds``: most often a
    copied record kept the old id, and they are the id it was meant to have. A link to a claim counts only
    when a claim's id is repeated. The repeated id's error names them, and they draw no error of their own."""
    meant: dict[str, int] = {}
    for target, ref, rec, name, i in references(b):
        if target != "thread" and not (target == "claim" and "claim" in kinds):
            continue
        if ref not in known and not difflib.get_close_matches(ref, known, n=1, cutoff=TYPO):
            meant.setdefault(ref, rec.at(name, i).line)
    return meant


def _known_threads(
    archive: Archive, claims: Mapping[str, object] | None = None
) -> dict[str, object]:
    """Every thread id of the archive (``claims``, when the caller has them already, are not read again)."""
    claims = archive.threads("claim") if claims is None else claims
    return {**archive.threads("call"), **claims, **archive.threads("issue")}


def _check_references(archive: Archive, out: Collector) -> None:
    claims = archive.threads("claim")
    threads = _known_threads(archive, claims)
    known: dict[str, Mapping[str, object]] = {
        "actor": archive.actors,
        "source": archive.sources,
        "claimant": {**archive.sources, **archive.actors},
        "claim": claims,
        "thread": threads,
    }
    what = {
        "actor": "actor",
        "source": "source",
        "claimant": "actor",
        "claim": "claim",
        "thread": "call, claim or open issue",
    }
    hints = _Hints(archive, known)
    for b in archive.briefings:
        listed = set(b.sources)
        repeated = _repeated(b)
        meant = _meant(b, threads, set().union(*repeated.values())) if repeated else {}
        for target, ref, rec, name, i in references(b):
            if ref in meant and target in ("claim", "thread"):
                continue  # named by the repeated id's error (_check_briefings)
            if ref not in known[target]:
                out.at(
                    rec.at(name, i),
                    rec.field_path(name, i),
                    f"unknown {what[target]} '{ref}'"
                    + (
                        hints.of(target, ref)
                        or (
                            f"; add it to content/actors.yaml (id: {ref}, name:, kind: person, government or "
                            "organization)"
                            if target in ("actor", "claimant")
                            else ""
                        )
                    ),
                )
            elif target == "source" and rec is not b and ref not in listed:
                out.at(
                    rec.at(name, i),
                    rec.field_path(name, i),
                    f"source '{ref}' is not in this briefing's sources list; add it there",
                )
            elif target == "claimant" and ref in archive.sources and ref not in listed:
                out.at(
                    rec.at(name, i),
                    rec.field_path(name, i),
                    f"claimant '{ref}' is a source that this briefing does not cite: a claim is credited to "
                    "a source only when the briefing draws on it; add it to sources, or name the actor who "
                    "makes the claim",
                )
        # a copied claim whose id was not changed is reported once, as a repeated id (_check_briefings)
        for claim in b.claims:
            if claim.id in repeated:
                continue
            for name in ("disputes", "supports", "supersedes"):
                if claim.id in getattr(claim, name):
                    i = getattr(claim, name).index(claim.id)
                    out.at(
                        claim.at(name, i),
                        claim.field_path(name, i),
                        f"a claim cannot {name.removesuffix('s')} itself",
                    )


NOT_FOUND = "quote not found in the source"
"""How find_quote begins the message for words it could not find (see quotes.py)."""


def _name_quote_sources(
    archive: Archive, out: Collector, texts: dict[str, NormalText | None]
) -> None:
    """A quote not found in its source: name the source searched and, when another source that the
    briefing lists holds the words, that one; an editor who picked the wrong source sees where they are."""
    wanted = {
        (d.path, d.line, d.col, d.field): k
        for k, d in enumerate(out.diagnostics)
        if d.message.startswith(NOT_FOUND)
    }
    if not wanted:
        return
    for b in archive.briefings:
        for q in quotes_of(b):
            if q.span is not None or q.exact is None:
                continue
            node = q.at("exact")
            k = wanted.get((node.path, node.line, node.col, q.field_path("exact")))
            if k is None:
                continue
            searched = archive.sources.get(q.source)
            d = out.diagnostics[k]
            named = f"quote not found in source '{q.source}'" + (
                f" ({searched.text})" if searched and searched.text else ""
            )
            holder = next(
                (
                    sid
                    for sid in b.sources
                    if sid != q.source
                    and (text := texts.get(sid)) is not None
                    and find_quote(text, q.exact).span is not None
                ),
                None,
            )
            if holder is not None:
                message = (
                    f"{named}; the words are in '{holder}' ({archive.sources[holder].text}), which this "
                    f"briefing lists: write source: {holder}"
                )
            else:
                message = named + d.message[len(NOT_FOUND) :]
            if searched and searched.partial:
                message += (
                    f"; the desk holds only part of '{q.source}' (partial: true), so the words may be in the "
                    "part it lacks: add that part to its text"
                )
            out.diagnostics[k] = replace(d, message=message)


__all__ = ["check_project", "check_archive", "quote_counts", "ContentError"]
