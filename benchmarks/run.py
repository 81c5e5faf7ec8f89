"""Scale benchmark: generator against the YAML parse floor, no-op regeneration, MkDocs build growth.

Usage: python benchmarks/run.py N [--generator-only] [--keep DIR] [--repeat R]
Each timed step runs R times (default 3) and the median is reported, with every run shown:
the machines are shared, so compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
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


def child(what: str, root: Path) -> dict:
    """Run one measured step in a fresh process; returns its figures.

    Dirty pages of earlier steps are flushed first, so that their write-back
    does not slow the step measured.
    """
    os.sync()
    out = subprocess.run([sys.executable, __file__, "--child", what, str(root)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{what} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(what: str, root: Path) -> None:
    os.chdir(root)
    from generator.project import find_project

    project = find_project(root)
    if what == "floor":
        import yaml

        files = sorted((root / "content").rglob("*.yaml"))
        texts = [p.read_text(encoding="utf-8") for p in files]
        start = time.perf_counter()
        for t in texts:
            yaml.load(t, Loader=yaml.CSafeLoader)
        result = {"seconds": time.perf_counter() - start, "files": len(files),
                  "bytes": sum(len(t.encode()) for t in texts)}
    elif what == "generate":
        from generator.generate import generate

        start = time.perf_counter()
        g = generate(project)
        result = {"seconds": time.perf_counter() - start, "written": len(g.report.written), "pages": g.pages}
    elif what == "build":
        # `briefing build` from a cold start (no docs, no site: see cold()), its steps timed where they run.
        import mkdocs.commands.build

        from generator import build

        timed: dict[str, float] = {}

        def timing(name, fn):
            def run(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    timed[name] = timed.get(name, 0.0) + time.perf_counter() - start
            return run

        build.generate = timing("generate", build.generate)
        mkdocs.commands.build.build = timing("mkdocs", mkdocs.commands.build.build)
        build.scan_site = timing("scan", build.scan_site)
        start = time.perf_counter()
        build.build_site(project)
        result = {"seconds": time.perf_counter() - start, **timed}
    else:
        raise SystemExit(f"unknown step {what}")
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def site_figures(root: Path) -> dict:
    site = root / "site"
    pages = list(site.rglob("*.html"))
    briefings = sorted((site / "briefings").glob("*/index.html"))
    sizes = sorted(p.stat().st_size for p in briefings)
    largest = max(pages, key=lambda p: p.stat().st_size)
    index = site / "search" / "search_index.json"
    return {
        "html_pages": len(pages),
        "briefing_page_median_kb": sizes[len(sizes) // 2] / 1024,
        "largest_page": str(largest.relative_to(site)),
        "largest_page_kb": largest.stat().st_size / 1024,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "search_index_kb_per_briefing": index.stat().st_size / 1024 / max(1, len(briefings)),
    }


REPEATS = 3
"""Cold generator runs (and parse floors) per size: the median is reported, the spread shown."""


def median_of(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[len(ordered) // 2], "all": [r["seconds"] for r in runs]}


def cold(root: Path) -> None:
    """No docs and no site, as on a fresh clone.

    The last run's folders are moved aside rather than deleted: deleting 200 MB
    leaves the disk busy with the freed blocks for a while, and the step measured
    next would pay for it (0.5 s of a 6 s generator run at N=1000). They are
    deleted when every size has been measured.
    """
    trash = root / ".trash"
    trash.mkdir(exist_ok=True)
    for folder in ("docs", "site"):
        if (root / folder).exists():
            (root / folder).rename(trash / f"{folder}-{len(list(trash.iterdir()))}")
    (root / "docs").mkdir()


def measure(n: int, work: Path, build: bool) -> dict:
    root = project_for(n, work / f"n{n}")
    fig = {"n": n}
    fig["floor"] = median_of([child("floor", root) for _ in range(REPEATS)])
    runs = []
    for _ in range(REPEATS):
        cold(root)
        runs.append(child("generate", root))
    fig["generate"] = median_of(runs)
    fig["noop"] = child("generate", root)
    if build:
        builds = []
        for _ in range(REPEATS):
            cold(root)
            builds.append(child("build", root))
        fig["build"] = median_of(builds)
        fig["build"]["shares"] = [b["generate"] / b["seconds"] for b in builds]
        fig["site"] = site_figures(root)
    return fig


def _runs(fig: dict) -> str:
    return ", ".join(f"{s:.2f}" for s in fig["all"])


def report(figs: list[dict]) -> str:
    lines = []
    for f in figs:
        g, fl, no = f["generate"], f["floor"], f["noop"]
        lines += [
            f"N={f['n']}: {fl['files']} files, {fl['bytes'] / 2**20:.1f} MB of YAML, {g['pages']} generated pages",
            f"  parse floor (CSafeLoader)      {fl['seconds']:7.2f} s   (median of {_runs(fl)})",
            f"  generator, cold                {g['seconds']:7.2f} s   = {g['seconds'] / fl['seconds']:.2f}x the floor"
            f"   (median of {_runs(g)}; peak {g['peak_rss_mb']:.0f} MB)",
            f"  no-op regeneration             {no['seconds']:7.2f} s   files written: {no['written']}",
        ]
        if "build" in f:
            b, s = f["build"], f["site"]
            lines += [
                f"  briefing build, cold           {b['seconds']:7.2f} s   (peak {b['peak_rss_mb']:.0f} MB):"
                f" generator {b['generate']:.2f} s = {b['generate'] / b['seconds']:.1%} of it,"
                f" mkdocs build {b['mkdocs']:.2f} s, scan {b['scan']:.2f} s",
                f"    (median of {_runs(b)} s; generator share in each: {', '.join(f'{x:.1%}' for x in b['shares'])})",
                f"  site: {s['html_pages']} HTML pages, {s['site_mb']:.1f} MB; briefing page median"
                f" {s['briefing_page_median_kb']:.1f} KB; largest {s['largest_page']} {s['largest_page_kb']:.0f} KB;"
                f" search index {s['search_index_kb_per_briefing']:.1f} KB per briefing",
            ]
    builds = [f for f in figs if "build" in f]
    if len(builds) == 2:
        small, big = sorted(builds, key=lambda f: f["n"])
        lines.append(
            f"mkdocs build growth N={small['n']}→{big['n']}: {big['build']['mkdocs'] / small['build']['mkdocs']:.2f}x"
            f" time; briefing page {big['site']['briefing_page_median_kb'] / small['site']['briefing_page_median_kb']:.2f}x size"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run_child(sys.argv[2], Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--generator-only", action="store_true", help="skip the MkDocs builds")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step (default 3)")
    args = parser.parse_args()
    global REPEATS
    REPEATS = max(1, args.repeat)
    work = args.keep or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sizes = [args.n] if args.generator_only else [max(1, args.n // 10), args.n]
        figs = [measure(n, work, not args.generator_only) for n in sizes]
        print(report(figs))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        for trash in work.glob("n*/.trash"):
            shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
