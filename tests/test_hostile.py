"""Hostile content: every case pins its exact outcome (RELIABILITY.md, principles 1 to 4).

Each folder of ``tests/hostile/`` is a case: its files are laid over the small
project of ``conftest.py`` (two actors, one source, briefing ``b1``), and
``briefing check`` must print exactly ``expected.txt`` and exit 1. Cases too big
or too odd to keep as files (megabytes, deep nesting, file names with control
characters) are built here. What hostile text looks like on a built page is in
``test_hostile_site.py``.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import BRIEFING, write_project

from generator.check import check_project
from generator.errors import BuildError, ContentError
from generator.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_REPORTED, parser_names
from generator.project import find_project
from generator.write import write_tree

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
B1 = "content/briefings/b1.yaml"


def case_files(case: str) -> dict[str, bytes]:
    folder = CORPUS / case
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "expected.txt"
    }


def check(cli, root: Path) -> list[str]:
    run = cli(root, "check")
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.code == 1, run.out + run.err
    assert run.out == ""
    return run.lines


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case, cli, tmp_path, golden):
    root = write_project(tmp_path, {B1: BRIEFING, **case_files(case)})
    lines = check(cli, root)
    golden(CORPUS / case / "expected.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize("case", CASES)
def test_corpus_case_reads_the_same_on_both_parsers(case, tmp_path):
    root = write_project(tmp_path, {B1: BRIEFING, **case_files(case)})
    found = []
    for parser in parser_names():
        with pytest.raises(ContentError) as info:
            check_project(find_project(root), parser=parser)
        found.append([d.format() for d in info.value.diagnostics])
    assert all(f == found[0] for f in found)


def test_every_corpus_case_has_its_expected_output():
    assert len(CASES) >= 25
    for case in CASES:
        assert (CORPUS / case / "expected.txt").is_file(), case


# --- built here: too big or too odd for a file in the repository ---------------------------

def test_file_over_the_size_cap(cli, project):
    data = b"id: b1\ntitle: " + b"x" * MAX_FILE_BYTES + b"\n"
    root = project({B1: data})
    assert check(cli, root) == [
        f"{B1}:1:1: file is {len(data)} bytes; the limit is {MAX_FILE_BYTES} bytes",
        "1 error in 1 file",
    ]


@pytest.mark.parametrize("opener, closer", [("[", "]"), ("{a: ", "}"), ("- ", "")])
def test_deep_nesting(cli, project, opener, closer):
    if opener == "- ":
        text = "id: b1\nkey_points:\n" + "".join("  " * i + "- \n" for i in range(1, 100))
    else:
        text = "id: b1\nkey_points: " + opener * 50_000 + closer * 50_000 + "\n"
    lines = check(cli, project({B1: text}))
    assert len(lines) == 2 and lines[1] == "1 error in 1 file"
    assert lines[0].endswith(f": nesting is deeper than {MAX_DEPTH} levels")


def test_too_many_values(cli, project):
    text = "id: b1\nkey_points: [" + "x, " * MAX_NODES + "x]\n"
    lines = check(cli, project({B1: text}))
    col = len("key_points: [") + 3 * (MAX_NODES - 5) + 1  # after the root, id, b1, key_points and the list
    assert lines == [
        f"{B1}:2:{col}: file holds more than {MAX_NODES} keys, values and list items; split it",
        "1 error in 1 file",
    ]


def test_many_control_characters_are_summed_up(cli, project):
    text = "id: b1\n" + "".join(f"k{i}: \x01\n" for i in range(MAX_REPORTED + 5))
    lines = check(cli, project({B1: text}))
    assert lines[0] == f"{B1}:2:5: file contains the invisible control character U+0001; remove it"
    assert lines[MAX_REPORTED - 1] == f"{B1}:{MAX_REPORTED + 1}:6: file contains the invisible control character U+0001; remove it"
    assert lines[MAX_REPORTED:] == [
        f"{B1}:{MAX_REPORTED + 2}:6: file contains 5 more such characters from here on; remove them too",
        f"{MAX_REPORTED + 1} errors in 1 file",
    ]


def test_file_names_with_control_characters_are_shown_escaped(cli, project):
    root = project({"content/briefings/b\x1b[31m\nx.yaml": "id: b2\ntitle: T\ndate: 2025-12-29\nsummary: s\nsources: [wire]\n"})
    assert check(cli, root) == [
        "content/briefings/b\\x1b[31m\\x0ax.yaml:1:5: id: briefing id 'b2' must equal the file name 'b\\x1b[31m\\x0ax'; rename one of them",
        "1 error in 1 file",
    ]


def test_a_briefing_that_is_a_folder_or_a_dangling_link_is_skipped(cli, project):
    root = project({"content/briefings/folder.yaml/x.yaml": "id: x\n"})
    (root / "content" / "briefings" / "gone.yaml").symlink_to(root / "missing.yaml")
    run = cli(root, "check")
    assert run.code == 0, run.err
    assert run.out.startswith("ok: 3 files, ")


@pytest.mark.parametrize("rel", ["../escape.md", "/etc/passwd", "a/../../b.md", "a\\b.md", "a//b.md", "./a.md", ""])
def test_output_paths_stay_inside_the_output_folder(tmp_path, rel):
    with pytest.raises(BuildError) as info:
        write_tree(tmp_path / "docs", {"index.md": b"x", rel: b"x"})
    assert str(info.value) == f"refusing to write outside the output folder: {rel!r}"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, no folder made


# --- process limits: time and memory are bounded whatever the content ------------------------

def _worst_cases() -> dict[str, bytes]:
    """Files at or just under the caps, each built to make one part of the check work hardest."""
    near = MAX_NODES - 100
    registry = "".join(f"  - {{id: actor-{i}, name: A, kind: person}}\n" for i in range(500))
    return {
        "size cap, one long line": b"id: b1\ntitle: " + b"<" * (MAX_FILE_BYTES - 40) + b"\n",
        "size cap, over the node cap": b"id: b1\nkey_points: [" + b"x," * ((MAX_FILE_BYTES - 40) // 2) + b"x]\n",
        "size cap, unclosed quote": b'id: b1\ntitle: "' + b"x " * ((MAX_FILE_BYTES - 40) // 2) + b"\n",
        "size cap, control characters": b"a: \x01\n" * ((MAX_FILE_BYTES - 10) // 6),
        "size cap, nesting": b"a: " + b"[" * (MAX_FILE_BYTES - 10),
        "invalid ids just under the node cap": b"id: b1\ntags: [" + b"X," * near + b"X]\n",
        "duplicate keys just under the node cap": b"a: 1\n" * (near // 2),
        "anchors just under the node cap": b"k: [" + b"&a x," * near + b"x]\n",
        "unknown refs against 500 actors": (
            b"id: b1\ntitle: T\ndate: 2025-12-29\nsummary: s\nsources: [wire]\n"
            b"calls:\n  - {id: c, date: 2025, kind: talks, summary: s, participants: ["
            + b", ".join(b"actor-x%d" % i for i in range(near // 2 - 600)) + b"]}\n"
        ),
        "registry": registry.encode(),
    }


WORST = _worst_cases()


@pytest.mark.parametrize("name", [n for n in WORST if n != "registry"])
def test_checking_a_hostile_file_is_fast_and_small(name, project):
    """Generous bounds (a shared 2-core machine): well under a second is typical."""
    files = {B1: WORST[name]}
    if name.startswith("unknown refs"):
        files["content/actors.yaml"] = "actors:\n" + WORST["registry"].decode()
    root = project(files)
    started = time.perf_counter()
    with pytest.raises(ContentError):
        check_project(find_project(root))
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        with pytest.raises(ContentError):
            check_project(find_project(root))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    assert peak < 200 * 1024 * 1024, f"{name}: {peak / 1e6:.0f} MB"


def test_registries_may_grow_past_the_briefing_node_cap(cli, project):
    sources = "sources:\n" + "".join(
        f"  - id: s{i}\n    title: Report {i}\n    published: 2025\n" for i in range(MAX_NODES // 6)
    ) + "  - id: wire\n    title: Wire story\n    published: 2025-12-29\n    text: seeds/wire.txt\n"
    root = project({"content/sources.yaml": sources})
    run = cli(root, "check")
    assert run.code == 0, run.err[:500]
