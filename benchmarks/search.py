"""Search at scale: the size of the index, and what one query costs a reader on a phone link.

    python benchmarks/search.py SITE [SITE ...] [--query WORDS ...]

SITE is a site folder built by ``briefing build`` (``benchmarks/run.py N --keep DIR`` leaves DIR/nN/site). For
each: Pagefind's index (files, bytes raw and as served gzipped) beside Material's single index when the folder
has one; then, in headless Chromium at 390 px over a 1.6 Mbps / 150 ms link, the site served gzipped as static
hosts serve it, a briefing page opens, search opens with its key and each query is typed: seconds from the last
keystroke to the first result on screen, and bytes received after typing began (index fragments, Pagefind's
script and WebAssembly: nothing of it loads before search is opened).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PHONE_LINK = (0.150, 1.6e6 / 8)
"""150 ms round trip, 1.6 Mbps down: Lighthouse's slow 4G, as the issue measured it."""
PHONE = {"width": 390, "height": 844}
COMPRESSED = {".html", ".js", ".css", ".json", ".xml", ".svg", ".txt"}
"""What a static host gzips; Pagefind's own files are gzipped already and served as they are."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class Link:
    """One phone link shared by every request (page, script, worker): each response waits the round trip,
    then its bytes pass at the link's rate, one after another. Throttled at the server, so requests from
    Pagefind's worker, which the browser's own throttling does not reach, pay it too."""

    def __init__(self, latency_s: float, bytes_per_s: float) -> None:
        self.latency, self.rate = latency_s, bytes_per_s
        self.lock = threading.Lock()
        self.free_at = 0.0

    def wait(self, size: int) -> None:
        time.sleep(self.latency)
        with self.lock:
            done = max(time.perf_counter(), self.free_at) + size / self.rate
            self.free_at = done
        time.sleep(max(0.0, done - time.perf_counter()))


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    link: Link | None = None

    def log_message(self, *args: Any) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        data = source.read()
        if self.link is not None:
            self.link.wait(len(data))
        outputfile.write(data)

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix in COMPRESSED
            and path.is_file()
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve_gzipped(site: Path, link: Link | None = None) -> Iterator[str]:
    """Serve ``site`` on a free port as a static host does (text gzipped), over ``link`` if given; yields the
    base URL."""
    handler = functools.partial(
        type("Handler", (_GzipHandler,), {"link": link}), directory=str(site)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def index_sizes(site: Path) -> dict[str, Any]:
    """Pagefind's index (files, raw bytes once decompressed, bytes as served) and Material's, if any."""
    folder = site / "pagefind"
    files = [p for p in folder.rglob("*") if p.is_file()]
    served = sum(p.stat().st_size for p in files)
    raw = 0
    for p in files:
        data = p.read_bytes()
        raw += len(gzip.decompress(data)) if data[:2] == b"\x1f\x8b" else len(data)
    out: dict[str, Any] = {
        "pagefind_files": len(files),
        "pagefind_raw_mb": raw / 1e6,
        "pagefind_served_mb": served / 1e6,
    }
    material = site / "search" / "search_index.json"
    if material.is_file():
        data = material.read_bytes()
        out["material_raw_mb"] = len(data) / 1e6
        out["material_gzip_mb"] = len(gzip.compress(data, 6)) / 1e6
    return out


FIRST_RESULT = """(query) => { window.__shown = new Promise(resolve => {
  const list = document.getElementById('site-search-results');
  const input = document.querySelector('.md-search__input');
  const done = () => input.value === query && list.querySelector('li') !== null;
  if (done()) { resolve(performance.now()); return; }
  new MutationObserver((_, obs) => { if (done()) { obs.disconnect(); resolve(performance.now()); } })
    .observe(list, {childList: true, subtree: true});
}); }"""


def measure_query(browser: Any, base: str, page_path: str, query: str) -> dict[str, Any]:
    """One reader, with an empty cache: open ``page_path``, open search, type ``query`` (120 ms a key). Serve
    ``base`` over the phone link (``serve_gzipped(site, Link(*PHONE_LINK))``)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    received: list[tuple[bool, float]] = []
    typing = {"on": False}

    def finished(request: Any) -> None:
        sizes = request.sizes()
        received.append((typing["on"], sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    page.on("requestfinished", finished)
    try:
        page.goto(base + page_path, wait_until="load")
        page.wait_for_load_state("networkidle")
        typing["on"] = True
        page.evaluate(
            "() => { window.__lastKey = 0; document.addEventListener('keydown', "
            "() => { window.__lastKey = performance.now(); }, true); }"
        )
        page.evaluate(FIRST_RESULT, query)
        page.keyboard.press("/")
        page.locator(".md-search__input").press_sequentially(query, delay=120)
        shown = page.evaluate("() => window.__shown")
        last = page.evaluate("() => window.__lastKey")
        page.wait_for_load_state("networkidle")
        after = [n for on, n in received if on]
        return {
            "query": query,
            "first_result_s": max(0.0, (shown - last) / 1000),
            "received_kb": sum(after) / 1024,
            "requests": len(after),
        }
    finally:
        context.close()


def briefing_path(site: Path) -> str:
    """A briefing page of the site: the newest by name."""
    pages = sorted((site / "briefings").glob("*/index.html"))
    return pages[-1].parent.relative_to(site).as_posix() + "/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", type=Path, nargs="+")
    parser.add_argument("--query", action="append", help="a query to type (default: two)")
    args = parser.parse_args()
    queries = args.query or ["drones", "ceasefire talks"]
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for site in args.sites:
                sizes = index_sizes(site)
                with serve_gzipped(site, Link(*PHONE_LINK)) as base:
                    path = briefing_path(site)
                    for q in queries:
                        measure_query(browser, base, path, q)  # warms the server's disk cache only
                        results.append(
                            {"site": str(site), **sizes, **measure_query(browser, base, path, q)}
                        )
        finally:
            browser.close()
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"# {time.perf_counter() - t0:.1f} s")
