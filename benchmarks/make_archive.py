"""Write a synthetic archive in briefing format v1, shaped like a real one.

Per briefing: 5 calls, 20 claims, 5 open issues, one source with a local text
that every quote verifies against. 50 actors. Briefings belong to stories of
100 days each; claim threads run over two consecutive briefings of a story and
issue threads over the whole story, so tracker and actor pages grow as they
would in a long-running archive.

Usage: python benchmarks/make_archive.py N DEST
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ACTORS = 50
CALLS, CLAIMS, ISSUES = 5, 20, 5
STORY_DAYS = 100
ISSUE_POOL = 10
STATUSES = ("unverified", "disputed", "corroborated", "refuted", "retracted")
ISSUE_STATUSES = ("open", "under-discussion", "agreed-in-principle", "stalled", "at-risk")
WORDS = (
    "talks ministers ceasefire border envoy delegation proposal guarantee agreement region drones "
    "statement negotiators sanctions corridor summit reconstruction monitoring exchange prisoners "
    "energy grain port deadline withdrawal verification observers pipeline reserves"
).split()

MKDOCS = "site_name: Synthetic archive\ndocs_dir: docs\n"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def sentence(rng: random.Random, n: int, tag: str) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return f"{tag.capitalize()} {' '.join(words)}."


def make(n: int, dest: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content" / "briefings").mkdir(parents=True)
    (dest / "seeds" / "bench").mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(MKDOCS)

    actors = [f"actor-{i:02d}" for i in range(ACTORS)]
    lines = ["actors:"]
    for i, a in enumerate(actors):
        lines += [
            f"  - id: {a}",
            f"    name: {q(f'Actor {i:02d} Example')}",
            f"    kind: {('person', 'government', 'organization')[i % 3]}",
            f"    role: {q(f'Role number {i}')}",
            f"    aliases: [{q(f'A{i:02d}')}]",
        ]
    (dest / "content" / "actors.yaml").write_text("\n".join(lines) + "\n")

    stories = max(1, -(-n // STORY_DAYS))
    source_lines = ["sources:"]
    start = date(2025, 1, 1)
    for k in range(n):
        story, day = k % stories, k // stories
        when = start + timedelta(days=day)
        bid = f"{when.isoformat()}-story-{story:02d}"
        sid = f"src-{k:05d}"
        sentences = [sentence(rng, 14, f"s{k}x{j}") for j in range(CLAIMS + CALLS + ISSUES + 5)]
        text = (
            "\n\n".join(" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)) + "\n"
        )
        (dest / "seeds" / "bench" / f"{sid}.txt").write_text(text)
        source_lines += [
            f"  - id: {sid}",
            f"    title: {q(f'Report {k} on story {story}')}",
            "    publisher: Wire",
            f"    published: {when.isoformat()}",
            f"    text: seeds/bench/{sid}.txt",
        ]

        out = [
            "# yaml-language-server: $schema=../schemas/briefing.schema.json",
            f"id: {bid}",
            f"title: {q(f'Story {story}, day {day}: ' + ' '.join(rng.sample(WORDS, 6)))}",
            f"date: {when.isoformat()}",
            f"story: story-{story:02d}",
            "status: developing",
            "summary: >",
            *(f"  {sentence(rng, 20, 'summary')}" for _ in range(3)),
            "key_points:",
            *(f"  - {q(sentence(rng, 12, 'point'))}" for _ in range(4)),
            f"tags: [tag-{story % 7}, tag-{day % 5}]",
            f"sources: [{sid}]",
            "calls:",
        ]
        si = 0
        for c in range(CALLS):
            a, b = rng.sample(actors, 2)
            out += [
                f"  - id: b{k}-call-{c}",
                f"    date: {when.isoformat()}",
                "    kind: phone-call",
                f"    participants: [{a}, {b}]",
                f"    initiator: {a}",
                "    location: Capital",
                f"    summary: {q(sentence(rng, 25, 'call'))}",
                "    readouts:",
                f"      - by: {a}",
                f"        text: {q(sentence(rng, 8, 'readout'))}",
                "    quotes:",
                f"      - source: {sid}",
                f"        exact: {q(sentences[si][:-1])}",
            ]
            si += 1
        out.append("claims:")
        for c in range(CLAIMS):
            thread = day * CLAIMS // 2 + c  # each thread spans two consecutive days of the story
            cid = f"s{story}-claim-{thread}"
            claimant = actors[(story * 7 + thread) % ACTORS]
            status = STATUSES[(thread + day) % len(STATUSES)]
            out += [
                f"  - id: {cid}",
                f"    claimant: {claimant}",
                f"    date: {when.isoformat()}",
                f"    statement: {q(sentence(rng, 30, 'claim'))}",
                f"    status: {status}",
                "    likelihood: likely",
                "    confidence: moderate",
                "    quotes:",
                f"      - source: {sid}",
                f"        exact: {q(sentences[si][:-1])}",
                "    figures:",
                f"      - value: {40 + thread % 50}",
                "        unit: drones",
                f"        date: {when.isoformat()}",
            ]
            si = si + 1 if si + 1 < len(sentences) else 0
            if c % 4 == 1:
                out.append(f"    disputes: [s{story}-claim-{day * CLAIMS // 2 + c - 1}]")
            out += [
                "    history:",
                f"      - date: {(when - timedelta(days=1)).isoformat()}",
                "        status: unverified",
                f"        note: {q('first reported')}",
            ]
        out.append("open_issues:")
        for c in range(ISSUES):
            iid = f"s{story}-issue-{(day + c) % ISSUE_POOL}"
            out += [
                f"  - id: {iid}",
                f"    title: {q(f'Issue {iid}')}",
                f"    status: {ISSUE_STATUSES[(day + c) % len(ISSUE_STATUSES)]}",
                f"    summary: {q(sentence(rng, 25, 'issue'))}",
                "    positions:",
            ]
            for a in rng.sample(actors, 3):
                out += [
                    f"      - actor: {a}",
                    f"        position: {q(sentence(rng, 15, 'position'))}",
                    f"        date: {when.isoformat()}",
                ]
            out += [f"    related: [b{k}-call-0]"]
        out += ["changes:", f"  - date: {when.isoformat()}", f"    note: {q('Updated ' + bid)}"]
        (dest / "content" / "briefings" / f"{bid}.yaml").write_text("\n".join(out) + "\n")
    (dest / "content" / "sources.yaml").write_text("\n".join(source_lines) + "\n")


if __name__ == "__main__":
    make(int(sys.argv[1]), Path(sys.argv[2]))
