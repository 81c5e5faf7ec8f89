"""Start a new briefing: a YAML file an editor can edit, written from the model in schema order.

With a previous briefing to start from, its claim and open-issue threads are
carried forward as they stand (same ids, status, figures, positions, quotes);
its calls stay behind, since they happened. The file is a draft (``draft:
true``, see drafts.py) until the editor removes that line: checked and
previewed, never published. It is checked together with the rest of the
content before it is written, so it passes ``briefing check`` as written (with
warnings naming the draft line and the placeholders left to fill).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.check.checker import check_archive, check_project
from generator.check.content import place_quotes, read_content
from generator.check.drafts import SUMMARY_PLACEHOLDER, UPDATE_NOTE
from generator.errors import BuildError, Collector, UsageError
from generator.format import model
from generator.format.fieldtypes import ID_MAX, Id, Invalid, Text, parse_date_part
from generator.format.loader import LoadFailed, Scalar, load_bytes
from generator.format.model import Briefing
from generator.format.validate import to_record
from generator.format.yamltext import briefing_yaml
from generator.project import Project
from generator.suggest import did_you_mean

FIRST_NOTE = "New briefing."
DRAFT_LINE = "draft: true  # checked and previewed, never published: delete this line to publish"
"""How ``briefing new`` marks its file as a draft; the comment goes when the line does."""

today: Callable[[], date] = date.today
"""The clock that dates a new briefing when no date is given (tests replace it)."""


@dataclass(frozen=True)
class NewBriefing:
    path: Path
    """Where the file was written."""
    id: str
    carried_claims: int
    carried_issues: int
    previous: str | None
    """Id of the briefing it started from, if any."""


NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "none", "nothing", "nobody", "neither", "without", "cannot"}
)
"""Words whose loss would turn a title's meaning round: a shortened id always keeps them."""
SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
    }
)
"""Words a shortened id drops first: the rest still says what the briefing is about."""


def slug(title: str, limit: int) -> str:
    """The title as an id fragment: ASCII letters and digits joined by single hyphens, at most ``limit`` long.

    A title too long for ``limit`` loses its small words first, then words from the end, cut
    at a word; a negation ("not", "no", "never", "n't") is never among the words dropped, so
    "Iran says missiles not discussed" does not shorten to "iran-says-missiles".
    """
    decomposed = unicodedata.normalize("NFKD", title)  # 'ó' → 'o' + accent; the accent is dropped
    decomposed = re.sub(
        r"\b(ca|wo)n[’']t\b",
        lambda m: "can not" if m[1].lower() == "ca" else "will not",
        decomposed,
        flags=re.IGNORECASE,
    )
    # "isn't" keeps its negation
    decomposed = re.sub(r"n[’']t\b", " not", decomposed, flags=re.IGNORECASE)
    ascii_text = "".join(
        ch if ch.isascii() else "" if unicodedata.combining(ch) else " " for ch in decomposed
    )
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if not words:
        return "briefing"
    if len("-".join(words)) > limit:
        words = [w for w in words if w not in SMALL_WORDS] or words
    out: list[str] = []
    for i, word in enumerate(words):
        if len("-".join([*out, word])) > limit:
            dropped = [w for w in words[i:] if w in NEGATIONS]
            if dropped:
                negation = dropped[0]
                while out and len("-".join([*out, negation])) > limit:
                    out.pop()
                if len(negation) <= limit:
                    out.append(negation)
            break
        out.append(word)
    return "-".join(out) or words[0][:limit]


def parse_day(text: str) -> date:
    try:
        start, end = parse_date_part(text.strip(), day_only=True)
    except Invalid as exc:
        raise UsageError(f"--date: {exc}") from None
    if start != end:
        raise UsageError(f"--date: '{text}' must be a single day, written YYYY-MM-DD")
    return start


def new_briefing(
    project: Project,
    title: str,
    story: str | None = None,
    previous: str | None = None,
    day: date | None = None,
) -> NewBriefing:
    """Write ``content/briefings/<date>-<slug>.yaml``; refuse to overwrite; return what was written."""
    title = _valid_arguments(title, story)
    day = day or today()
    day_text = day.isoformat()
    new_id = f"{day_text}-{slug(title, ID_MAX - len(day_text) - 1)}"
    folder = project.content / "briefings"
    path = folder / f"{new_id}.yaml"
    if path.exists():
        raise UsageError(
            f"{project.rel(path)} already exists; edit it, or choose another title or --date"
        )

    # A new file is only as good as the content it joins.
    archive = check_project(project)
    values: dict = {
        "id": new_id,
        "title": title,
        "date": day_text,
        "story": story,
        "status": "developing",
        "draft": True,
    }
    source_note = None
    base: Briefing | None = None
    if previous is not None:
        base = next((b for b in archive.briefings if b.id == previous), None)
        if base is None:
            known = [b.id for b in archive.briefings]
            raise UsageError(
                f"--from: no briefing '{previous}' in {project.rel(folder)}/{did_you_mean(previous, known)}"
            )
        values.update(
            story=story or base.story,
            story_title=base.story_title if (story or base.story) == base.story else None,
            bottom_line=base.bottom_line,
            summary=base.summary,
            key_points=base.key_points,
            tags=base.tags,
            sources=base.sources,
            claims=base.claims,
            open_issues=base.open_issues,
            changes=[{"date": day_text, "note": UPDATE_NOTE.format(previous=base.id)}],
        )
    else:
        if not archive.sources:
            registry = project.rel(project.content / "sources.yaml")
            raise UsageError(
                f"{registry} lists no source yet; add the source this briefing draws on first"
            )
        newest = max(archive.sources.values(), key=lambda s: (s.published.end, s.id))
        source_note = f"the newest source in {project.rel(project.content / 'sources.yaml')}; list the ones this briefing draws on"
        values.update(
            summary=SUMMARY_PLACEHOLDER,
            sources=[newest.id],
            changes=[{"date": day_text, "note": FIRST_NOTE}],
        )
        if story is not None and not any(b.story == story for b in archive.briefings):
            values.update(_skeleton(archive, newest, day_text))

    _write_new(project, path, values, source_note)
    return NewBriefing(
        path,
        new_id,
        len(base.claims) if base else 0,
        len(base.open_issues) if base else 0,
        base.id if base else None,
    )


def _valid_arguments(title: str, story: str | None) -> str:
    """The title as the check reads a text, and the story as it reads an id: a file new writes is one the
    check takes."""
    try:
        title = Text().convert(Scalar("", 0, 0, title))
    except Invalid as exc:
        raise UsageError(f"TITLE {exc}") from None
    if story is not None:
        try:
            Id().convert(Scalar("", 0, 0, story))
        except Invalid as exc:
            raise UsageError(f"--story: {exc}") from None
    return title


def _write_new(project: Project, path: Path, values: dict, source_note: str | None) -> None:
    """The briefing's YAML, with its draft line and the skeleton's comments, checked, then written; never over
    an existing file."""
    text = briefing_yaml(values, source_note).replace("\ndraft: true\n", f"\n{DRAFT_LINE}\n", 1)
    for key, comment in SKELETON_COMMENTS.items():
        text = text.replace(f"\n{key}:\n", f"\n# {comment}\n{key}:\n", 1)
    _verify(project, path, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise UsageError(
            f"{project.rel(path)} already exists; edit it, or choose another title or --date"
        ) from None


SKELETON_COMMENTS = {
    "key_points": "The points a reader must not miss, one line each; they do not repeat the bottom line.",
    "calls": "Each contact between the parties (kind: phone-call, video-call, meeting, visit, talks, message). "
    "Copy the block for another; delete it if there is none.",
    "claims": "Who asserts what: claimant is an actor id of content/actors.yaml; kind is fact, opinion, "
    'characterisation or forecast; every quote is the source\'s exact words (briefing quote "words" finds them).',
    "open_issues": "What is still unresolved, and where each party stands on it.",
}
"""Comments a new story's skeleton carries above its parts, for an editor who has no briefing to copy from."""


def _skeleton(archive, source, day: str) -> dict:
    """A new story's first briefing: every part a first-time editor fills in, each with text that says what to
    write (a warning in a draft, an error once published), the parties from content/actors.yaml and a quote of
    the newest source's first words, so that the file passes the check as it is written."""
    actors = sorted(archive.actors)
    quote = _first_words(archive, source)
    quotes = [quote] if quote else []
    stub: dict = {
        "story_title": "Replace this: the story's name, shown on its pages",
        "bottom_line": "Replace this: the bottom line in one sentence.",
        "key_points": ["Replace this: the first point a reader must not miss."],
    }
    if len(actors) >= 2:
        stub["calls"] = [
            {
                "id": "first-call",
                "date": day,
                "kind": "phone-call",
                "participants": actors[:2],
                "summary": "Replace this: what happened, as the source reports it.",
                "quotes": quotes,
            }
        ]
    if actors:
        stub["claims"] = [
            {
                "id": "first-claim",
                "claimant": actors[0],
                "kind": "fact",
                "date": day,
                "statement": "Replace this: what the claimant asserts, neutrally stated.",
                "status": "unverified",
                "quotes": quotes,
            }
        ]
        stub["open_issues"] = [
            {
                "id": "first-issue",
                "title": "Replace this: the issue's name",
                "status": "open",
                "summary": "Replace this: what is at stake.",
                "positions": [
                    {
                        "actor": actors[0],
                        "position": "Replace this: their stance, neutrally stated.",
                    }
                ],
            }
        ]
    return stub


def _first_words(archive, source) -> dict | None:
    """A quote of the first words of ``source``'s text (whole words, as the check wants them), or None."""
    words = (source.body or "").split()[:10]
    if not words:
        return None
    return {"source": source.id, "exact": " ".join(words)}


def _verify(project: Project, path: Path, text: str) -> None:
    """Check the new file together with the content it joins, before writing it."""
    out = Collector()
    archive = read_content(project, out)
    rel = project.rel(path)
    try:
        node = load_bytes(text.encode("utf-8"), rel)
    except LoadFailed as exc:
        out.add(rel, *exc.problems[0][:2], "", exc.problems[0][2])
    else:
        briefing = to_record(node, model.Briefing.record, "", out)
        if briefing is not None:
            archive.briefings.append(briefing)
            place_quotes(archive, [briefing], out)
            archive.briefings.sort(key=lambda b: b.sort_key)
            check_archive(archive, project, out)
    if out:
        problems = "\n  ".join(d.format() for d in out.diagnostics)
        raise BuildError(
            f"the new briefing would not pass the check, so it was not written:\n  {problems}"
        )
