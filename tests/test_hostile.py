"""Hostile content: every case pins its exact outcome (RELIABILITY.md, principles 1 to 4).

Each folder of ``tests/hostile/`` is a case: its files are laid over the small
project of ``conftest.py`` (two actors, one source, briefing ``b1``), and
``briefing check`` must print exactly ``expected.txt`` and exit 1. Cases too big
or too odd to keep as files (megabytes, deep nesting, file names with control
characters) are built here. What hostile text looks like on a built page is in
``test_hostile_site.py``.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import BRIEFING, ROOT, SEED, site_project, write_project

import generator.project
from generator.check.checker import check_project
from generator.check.content import MAX_PAGE_BYTES, MAX_SOURCE_TEXT_BYTES
from generator.errors import BuildError, ContentError
from generator.format.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_REPORTED,
    LoadFailed,
    load_file,
    parser_names,
)
from generator.output.manifest import fingerprint
from generator.output.write import write_tree
from generator.project import find_project

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
    col = (
        len("key_points: [") + 3 * (MAX_NODES - 5) + 1
    )  # after the root, id, b1, key_points and the list
    assert lines == [
        f"{B1}:2:{col}: file holds more than {MAX_NODES} keys, values and list items; split it",
        "1 error in 1 file",
    ]


def test_many_control_characters_are_summed_up(cli, project):
    text = "id: b1\n" + "".join(f"k{i}: \x01\n" for i in range(MAX_REPORTED + 5))
    lines = check(cli, project({B1: text}))
    assert lines[0] == f"{B1}:2:5: file contains the invisible control character U+0001; remove it"
    assert (
        lines[MAX_REPORTED - 1]
        == f"{B1}:{MAX_REPORTED + 1}:6: file contains the invisible control character U+0001; remove it"
    )
    assert lines[MAX_REPORTED:] == [
        f"{B1}:{MAX_REPORTED + 2}:6: file contains 5 more such characters from here on; remove them too",
        f"{MAX_REPORTED + 1} errors in 1 file",
    ]


def test_file_names_with_control_characters_are_shown_escaped(cli, project):
    root = project(
        {
            "content/briefings/b\x1b[31m\nx.yaml": "id: b2\ntitle: T\ndate: 2025-12-29\nsummary: s\nsources: [wire]\n"
        }
    )
    assert check(cli, root) == [
        "content/briefings/b\\x1b[31m\\x0ax.yaml:1:5: id: briefing id 'b2' must equal the file name 'b\\x1b[31m\\x0ax'; rename one of them",
        "1 error in 1 file",
    ]


def test_a_briefing_that_is_a_folder_is_skipped_and_a_dangling_link_refused(cli, project):
    root = project({"content/briefings/folder.yaml/x.yaml": "id: x\n"})
    (root / "content" / "briefings" / "gone.yaml").symlink_to(root / "missing.yaml")
    assert check(cli, root) == [
        "content/briefings/gone.yaml:1:1: file is a symbolic link; links are not followed: put the file itself there",
        "1 error in 1 file",
    ]


@pytest.mark.parametrize(
    "rel", ["../escape.md", "/etc/passwd", "a/../../b.md", "a\\b.md", "a//b.md", "./a.md", ""]
)
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
        "size cap, over the node cap": b"id: b1\nkey_points: ["
        + b"x," * ((MAX_FILE_BYTES - 40) // 2)
        + b"x]\n",
        "size cap, unclosed quote": b'id: b1\ntitle: "'
        + b"x " * ((MAX_FILE_BYTES - 40) // 2)
        + b"\n",
        "size cap, control characters": b"a: \x01\n" * ((MAX_FILE_BYTES - 10) // 6),
        "size cap, nesting": b"a: " + b"[" * (MAX_FILE_BYTES - 10),
        "invalid ids just under the node cap": b"id: b1\ntags: [" + b"X," * near + b"X]\n",
        "duplicate keys just under the node cap": b"a: 1\n" * (near // 2),
        "anchors just under the node cap": b"k: [" + b"&a x," * near + b"x]\n",
        "unknown refs against 500 actors": (
            b"id: b1\ntitle: T\ndate: 2025-12-29\nsummary: s\nsources: [wire]\n"
            b"calls:\n  - {id: c, date: 2025, kind: talks, summary: s, participants: ["
            + b", ".join(b"actor-x%d" % i for i in range(near // 2 - 600))
            + b"]}\n"
        ),
        "registry": registry.encode(),
    }


WORST = _worst_cases()


@pytest.mark.slow
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
    sources = (
        "sources:\n"
        + "".join(
            f"  - id: s{i}\n    title: Report {i}\n    published: 2025\n"
            for i in range(MAX_NODES // 6)
        )
        + "  - id: wire\n    title: Wire story\n    published: 2025-12-29\n    text: seeds/wire.txt\n"
    )
    root = project({"content/sources.yaml": sources})
    run = cli(root, "check")
    assert run.code == 0, run.err[:500]


# --- inputs stay inside the project (B1, B6) -------------------------------------------------

LINKED = "is a symbolic link; links are not followed: put the file itself there"


def test_a_page_linked_to_the_environment_is_refused_and_nothing_of_it_is_published(
    cli, tmp_path, monkeypatch
):
    """B1: a page linked to /proc/self/environ would put the build's secrets on the site and in search."""
    monkeypatch.setenv("CI_DEPLOY_TOKEN", "s3cr3t-deploy-token")
    root = site_project(tmp_path, ROOT)
    (root / "content" / "pages" / "env.md").symlink_to("/proc/self/environ")
    run = cli(root, "build")
    assert (run.code, run.out, run.lines) == (
        1,
        "",
        [
            f"content/pages/env.md:1:1: file {LINKED}",
            "1 error in 1 file",
        ],
    )
    assert _files_holding(root, b"s3cr3t-deploy-token") == []


def test_a_linked_seeds_folder_is_refused_and_its_files_are_not_published(cli, tmp_path):
    """B1: with seeds/ a link, every file of the folder it points at "stayed under seeds/"."""
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(root / "seeds", elsewhere)
    (elsewhere / "secret.env").write_text("TOP-SECRET-TOKEN=ghp_x\n", encoding="utf-8")
    (root / "seeds").symlink_to(elsewhere)
    sources = root / "content" / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + "  - id: leak\n    title: Leak\n    published: 2025-12-29\n    text: seeds/secret.env\n",
        encoding="utf-8",
    )
    run = cli(root, "build")
    lines = run.lines
    assert run.code == 1 and lines[-1] == "2 errors in 1 file", run.err
    assert lines[0].endswith(
        ": sources[0].text: 'seeds' is a symbolic link; links are not followed: "
        "put the folder itself there"
    )
    assert lines[1].endswith(
        ": sources[1].text: 'seeds' is a symbolic link; links are not followed: "
        "put the folder itself there"
    )
    assert _files_holding(root, b"TOP-SECRET") == []


def _files_holding(root: Path, secret: bytes) -> list[str]:
    """Files of the project (links not followed) holding ``secret``."""
    found = []
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink() and secret in path.read_bytes():
                found.append(path.relative_to(root).as_posix())
    return found


@pytest.mark.parametrize(
    "rel",
    [
        "content/actors.yaml",
        "content/sources.yaml",
        "content/briefings/b1.yaml",
        "content/pages/about.md",
    ],
)
def test_content_files_that_are_links_are_refused(cli, project, tmp_path_factory, rel):
    """Even a link to a good file: a pull request could point it anywhere, so no link is followed."""
    root = project({"content/pages/about.md": "# About\n"})
    real = tmp_path_factory.mktemp("outside") / "real-file"
    shutil.move(root / rel, real)
    (root / rel).symlink_to(real)
    lines = check(cli, root)
    assert f"{rel}:1:1: file {LINKED}" in lines


@pytest.mark.parametrize("folder", ["content/briefings", "content/pages"])
def test_content_folders_that_are_links_are_refused_once(cli, project, tmp_path_factory, folder):
    root = project({"content/pages/about.md": "# About\n"})
    real = tmp_path_factory.mktemp("outside") / "real-folder"
    shutil.move(root / folder, real)
    (root / folder).symlink_to(real)
    lines = check(cli, root)
    assert (
        f"{folder}:1:1: folder is a symbolic link; links are not followed: put the folder itself there"
        in lines
    )
    assert not any(line.startswith(f"{folder}/") for line in lines)


def test_a_linked_content_folder_is_a_usage_error(cli, project, tmp_path_factory):
    """B10: a linked content/ would also have put ``../../elsewhere/`` paths into the edit links."""
    root = project()
    elsewhere = tmp_path_factory.mktemp("outside") / "elsewhere"
    shutil.move(root / "content", elsewhere)
    (root / "content").symlink_to(elsewhere)
    run = cli(root, "check")
    assert (run.code, run.err) == (
        2,
        "briefing: the content folder 'content' is a symbolic link; links are not "
        "followed: put the folder itself there\n",
    )
    run = cli(root, "check", "--content", str(elsewhere))
    assert (run.code, run.err) == (
        2,
        f"briefing: the content folder '{os.path.relpath(elsewhere, root)}' lies outside the project\n",
    )


def test_a_source_text_linked_inside_seeds_is_refused(cli, project):
    root = project()
    (root / "seeds" / "wire.txt").rename(root / "seeds" / "real.txt")
    (root / "seeds" / "wire.txt").symlink_to("real.txt")
    assert check(cli, root) == [
        "content/sources.yaml:5:11: sources[0].text: 'seeds/wire.txt' is a symbolic link; links are not followed: "
        "put the file itself there",
        "1 error in 1 file",
    ]


def test_a_pipe_is_not_read(cli, project):
    """A named pipe would block the read for ever; it is refused before it is opened."""
    root = project()
    os.mkfifo(root / "content" / "briefings" / "b2.yaml")
    assert check(cli, root) == [
        "content/briefings/b2.yaml:1:1: file is not a regular file; only plain files are read",
        "1 error in 1 file",
    ]


@pytest.mark.parametrize("rel", ["content/actors.yaml", "content/pages/zero.md"])
def test_a_device_in_the_content_gives_an_error_at_once(cli, project, rel):
    """B6: a device reports size 0 and never ends; linked or not, it is refused without reading it whole."""
    root = project({"content/pages/about.md": "# About\n"})
    (root / rel).unlink(missing_ok=True)
    try:
        os.mknod(root / rel, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("making a device needs CAP_MKNOD")
    assert (
        check(cli, root)[0] == f"{rel}:1:1: file is not a regular file; only plain files are read"
    )
    (root / rel).unlink()
    (root / rel).symlink_to("/dev/zero")
    assert check(cli, root)[0] == f"{rel}:1:1: file {LINKED}"


def test_the_byte_cap_does_not_trust_the_reported_size(project, monkeypatch):
    """At most limit + 1 bytes are read, whatever stat says (a device or a file growing meanwhile says less)."""
    root = project({"content/pages/big.md": b"x" * 5000})
    monkeypatch.setattr(
        generator.project.os, "fstat", lambda fd: os.stat_result((stat.S_IFREG | 0o644,) + (0,) * 9)
    )
    proj = find_project(root)
    with pytest.raises(generator.project.InputRefused) as info:
        proj.read(root / "content" / "pages" / "big.md", 1000)
    assert info.value.message() == "file is more than 1000 bytes; the limit is 1000 bytes"
    assert proj.read(root / "content" / "pages" / "big.md", 5000) == b"x" * 5000


def test_the_loader_reads_at_most_its_cap():
    """B6: /dev/zero through load_file gives the size error at once instead of filling the memory."""
    with pytest.raises(LoadFailed) as info:
        load_file(Path("/dev/zero"), "zero.yaml")
    assert info.value.problems == [
        (1, 1, f"file is more than {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES} bytes")
    ]


def test_a_page_over_the_size_cap(cli, project):
    root = project({"content/pages/big.md": b"# Big\n" + b"x" * MAX_PAGE_BYTES})
    assert check(cli, root) == [
        f"content/pages/big.md:1:1: file is {MAX_PAGE_BYTES + 6} bytes; the limit is {MAX_PAGE_BYTES} bytes",
        "1 error in 1 file",
    ]


def test_a_source_text_over_the_size_cap(cli, project):
    root = project({"seeds/wire.txt": SEED.encode() + b"x" * MAX_SOURCE_TEXT_BYTES})
    size = len(SEED.encode()) + MAX_SOURCE_TEXT_BYTES
    assert check(cli, root) == [
        f"content/sources.yaml:5:11: sources[0].text: 'seeds/wire.txt' is {size} bytes; "
        f"the limit is {MAX_SOURCE_TEXT_BYTES} bytes",
        "1 error in 1 file",
    ]


def test_the_input_fingerprint_does_not_follow_links(project, tmp_path_factory):
    """The manifest's fingerprint walks content/ and seeds/ before the check: a linked seeds/ or page must not
    make it read outside the project (a link to / made every build hash the whole machine). It fingerprints
    where a link points, not what is there."""
    root = project()
    outside = tmp_path_factory.mktemp("outside")
    shutil.move(root / "seeds", outside / "seeds")
    (outside / "secret.txt").write_text("TOKEN\n", encoding="utf-8")
    (root / "seeds").symlink_to(outside / "seeds")
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "secret.md").symlink_to(outside / "secret.txt")
    with _opened_files() as opened:
        first = fingerprint(find_project(root), True)
    assert [p for p in opened if p.startswith(str(outside))] == []
    (root / "seeds").unlink()
    (root / "seeds").symlink_to(outside)
    assert fingerprint(find_project(root), True) != first


_recording: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:
    if _recording and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _recording[-1].append(os.path.realpath(os.fsdecode(args[0])))  # where it really is


@contextmanager
def _opened_files():
    """Every path this process opens meanwhile (io.open and os.open alike), from the interpreter's audit events."""
    if not _recording and _audit not in _hooked:
        sys.addaudithook(
            _audit
        )  # cannot be removed: it records only while a block like this one runs
        _hooked.append(_audit)
    _recording.append([])
    try:
        yield _recording[-1]
    finally:
        _recording.pop()


_hooked: list = []
