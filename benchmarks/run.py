"""Scale benchmark: a cold `briefing build` against MkDocs alone, no-op regeneration, growth, page size.

Usage: python benchmarks/run.py N [--generator-only] [--keep DIR] [--repeat R] [--collector-on]
Measures N briefings and N/10. Each timed step runs R times (default 3) in a fresh process and
the median is reported, with every run shown: the machines are shared, so compare the ratios,
not the seconds. The time of each stage is what the command itself reports (``--timings-json``,
the figures of its summary line). The targets (benchmarks/RESULTS.md) are checked at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_archive import make  # noqa: E402


def project_for(n: int, dest: Path) -> Path:
    make(n, dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", dest / "site_templates")
    (dest / "docs").mkdir()
    return dest


COLLECTOR_ON = "BENCH_COLLECTOR_ON"
"""Set for the child: the command runs without pausing the cycle collector (``--collector-on``)."""


def child(what: str, root: Path) -> dict:
    """Run one measured step in a fresh process, its output captured as CI captures it (no terminal);
    returns its figures, with when its first progress line came and its longest silence.

    Dirty pages of earlier steps are flushed first, so that their write-back
    does not slow the step measured.
    """
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", what, str(root)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CI": ""},
    )
    err, times = [], [0.0]
    for line in proc.stderr:
        err.append(line)
        times.append(time.perf_counter() - start)
    stdout = proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit(f"{what} failed:\n{''.join(err)[-3000:]}")
    times.append(time.perf_counter() - start)
    result = json.loads(stdout.strip().splitlines()[-1])
    result["first_line"] = times[1] if len(times) > 2 else None
    result["longest_silence"] = max(b - a for a, b in itertools.pairwise(times))
    result["stderr_lines"] = len(err)
    return result


def run_child(what: str, root: Path) -> None:
    """One step, as a user runs it: ``briefing generate`` or ``briefing build`` (the CLI in this process),
    or MkDocs alone; prints its figures as JSON, with the stages the command reported."""
    os.chdir(root)
    from generator import cli

    if os.environ.get(COLLECTOR_ON):
        cli.collector_paused = contextlib.nullcontext
    timings = root.parent / f"timings-{what}.json"
    before = docs_state(root / "docs")
    start, cpu = time.perf_counter(), time.process_time()
    if what == "generate":
        code = cli.main(["generate", "--timings-json", str(timings)])
        result = {"seconds": time.perf_counter() - start}
        after = docs_state(root / "docs")
        result.update(written=changed_files(before, after), pages=len(after[1]))
        result["stages"] = json.loads(timings.read_text())["stages"] if code == 0 else {}
    elif what == "build":  # from a cold start: no docs, no site (see cold())
        code = cli.main(["build", "--timings-json", str(timings)])
        result = {"seconds": time.perf_counter() - start}
        result["stages"] = json.loads(timings.read_text())["stages"] if code == 0 else {}
    elif what == "mkdocs":
        code = 0
        result = {"seconds": mkdocs_alone(root)}
    else:
        raise SystemExit(f"unknown step {what}")
    if code != 0:
        raise SystemExit(f"{what} exited with {code}")
    result["cpu_seconds"] = time.process_time() - cpu
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def docs_state(docs: Path) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """The folder's inode, and (inode, size, mtime) of each file in it: what a writer would change."""
    files = {}
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            st = path.stat()
            files[path.relative_to(docs).as_posix()] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return docs.stat().st_ino, files


def changed_files(before: tuple, after: tuple) -> int:
    """Files created, changed or removed between two ``docs_state``s (the manifest is a cache, not docs);
    a swapped-in folder counts as every file written."""
    if before[0] != after[0]:
        return len(after[1])
    old, new = before[1], after[1]
    return sum(
        1
        for rel in old.keys() | new.keys()
        if rel != ".briefing-manifest.json" and old.get(rel) != new.get(rel)
    )


def mkdocs_alone(root: Path) -> float:
    """Seconds of ``mkdocs build --strict`` of the docs the last build generated, into a folder aside: MkDocs
    alone, the generator told the docs are there already (as ``briefing build`` tells it)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.config import PLUGIN

    os.environ["SOURCE_DATE_EPOCH"] = "0"
    with tempfile.TemporaryDirectory(prefix="mkdocs-alone-", dir=root.parent) as site:
        start = time.perf_counter()
        cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site, strict=True)
        cfg.plugins[
            PLUGIN
        ].config.generate = False  # as briefing build tells it: the docs are there
        mkdocs_build(cfg)
        return time.perf_counter() - start


def site_figures(root: Path) -> dict:
    site = root / "site"
    pages = list(site.rglob("*.html"))
    briefings = sorted((site / "briefings").glob("*/index.html"))
    sizes = sorted(p.stat().st_size for p in briefings)
    largest = max(pages, key=lambda p: p.stat().st_size)
    index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return {
        "html_pages": len(pages),
        "briefing_page_median_kb": sizes[len(sizes) // 2] / 1024,
        "largest_page": str(largest.relative_to(site)),
        "largest_page_kb": largest.stat().st_size / 1024,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "search_index_kb_per_briefing": index / 1024 / max(1, len(briefings)),
    }


REPEATS = 3
"""Runs of each timed step per size: the median is reported, the spread shown."""


def median_of(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[len(ordered) // 2], "all": [r["seconds"] for r in runs]}


def cold(root: Path) -> None:
    """No docs, no site and no kept briefings (.briefing-cache), as on a fresh clone.

    The last run's folders are moved aside rather than deleted: deleting 200 MB
    leaves the disk busy with the freed blocks for a while, and the step measured
    next would pay for it (0.5 s of a 6 s generator run at N=1000). They are
    deleted when every size has been measured.
    """
    trash = root / ".trash"
    trash.mkdir(exist_ok=True)
    for folder in ("docs", "site", ".briefing-cache"):
        if (root / folder).exists():
            (root / folder).rename(trash / f"{folder}-{len(list(trash.iterdir()))}")
    (root / "docs").mkdir()


def measure(n: int, work: Path, build: bool) -> dict:
    root = project_for(n, work / f"n{n}")
    fig = {"n": n}
    runs = []
    for _ in range(REPEATS):
        cold(root)
        runs.append(child("generate", root))
    fig["generate"] = median_of(runs)
    fig["noop"] = child("generate", root)
    if build:
        builds, alone = [], []
        for _ in range(REPEATS):
            cold(root)
            builds.append(child("build", root))
            alone.append(
                child("mkdocs", root)
            )  # the docs this build generated, built again by MkDocs alone
        fig["build"] = median_of(builds)
        fig["build_runs"] = builds
        fig["mkdocs"] = median_of(alone)
        # Each build against the MkDocs run right after it: the pair shares the machine's mood of the moment.
        fig["build"]["ratios"] = [
            b["seconds"] / a["seconds"] for b, a in zip(builds, alone, strict=True)
        ]
        fig["build"]["cpu_ratios"] = [
            b["cpu_seconds"] / a["cpu_seconds"] for b, a in zip(builds, alone, strict=True)
        ]
        fig["build"]["ratio"] = sorted(fig["build"]["ratios"])[len(builds) // 2]
        fig["site"] = site_figures(root)
        fig["incremental"] = incremental_builds(root)
    return fig


def touch_summary(root: Path, which: int) -> None:
    """An editor's one edit: a word added to the summary of the oldest (0) or newest (-1) briefing."""
    path = sorted((root / "content" / "briefings").glob("*.yaml"))[which]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  Summary ", "\n  Edited summary ", 1), encoding="utf-8")


def incremental_builds(root: Path) -> dict:
    """After a cold build: ``briefing build`` with nothing changed, then after one edit to the oldest and to
    the newest briefing (each a fresh process, as ``make site`` is)."""
    out = {"noop": child("build", root)}
    for name, which in (("oldest", 0), ("newest", -1)):
        touch_summary(root, which)
        out[name] = child("build", root)
    return out


def _worst_of(fig: dict, key: str) -> float:
    """The worst of the build runs for a progress figure (no line at all: infinitely late)."""
    values = [r[key] for r in fig["build_runs"]]
    return float("inf") if None in values else max(values)


def _worst(fig: dict, key: str) -> str:
    worst = _worst_of(fig, key)
    return "never" if worst == float("inf") else f"{worst:.1f} s"


def _runs(fig: dict) -> str:
    return ", ".join(f"{s:.2f}" for s in fig["all"])


def report(figs: list[dict]) -> str:
    lines = []
    for f in figs:
        g, no = f["generate"], f["noop"]
        lines += [
            f"N={f['n']}: {g['pages']} generated pages",
            f"  generate, cold                 {g['seconds']:7.2f} s   (median of {_runs(g)}; peak {g['peak_rss_mb']:.0f} MB)",
            f"  no-op regeneration             {no['seconds']:7.2f} s   files written: {no['written']}",
        ]
        if "build" in f:
            b, m, s = f["build"], f["mkdocs"], f["site"]
            added = b["seconds"] - m["seconds"]
            lines += [
                f"  MkDocs alone (same docs)       {m['seconds']:7.2f} s   (median of {_runs(m)})",
                f"  briefing build, cold           {b['seconds']:7.2f} s   (median of {_runs(b)}; peak {b['peak_rss_mb']:.0f} MB)",
                f"    against MkDocs alone, run by run: {', '.join(f'{x:.2f}x' for x in b['ratios'])} (median {b['ratio']:.2f}x);"
                f" in CPU time: {', '.join(f'{x:.2f}x' for x in b['cpu_ratios'])}",
                "    its stages: "
                + ", ".join(f"{name} {t:.2f} s" for name, t in b["stages"].items()),
                f"    {added:.2f} s more than MkDocs alone = {added / m['seconds']:.1%} (medians)",
                f"    progress, output captured: first line after {_worst(f, 'first_line')},"
                f" longest silence {_worst(f, 'longest_silence')} (the worst of the runs)",
                "  briefing build after a cold one, as ratios to the cold median:"
                + "".join(
                    f" {label} {f['incremental'][key]['seconds']:.2f} s"
                    f" ({f['incremental'][key]['seconds'] / b['seconds']:.1%})"
                    + (";" if key != "newest" else "")
                    for key, label in (
                        ("noop", "nothing changed"),
                        ("oldest", "oldest briefing edited"),
                        ("newest", "newest briefing edited"),
                    )
                ),
                f"  site: {s['html_pages']} HTML pages, {s['site_mb']:.1f} MB; briefing page median"
                f" {s['briefing_page_median_kb']:.1f} KB; largest {s['largest_page']} {s['largest_page_kb']:.0f} KB;"
                f" search index (Pagefind, as served) {s['search_index_kb_per_briefing']:.1f} KB per briefing",
            ]
    small, big = sorted(figs, key=lambda f: f["n"])[0], sorted(figs, key=lambda f: f["n"])[-1]
    if big is not small:
        growth = big["n"] / small["n"]
        steps = [("generate", "generate")] + (
            [("build", "briefing build"), ("mkdocs", "MkDocs alone")] if "build" in big else []
        )
        lines.append(
            f"growth N={small['n']}→{big['n']} ({growth:.0f}x the briefings): "
            + ", ".join(
                f"{label} {big[key]['seconds'] / small[key]['seconds']:.2f}x"
                for key, label in steps
            )
            + (
                f"; briefing page {big['site']['briefing_page_median_kb'] / small['site']['briefing_page_median_kb']:.2f}x size"
                if "site" in big
                else ""
            )
        )
    lines += ["", "targets:"] + [
        f"  {'met' if ok else 'NOT MET'}: {what}" for what, ok in targets(figs)
    ]
    return "\n".join(lines)


BUILD_OVER_MKDOCS = 1.25
"""A cold ``briefing build`` takes at most this many times MkDocs alone building the same docs."""
GROWTH_SLACK = 1.1
"""Ten times the briefings take at most 10 × this as long (linear growth)."""
PAGE_SIZE_SLACK = 0.2
"""A briefing page at N is within this share of its size at N/10 (flat page size)."""
NOOP_SHARE = 0.05
"""``briefing build`` with nothing changed takes at most this share of a cold build."""
EDIT_SHARE = 0.15
"""``briefing build`` after one briefing's edit takes at most this share of a cold build."""
LARGEST_PAGE_KB = 500
FIRST_LINE = 2.0
"""A cold build of the large archive, its output captured (no terminal), prints its first line within this many
seconds of being started…"""
LONGEST_SILENCE = 10.0
"""…and is never silent for longer than this until it ends."""


def targets(figs: list[dict]) -> list[tuple[str, bool]]:
    """(target, met) for the figures measured."""
    ordered = sorted(figs, key=lambda f: f["n"])
    big = ordered[-1]
    out = [
        (
            f"no-op regeneration writes nothing (N={f['n']}: {f['noop']['written']} files)",
            f["noop"]["written"] == 0,
        )
        for f in ordered
    ]
    if "build" in big:
        ratio = big["build"]["ratio"]
        out.append(
            (
                f"cold briefing build at most {BUILD_OVER_MKDOCS}x MkDocs alone at N={big['n']} (median {ratio:.2f}x)",
                ratio <= BUILD_OVER_MKDOCS,
            )
        )
        first, silence = _worst(big, "first_line"), _worst(big, "longest_silence")
        out.append(
            (
                f"a cold build at N={big['n']}, output captured, prints its first line within {FIRST_LINE:.0f} s"
                f" ({first}) and is never silent over {LONGEST_SILENCE:.0f} s ({silence})",
                _worst_of(big, "first_line") <= FIRST_LINE
                and _worst_of(big, "longest_silence") <= LONGEST_SILENCE,
            )
        )
        cold_s = big["build"]["seconds"]
        inc = big["incremental"]
        out.append(
            (
                f"a build with nothing changed at most {NOOP_SHARE:.0%} of a cold build at N={big['n']}"
                f" ({inc['noop']['seconds'] / cold_s:.1%})",
                inc["noop"]["seconds"] <= NOOP_SHARE * cold_s,
            )
        )
        worst = max(inc["oldest"]["seconds"], inc["newest"]["seconds"])
        out.append(
            (
                f"a build after one briefing's edit at most {EDIT_SHARE:.0%} of a cold build at N={big['n']}"
                f" (oldest {inc['oldest']['seconds'] / cold_s:.1%}, newest {inc['newest']['seconds'] / cold_s:.1%})",
                worst <= EDIT_SHARE * cold_s,
            )
        )
        largest = max(f["site"]["largest_page_kb"] for f in ordered)
        out.append(
            (
                f"no page over {LARGEST_PAGE_KB} KB (largest {largest:.0f} KB)",
                largest <= LARGEST_PAGE_KB,
            )
        )
    if len(ordered) > 1:
        small = ordered[0]
        limit = big["n"] / small["n"] * GROWTH_SLACK
        for key, label in (("generate", "generate"), ("build", "cold briefing build")):
            if key in big:
                grew = big[key]["seconds"] / small[key]["seconds"]
                out.append(
                    (
                        f"{label} grows linearly: N={big['n']} at most {limit:.0f}x N={small['n']} ({grew:.2f}x)",
                        grew <= limit,
                    )
                )
        if "site" in big:
            size = big["site"]["briefing_page_median_kb"] / small["site"]["briefing_page_median_kb"]
            out.append(
                (
                    f"flat page size: briefing page at N={big['n']} within ±{PAGE_SIZE_SLACK:.0%} of N={small['n']}"
                    f" ({size:.2f}x)",
                    abs(size - 1) <= PAGE_SIZE_SLACK,
                )
            )
    return out


def search_report(sites: list[Path]) -> str:
    """What one search costs a reader at each size (benchmarks/search.py), when Chromium is here."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "search: not measured (no Playwright)"
    from search import (
        CHROMIUM_ARGS,
        PHONE_LINK,
        Link,
        briefing_path,
        index_sizes,
        measure_query,
        serve_gzipped,
    )

    lines = ["search (served gzipped; phone at 390 px on 1.6 Mbps / 150 ms; after typing began):"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for site in sites:
                sizes = index_sizes(site)
                lines.append(
                    f"  {site.parent.name}: Pagefind index {sizes['pagefind_served_mb']:.1f} MB as served"
                    f" ({sizes['pagefind_raw_mb']:.1f} MB raw) in {sizes['pagefind_files']} files"
                )
                with serve_gzipped(site, Link(*PHONE_LINK)) as base:
                    for query in ("drones", "ceasefire talks"):
                        measure_query(browser, base, briefing_path(site), query)
                        m = measure_query(browser, base, briefing_path(site), query)
                        lines.append(
                            f"    {query!r}: first result {m['first_result_s']:.2f} s after the last key,"
                            f" {m['received_kb']:.0f} KB in {m['requests']} requests"
                        )
        finally:
            browser.close()
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run_child(sys.argv[2], Path(sys.argv[3]).resolve())
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument(
        "--generator-only", action="store_true", help="skip the builds (generate and no-op only)"
    )
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step (default 3)")
    parser.add_argument(
        "--collector-on",
        action="store_true",
        help="run the commands without pausing the cycle collector while they generate",
    )
    args = parser.parse_args()
    if args.collector_on:
        os.environ[COLLECTOR_ON] = "1"
    global REPEATS
    REPEATS = max(1, args.repeat)
    work = args.keep or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sizes = [max(1, args.n // 10), args.n]
        figs = [measure(n, work, not args.generator_only) for n in sizes]
        print(report(figs))
        if not args.generator_only:
            print(search_report([work / f"n{n}" / "site" for n in sizes]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        for trash in work.glob("n*/.trash"):
            shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
