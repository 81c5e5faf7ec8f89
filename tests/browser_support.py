"""The browser the tests read the site with: Debian's Chromium driven by Playwright, the site served over loopback.

Playwright cannot download its own browsers on these machines, so it drives
the system's ``chromium`` through ``executable_path``, with the flags that keep
it from reaching the network.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class BrowserUnavailable(Exception):
    """No browser can be started; the message says why, in one line."""


def chromium_executable() -> str | None:
    """Debian's chromium first; Google's build (as on hosted CI runners) will do."""
    for name in ("chromium", "google-chrome", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_problem() -> str | None:
    """Why no browser can be started, found without starting one; None when one may start."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if chromium_executable() is None:
        return "no chromium on PATH (Debian: apt-get install chromium; .ci/run does this)"
    return None


def launch(playwright):
    """Start headless Chromium, or raise BrowserUnavailable with the reason."""
    problem = browser_problem()
    if problem:
        raise BrowserUnavailable(problem)
    executable = chromium_executable()
    try:
        return playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:  # Playwright raises its own Error; any failure here means "no browser"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BrowserUnavailable(f"{executable} did not start: {first}") from None


def unavailable_message(reason: str, ci: bool) -> str:
    if ci:
        return f"browser tests cannot run in CI: {reason}"
    return f"browser tests skipped: {reason}"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def start_browser(playwright, ci: bool):
    """The browser, or one clear line: a skip here, a failure in CI (where the browser must be there)."""
    try:
        return launch(playwright)
    except BrowserUnavailable as exc:
        if ci:
            pytest.fail(unavailable_message(str(exc), ci=True), pytrace=False)
        pytest.skip(unavailable_message(str(exc), ci=False))


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: the site under its published path, and its 404 page for what is missing."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        local = unquote(urlsplit(path).path)
        if not local.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-site")
        return super().translate_path("/" + local[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    """Serve ``folder`` at ``http://127.0.0.1:PORT{prefix}``; yields that base URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = functools.partial(
        type("Handler", (_SiteHandler,), {"prefix": prefix}), directory=str(folder)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
