"""Preview benchmark: how long a saved edit takes to reach the page `briefing serve` shows, on N briefings.

Usage: python benchmarks/preview.py [N] [--keep DIR] [--idle SECONDS]
Builds the synthetic archive (benchmarks/make_archive.py, as run.py does), starts `briefing serve` on a free
port and waits for its first build; then retitles the newest and the oldest briefing in turn, and polls the
served HTML of that briefing's page until the new title is there, printing the seconds from the save. At the
end it watches the server's log for IDLE seconds (20 by default) and fails if anything was built meanwhile.
The machine may be shared: the load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import project_for  # noqa: E402

BUDGET = 3.0
"""Seconds a save may take to reach the page (the target, for the median of three saves)."""
SAVES = 3
"""Saves of each briefing; the median is held to the budget."""
WARM_SHARE = 0.15
"""A preview started where an earlier one kept its pages serves within this share of a cold start."""
START_LIMIT = 900.0
"""Longest wait for the first build (a cold start builds every page)."""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``briefing serve`` in a subprocess, its terminal output in a file."""

    def __init__(self, root: Path, log: Path, port: int | None = None):
        self.log = log
        self.port = port or free_port()
        self.out = open(log, "w", encoding="utf-8")
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"}
        self.url = ""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for(self, pattern: str, limit: float, after: int = 0) -> re.Match:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text()[after:])
            if found:
                return found
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"the preview exited with {self.proc.returncode}:\n{self.text()[-3000:]}"
                )
            time.sleep(0.1)
        raise SystemExit(f"no {pattern!r} within {limit} s:\n{self.text()[-3000:]}")

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.read().decode("utf-8")
        except (OSError, urllib.error.HTTPError):
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


def retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8"
    )


def seconds_to_show(server: Server, briefing: Path, title: str, limit: float = 120.0) -> float:
    """Save a new title and poll the briefing's served page until it shows it; seconds from the save."""
    retitle(briefing, title)
    saved = time.monotonic()
    path = f"briefings/{briefing.stem}/"
    while time.monotonic() - saved < limit:
        if title in server.page(path):
            return time.monotonic() - saved
        time.sleep(0.05)
    raise SystemExit(
        f"{briefing.stem}: the new title did not show within {limit} s:\n{server.text()[-3000:]}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument(
        "--keep",
        type=Path,
        help="build the archive here and keep it (a second run reuses its docs/)",
    )
    ap.add_argument("--idle", type=float, default=20.0)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="preview-bench-")) if args.keep is None else args.keep
    root = work / f"archive-{args.n}"
    if not (root / "content").is_dir():
        project_for(args.n, root)
    briefings = sorted((root / "content" / "briefings").glob("*.yaml"))
    newest, oldest = briefings[-1], briefings[0]
    server = Server(root, work / f"serve-{args.n}.log")
    ok = True
    try:
        started = time.monotonic()
        print(f"N={args.n}: {len(briefings)} briefings; {load()}", flush=True)
        server.url = server.wait_for(
            r"Serving on (http://127\.0\.0\.1:\d+/\S*)", START_LIMIT
        ).group(1)
        print(
            f"  first build, start to serving      {time.monotonic() - started:7.2f} s   ({load()})",
            flush=True,
        )
        cold_start = time.monotonic() - started
        for name, briefing in (("newest", newest), ("oldest", oldest)):
            if not server.page(f"briefings/{briefing.stem}/"):
                raise SystemExit(
                    f"briefings/{briefing.stem}/ is not served as expected (before the edit)"
                )
            times = []
            for _ in range(SAVES):
                mark = len(server.text())
                title = f"Preview edit {name} {time.time():.3f}"
                times.append(seconds_to_show(server, briefing, title))
                try:
                    server.wait_for(
                        r"more page\(s\) written(.*\n)*.*Reloading browsers", 300, after=mark
                    )
                except SystemExit:
                    print(
                        "    the other pages that show it: none rewritten within 300 s", flush=True
                    )
            median = sorted(times)[len(times) // 2]
            ok &= median <= BUDGET
            print(
                f"  save to page, {name} briefing     {median:7.2f} s   (median of "
                f"{', '.join(f'{t:.2f}' for t in times)}; {load()})",
                flush=True,
            )
        time.sleep(5)  # the last save's follow-up: its pages written, then one more build
        builds = server.text().count("Building documentation")
        time.sleep(args.idle)
        idle_builds = server.text().count("Building documentation") - builds
        ok &= idle_builds == 0
        print(f"  idle {args.idle:.0f} s: {idle_builds} build(s)   ({load()})", flush=True)
    finally:
        server.stop()
    # the next preview starts from the pages this one kept (.briefing-preview/)
    warm = Server(
        root, work / f"serve-{args.n}-warm.log", server.port
    )  # the address it kept pages for
    try:
        started = time.monotonic()
        warm.url = warm.wait_for(r"Serving on (http://127\.0\.0\.1:\d+/\S*)", START_LIMIT).group(1)
        warm_start = time.monotonic() - started
        from_kept = "started from the pages the last preview kept" in warm.text()
        ok &= from_kept and warm_start <= WARM_SHARE * cold_start
        print(
            f"  second start, start to serving     {warm_start:7.2f} s   ({warm_start / cold_start:.1%} of the first;"
            f" {'from the kept pages' if from_kept else 'NOT from the kept pages'}; {load()})",
            flush=True,
        )
    finally:
        warm.stop()
    print(
        f"target: each save on the page within {BUDGET:.0f} s (median of {SAVES}), no build while idle, a second"
        f" start within {WARM_SHARE:.0%} of the first: {'met' if ok else 'NOT met'}"
    )
    print(f"server log: {server.log}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
