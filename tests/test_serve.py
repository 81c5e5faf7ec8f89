"""`briefing serve`: a real preview server on loopback, driven the way a browser tab drives it."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, site_project

pytestmark = pytest.mark.slow  # every test runs the live preview

SEED = "2025-12-29-trump-putin-second-call"
TITLE = "Trump speaks to Putin again; Moscow alleges a drone attack, Zelenskyy calls it a lie"
LIMIT = 20.0
"""Longest wait for anything the server does (seconds); every loop below is bounded by it."""
RELOAD_BUDGET = 5.0
"""A save must reach an open page within this many seconds (about 1.5 s on the seed site; slack for slow CI)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = LIMIT) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


class Preview:
    """``briefing serve`` in a subprocess; its terminal output collected in a file."""

    def __init__(self, root: Path, log: Path, port: int | None = None):
        self.log = log
        self.port = port or free_port()
        self.out = open(log, "w", encoding="utf-8")
        self.tmp = log.parent / "tmp"  # MkDocs builds the preview in a temporary folder here
        self.tmp.mkdir()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.tmp)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        self.url = self.wait_for(r"Serving on (http://127\.0\.0\.1:\d+/\S*)").group(1)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def count(self, line: str) -> int:
        return self.text().count(line)

    def wait_for(self, pattern: str, after: int = 0) -> re.Match:
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text()[after:])
            if found:
                return found
            if self.proc.poll() is not None:
                pytest.fail(f"the preview exited with {self.proc.returncode}:\n{self.text()}")
            time.sleep(0.05)
        pytest.fail(f"no {pattern!r} within {LIMIT} s:\n{self.text()}")

    def page(self, path: str) -> str:
        return fetch(self.url + path)

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # Ctrl+C, as a person stops it
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.out.close()
        return self.proc.returncode


class ReloadWatch(threading.Thread):
    """What the live-reload script of an open page does: wait for the server to announce a newer build."""

    def __init__(self, preview: Preview, page: str):
        super().__init__(daemon=True)
        epoch, request = re.search(r"livereload\((\d+), (\d+)\);", page).groups()
        self.url = f"http://127.0.0.1:{preview.port}/livereload/{epoch}/{request}"
        self.epoch = int(epoch)
        self.answered_at: float | None = None
        self.answer: int | None = None

    def run(self) -> None:
        try:
            self.answer = int(fetch(self.url, timeout=LIMIT + 5))
        except (OSError, ValueError):
            return
        self.answered_at = time.monotonic()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def preview(tmp_path):
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    server = Preview(root, tmp_path / "serve.log")
    server.root = root
    try:
        yield server
    finally:
        server.stop()


def test_saved_file_reaches_the_open_page_and_errors_keep_the_last_good_page(preview):
    briefing = preview.root / "content" / "briefings" / f"{SEED}.yaml"
    page = preview.page(f"briefings/{SEED}/")
    assert "Trump speaks to Putin again; Moscow alleges a drone attack" in page
    assert "briefing-preview-errors" not in page and "md-banner" not in page
    assert preview.count("Building documentation") == 1

    # an open tab waits for the next build; the editor saves a change
    watch = ReloadWatch(preview, page)
    watch.start()
    time.sleep(0.3)  # the tab is waiting before the save, as it would be
    saved = time.monotonic()
    edit(briefing, f"title: {TITLE}", "title: Second call, edited while previewing")
    watch.join(LIMIT)
    assert watch.answered_at is not None, preview.text()
    assert watch.answer > watch.epoch
    delay = watch.answered_at - saved
    print(f"reload announced {delay:.2f} s after the save")
    assert delay < RELOAD_BUDGET, f"the page was told to reload {delay:.2f} s after the save"
    assert "Second call, edited while previewing" in preview.page(f"briefings/{SEED}/")

    # one save, two builds: the save's own pages, then the others that show the edit (follow-up); the written
    # docs set off nothing more
    preview.wait_for(
        r"briefing: \d+ more page\(s\) written, 0 removed\n(.*\n)*.*Reloading browsers"
    )
    time.sleep(1.5)
    assert preview.count("Building documentation") == 3, preview.text()

    # a broken file: errors in the terminal, the last good page stays, with a banner naming them
    mark = len(preview.text())
    edit(briefing, "status: developing", "status: <b>developin")
    preview.wait_for(r"Reloading browsers", after=mark)
    log = preview.text()[mark:]
    assert (
        f"ERROR   -  content/briefings/{SEED}.yaml:7:9: status: '<b>developin' is not one of: "
        "developing, stable, archived; did you mean 'developing'?"
    ) in log
    assert (
        "ERROR   -  1 content error(s); the docs were not regenerated (showing the last good version)"
        in log
    )
    page = preview.page(f"briefings/{SEED}/")
    assert "Second call, edited while previewing" in page
    banner = re.search(
        r'<div class="briefing-preview-errors" role="alert">(.*?)</div>', page, re.S
    ).group(1)
    assert "1 content error: this preview shows the last good version." in banner
    assert (
        f"<code>content/briefings/{SEED}.yaml:7:9: status: &#39;&lt;b&gt;developin&#39; is not one of"
    ) in banner
    assert "<b>developin" not in page

    # idle: nothing changes, nothing is rebuilt
    builds, changes = (
        preview.count("Building documentation"),
        preview.count("Detected file changes"),
    )
    time.sleep(3)
    assert (preview.count("Building documentation"), preview.count("Detected file changes")) == (
        builds,
        changes,
    )

    # fixed again: the banner goes
    mark = len(preview.text())
    edit(briefing, "status: <b>developin", "status: developing")
    preview.wait_for(r"Reloading browsers", after=mark)
    assert "briefing-preview-errors" not in preview.page(f"briefings/{SEED}/")

    assert preview.stop() == 0
    assert "Traceback" not in preview.text()
    assert list(preview.tmp.iterdir()) == []  # the temporary site is removed on Ctrl+C


def files_of(folder: Path, suffix: str) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob(f"*{suffix}")
        if p.is_file()
    }


def html_of(doc: str) -> str:
    """The HTML file MkDocs makes of a docs file (directory URLs)."""
    stem = doc.removesuffix(".md")
    return "index.html" if stem == "index" else (stem.removesuffix("/index") + "/index.html")


@pytest.fixture
def preview_at_site_url(tmp_path):
    """A preview whose site_url is the address it serves on, so that its docs are those ``briefing generate``
    writes (a preview puts its own address into the absolute URLs of the JSON-LD and feeds)."""
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    port = free_port()
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_url: https://example.org/briefings/",
            f"site_url: http://127.0.0.1:{port}/briefings/",
        ),
        encoding="utf-8",
    )
    server = Preview(root, tmp_path / "serve.log", port)
    server.root = root
    try:
        yield server
    finally:
        server.stop()


def test_a_save_rewrites_and_renders_only_the_pages_it_changes(preview_at_site_url):
    """What keeps a save within seconds on a 1,000-briefing archive (benchmarks/preview.py times it): only the
    docs files whose bytes change are written, MkDocs renders only their pages (a dirty build), and nothing is
    left for a full generation to fix apart from the feeds and data files; idle, nothing is built."""
    from generator.output.generate import generate
    from generator.project import find_project

    preview = preview_at_site_url
    docs = preview.root / ".briefing-preview" / "docs"  # the preview's own, apart from the build's
    site = next(preview.tmp.glob("mkdocs_*"))
    assert (
        "not included in the" not in preview.text()
    )  # the pages out of the navigation are meant to be
    docs_before, html_before = files_of(docs, ".md"), files_of(site, ".html")
    index_before = (site / "search" / "search_index.json").read_bytes()

    edit(
        preview.root / "content" / "briefings" / f"{SEED}.yaml",
        f"title: {TITLE}",
        "title: Second call, retitled",
    )
    preview.wait_for(
        r"briefing: \d+ more page\(s\) written, 0 removed\n(.*\n)*.*Reloading browsers"
    )
    time.sleep(3)  # idle: no build after the follow-up's
    assert preview.count("Building documentation") == 3, preview.text()
    assert "Second call, retitled" in preview.page(f"briefings/{SEED}/")
    # search finds the pages as the preview started (the index of its first build, not one merged with a save's)
    assert (site / "search" / "search_index.json").read_bytes() == index_before

    docs_after, html_after = files_of(docs, ".md"), files_of(site, ".html")
    rewritten = {rel for rel in docs_after if docs_after[rel][0] != docs_before.get(rel, (0,))[0]}
    differing = {
        rel for rel in docs_after if docs_after[rel][1] != docs_before.get(rel, (0, b""))[1]
    }
    assert (
        rewritten == differing
        and {f"briefings/{SEED}.md", "index.md", "stories/index.md"} <= rewritten
    )
    rendered = {
        rel for rel in html_after if html_after[rel][0] != html_before.get(rel, (0,))[0]
    } - {"404.html"}
    assert rendered == {html_of(rel) for rel in rewritten}, (rendered, rewritten)
    assert len(rendered) < len(html_after) / 2
    assert "not included in the" not in preview.text()
    assert re.search(
        r"\nINFO    -  briefing: \d+ page\(s\) written; the other pages that show the edit follow\n",
        preview.text(),
    )
    assert (
        preview.count(
            "\nINFO    -  briefing: while previewing, search finds pages as they were when the preview started, and the "
            "feeds and data/ files stay as they were; `briefing build` makes all of them whole\n"
        )
        == 1
    )
    assert "A 'dirty' build" not in preview.text()

    assert preview.stop() == 0
    report = generate(
        find_project(preview.root), docs_dir=docs
    ).report  # what a full generation still finds to write
    assert [rel for rel in report.written if not rel.startswith(("data/", "feed."))] == []
    assert report.removed == ()


def test_a_quote_without_exact_words_shows_a_banner_instead_of_stalling(preview):
    """A misspelt ``exact`` once crashed the rebuild: the server then held every page request."""
    briefing = preview.root / "content" / "briefings" / f"{SEED}.yaml"
    mark = len(preview.text())
    edit(briefing, 'exact: "Trump has characterized', 'exakt: "Trump has characterized')
    preview.wait_for(r"Reloading browsers", after=mark)
    page = preview.page(f"briefings/{SEED}/")
    banner = re.search(
        r'<div class="briefing-preview-errors" role="alert">(.*?)</div>', page, re.S
    ).group(1)
    assert "2 content errors: this preview shows the last good version." in banner
    assert (
        f"<code>content/briefings/{SEED}.yaml:137:9: claims[0].quotes[0].exakt: unknown field "
        "&#39;exakt&#39; in a quote; did you mean &#39;exact&#39;?</code>"
    ) in banner
    assert "Traceback" not in preview.text()


def test_terminate_stops_cleanly(preview):
    preview.proc.terminate()
    preview.proc.wait(timeout=LIMIT)
    assert preview.proc.returncode == 0
    assert "Shutting down..." in preview.text() and "Traceback" not in preview.text()
    assert list(preview.tmp.iterdir()) == []


# --- refusals, in-process ----------------------------------------------------------------


@pytest.mark.parametrize(
    "addr, message",
    [
        (
            "0.0.0.0:8000",
            "briefing: --dev-addr: '0.0.0.0' is not a loopback address; "
            "the preview is for this machine only (127.0.0.1, ::1 or localhost)\n",
        ),
        (
            "192.168.1.5:8000",
            "briefing: --dev-addr: '192.168.1.5' is not a loopback address; "
            "the preview is for this machine only (127.0.0.1, ::1 or localhost)\n",
        ),
        ("8000", "briefing: --dev-addr: '8000' is not HOST:PORT, such as 127.0.0.1:8000\n"),
        (
            "127.0.0.1:http",
            "briefing: --dev-addr: '127.0.0.1:http' is not HOST:PORT, such as 127.0.0.1:8000\n",
        ),
        (
            "127.0.0.1:70000",
            "briefing: --dev-addr: '127.0.0.1:70000' is not HOST:PORT, such as 127.0.0.1:8000\n",
        ),
    ],
)
def test_dev_addr_must_be_loopback(cli, project, addr, message):
    run = cli(project(), "serve", "--dev-addr", addr)
    assert (run.code, run.err) == (2, message)


def test_content_option_is_refused(cli, project):
    run = cli(project(), "serve", "--content", "content")
    assert (run.code, run.err) == (
        2,
        "briefing: serve has no --content; the preview reads content/ of the project, as mkdocs serve does\n",
    )


def test_address_in_use_fails_before_building(cli, project):
    root = project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = cli(root, "serve", "--dev-addr", f"127.0.0.1:{port}")
    assert run.code == 1
    assert run.err == (
        f"briefing: cannot listen on 127.0.0.1:{port}: Address already in use; is another preview running? "
        f"Pass --dev-addr 127.0.0.1:{port + 1} to use another port\n"
    )
    assert not (root / "docs").exists()


# --- the front door: host names and held live-reload polls (B10) ---------------------------


def call(guard, path: str = "/", host: str | None = "127.0.0.1:8000") -> tuple[str, bytes]:
    """One request through a WSGI app, as wsgiref makes it."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    if host is not None:
        environ["HTTP_HOST"] = host
    status = []
    body = b"".join(guard(environ, lambda s, headers: status.append(s)))
    return status[0], body


def ok_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"draft"]


@pytest.mark.parametrize(
    "host, status",
    [
        ("127.0.0.1:8000", "200 OK"),
        ("127.0.0.1", "200 OK"),
        ("127.1.2.3:8000", "200 OK"),
        ("localhost:8000", "200 OK"),
        ("LocalHost:8000", "200 OK"),
        ("[::1]:8000", "200 OK"),
        ("attacker.example", "403 Forbidden"),
        ("attacker.example:8000", "403 Forbidden"),
        ("127.0.0.1.nip.io:8000", "403 Forbidden"),
        ("localhost.attacker.example:8000", "403 Forbidden"),
        ("sub.localhost:8000", "403 Forbidden"),
        ("192.168.1.5:8000", "403 Forbidden"),
        ("0.0.0.0:8000", "403 Forbidden"),
        ("localhost:x", "403 Forbidden"),
        ("[::1:8000", "403 Forbidden"),
        ("user@127.0.0.1:8000", "403 Forbidden"),
        ("127.0.0.1/evil", "403 Forbidden"),
        ("", "403 Forbidden"),
        (None, "403 Forbidden"),
    ],
)
def test_the_preview_answers_only_to_loopback_names(host, status):
    """A page whose name an attacker points at 127.0.0.1 (DNS rebinding) sends its own name as Host."""
    from generator.serve import PreviewGuard

    answer = call(PreviewGuard(ok_app), "/briefings/draft/", host)
    assert answer[0] == status
    if status != "200 OK":
        assert (
            answer[1]
            == b"This preview answers only to localhost and loopback addresses (127.0.0.1, [::1]).\n"
        )


def test_the_host_check_guards_live_reload_too():
    from generator.serve import PreviewGuard

    assert call(PreviewGuard(ok_app), "/livereload/1/2", "attacker.example")[0] == "403 Forbidden"


def test_only_so_many_live_reload_polls_are_held():
    """Polls beyond the cap are answered 503 at once (the tab asks again after 3 s); others are served as before."""
    from generator.serve import PreviewGuard

    release, waiting = threading.Event(), threading.Semaphore(0)

    def slow_app(environ, start_response):
        if environ["PATH_INFO"].startswith("/livereload/"):
            waiting.release()
            release.wait(LIMIT)  # MkDocs holds a poll until the next build, or its timeout
        return ok_app(environ, start_response)

    guard = PreviewGuard(slow_app, max_polls=2)
    answers: list[str] = []
    held = [
        threading.Thread(target=lambda: answers.append(call(guard, "/livereload/1/2")[0]))
        for _ in range(2)
    ]
    for t in held:
        t.start()
    try:
        for _ in held:
            assert waiting.acquire(timeout=LIMIT)
        assert call(guard, "/livereload/1/3") == (
            "503 Service Unavailable",
            b"Too many live-reload polls; ask again.\n",
        )
        assert call(guard, "/briefings/")[0] == "200 OK"  # pages are not polls
        assert call(guard, "/livereloadx")[0] == "200 OK"
    finally:
        release.set()
        for t in held:
            t.join(LIMIT)
    assert answers == ["200 OK", "200 OK"]
    assert (
        call(guard, "/livereload/1/4")[0] == "200 OK"
    )  # the answered polls gave their places back


@pytest.mark.parametrize(
    "host, checked", [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False)]
)
def test_guard_preview_wraps_mkdocs_server(tmp_path, host, checked):
    """``mkdocs serve -a 0.0.0.0:8000`` (not ``briefing serve``) is left open to the network its user chose."""
    from mkdocs.livereload import LiveReloadServer

    from generator.serve import POLL_WAIT, PreviewGuard, guard_preview

    server = LiveReloadServer(
        builder=lambda: None, host=host, port=8000, root=str(tmp_path)
    )  # not bound
    assert (
        server.poll_response_timeout == 60
    )  # MkDocs' own: a dropped poll held a thread for a minute
    assert guard_preview(server) is server
    assert server.poll_response_timeout == POLL_WAIT < 60
    assert isinstance(server.get_app(), PreviewGuard) and server.get_app().check_host is checked


def threads_of(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return int(re.search(r"^Threads:\s+(\d+)$", f.read(), re.M).group(1))


def raw_request(port: int, path: str, host: str) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=LIMIT)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("ascii"))
    return s


def status_line(s: socket.socket) -> str:
    return s.recv(200).split(b"\r\n", 1)[0].decode("ascii")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="counts threads in /proc")
def test_the_running_preview_refuses_foreign_hosts_and_dropped_polls_hold_few_threads(preview):
    from generator.serve import MAX_WAITING_POLLS

    page = preview.page(f"briefings/{SEED}/")
    draft = urlsplit(preview.url).path + f"briefings/{SEED}/"
    with raw_request(preview.port, draft, "attacker.example:80") as s:
        assert status_line(s) == "HTTP/1.0 403 Forbidden"
    with raw_request(preview.port, draft, f"localhost:{preview.port}") as s:
        assert status_line(s) == "HTTP/1.0 200 OK"
    preview.wait_for(
        r"WARNING -  refused requests for host 'attacker\.example:80': "
        r"the preview answers only to localhost and loopback addresses"
    )

    # a page opens many live-reload polls and drops them; MkDocs held each in a thread for 60 s
    epoch = re.search(r"livereload\((\d+), \d+\);", page).group(1)
    base = threads_of(preview.proc.pid)
    polls = []
    for i in range(60):
        polls.append(
            raw_request(preview.port, f"/livereload/{epoch}/{i}", f"127.0.0.1:{preview.port}")
        )
        time.sleep(
            0.01
        )  # paced: a burst overflows the server's listen backlog (5), and the kernel retries 1 s later
    most = threads_of(preview.proc.pid)
    answered: dict[socket.socket, str] = {}
    deadline = time.monotonic() + LIMIT
    while len(answered) < len(polls) - MAX_WAITING_POLLS and time.monotonic() < deadline:
        ready, _, _ = select.select([s for s in polls if s not in answered], [], [], 0.1)
        answered.update((s, status_line(s)) for s in ready)
        most = max(most, threads_of(preview.proc.pid))
    for s in polls:
        s.close()
    print(
        f"threads: {base} before, at most {most} with 60 polls open; {len(answered)} polls answered at once"
    )
    assert len(answered) >= len(polls) - MAX_WAITING_POLLS
    assert set(answered.values()) <= {
        "HTTP/1.0 503 Service Unavailable",
        "HTTP/1.0 200 OK",
    }  # 200: a held poll's wait ended
    assert most <= base + MAX_WAITING_POLLS + 2
    assert "briefing-preview-errors" not in preview.page(f"briefings/{SEED}/")  # still serving


def test_docs_generated_for_another_address_are_generated_again(tmp_path, monkeypatch):
    """A preview generates with its own address in the feeds and JSON-LD; ``briefing build`` (or a preview on
    another port) must not take those docs as up to date."""
    from generator.output.generate import generate
    from generator.project import find_project

    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_url: https://example.org/briefings/",
            'site_url: !ENV [SITE_URL, "https://example.org/briefings/"]',
        ),
        encoding="utf-8",
    )
    assert generate(find_project(root)).report.changed
    assert not generate(find_project(root)).report.changed  # nothing changed: nothing written
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000/briefings/")
    written = generate(find_project(root)).report.written
    assert "feed.xml" in written and f"briefings/{SEED}.md" in written


def test_a_preview_starts_from_the_pages_the_last_one_kept(tmp_path):
    """Stopped, a preview keeps its pages in .briefing-preview/; the next one (same settings and code) starts
    from them and renders only the pages whose docs changed meanwhile, and shows the edit made in between."""
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    port = free_port()
    first = Preview(root, tmp_path / "first.log", port)
    assert "started from the pages the last preview kept" not in first.text()
    assert first.stop() == 0
    kept = root / ".briefing-preview"
    assert (kept / "site" / "index.html").is_file() and (kept / "key").is_file()
    assert "the preview's pages are kept for the next one to start from" in first.text()
    assert not (root / "docs" / "index.md").exists()  # the preview's docs are its own

    edit(
        root / "content" / "briefings" / f"{SEED}.yaml",
        f"title: {TITLE}",
        "title: Second call, retitled while stopped",
    )
    (tmp_path / "second").mkdir()
    started = time.time()
    second = Preview(root, tmp_path / "second" / "serve.log", port)
    try:
        assert "started from the pages the last preview kept" in second.text()
        site = next(second.tmp.glob("mkdocs_*"))
        assert "Second call, retitled while stopped" in second.page(f"briefings/{SEED}/")
        assert not (kept / "key").exists()  # taken: a killed preview leaves nothing that looks kept
        rendered = {
            p.relative_to(site).as_posix()
            for p in site.rglob("*.html")
            if p.stat().st_mtime >= started
        } - {"404.html"}
        docs = kept / "docs"
        changed = {
            p.relative_to(docs).as_posix()
            for p in docs.rglob("*.md")
            if p.stat().st_mtime >= started
        }
        pages = list(site.rglob("index.html"))
        assert rendered == {
            html_of(rel) for rel in changed
        }  # the pages whose docs the edit changed
        assert 0 < len(rendered) < len(pages), (len(rendered), len(pages))
    finally:
        second.stop()


def test_a_kept_preview_built_with_other_settings_is_not_used(tmp_path):
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project", ROOT)
    port = free_port()
    first = Preview(root, tmp_path / "first.log", port)
    assert first.stop() == 0
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_name: Briefings", "site_name: Other desk"),
        encoding="utf-8",
    )
    (tmp_path / "second").mkdir()
    second = Preview(root, tmp_path / "second" / "serve.log", port)
    try:
        assert "started from the pages the last preview kept" not in second.text()
        assert "Other desk" in second.page("")
    finally:
        second.stop()


def test_the_live_reload_adapter_knows_the_installed_mkdocs_server(tmp_path):
    """The one place that looks inside MkDocs' live-reload server, against a real one of the installed MkDocs."""
    from mkdocs.livereload import LiveReloadServer

    from generator.serve import live_reload_known, request_rebuild

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert live_reload_known(server)
        assert server._want_rebuild is False
        assert request_rebuild(server) is True
        assert server._want_rebuild is True
    finally:
        server.server_close()


@pytest.mark.parametrize("version", ["1.7.0", "2.0.0"])
def test_a_live_reload_server_of_another_mkdocs_is_left_alone_and_said_so(
    tmp_path, monkeypatch, caplog, version
):
    import mkdocs
    from mkdocs.livereload import LiveReloadServer

    from generator import serve

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    monkeypatch.setattr(mkdocs, "__version__", version)
    serve._warn_unknown.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="mkdocs.briefing"):
            assert serve.request_rebuild(server) is False
            assert serve.request_rebuild(server) is False
        assert server._want_rebuild is False
        assert [r.getMessage() for r in caplog.records] == [
            f"briefing: MkDocs {version}'s live-reload server is not one the preview knows (made for MkDocs "
            "1.6): the other pages that show an edit appear at the next save"
        ]
    finally:
        serve._warn_unknown.cache_clear()
        server.server_close()


@pytest.fixture
def live_server(tmp_path):
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        yield server
    finally:
        server.server_close()


def wait_until(condition, limit: float = LIMIT) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_save_is_told_by_the_system_without_waiting_for_mkdocs_polling(
    tmp_path, live_server, caplog, monkeypatch
):
    """MkDocs polls every 0.5 s; the system (inotify) tells of a save at once. The server's own observer is
    never started here, so the rebuild asked for can only come from the system's."""
    from generator.serve import Watch

    folder = tmp_path / "content"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    watch = Watch(live_server)
    with caplog.at_level("INFO", logger="mkdocs.briefing"):
        assert watch.start([folder]) is True
    try:
        assert watch.fast is not None and not live_server.observer.is_alive()
        assert [r.getMessage() for r in caplog.records] == [
            "briefing: watching content for saves as they happen"
        ]
        assert live_server._want_rebuild is False
        (folder / "a.yaml").write_text("title: A\n", encoding="utf-8")
        assert wait_until(lambda: live_server._want_rebuild)
    finally:
        watch.stop()


def test_a_file_is_one_rebuild_a_change_whichever_observer_tells_first(tmp_path, live_server):
    """Both observers tell of each save: the second finds the file as the first saw it. Reading a file (opened,
    closed unwritten) is no save."""
    from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent

    from generator.serve import Watch

    path = tmp_path / "a.yaml"
    path.write_text("title: A\n", encoding="utf-8")
    watch = Watch(live_server)
    asked = []
    live_server._rebuild_cond = _Counting(live_server._rebuild_cond, asked)

    watch.told(FileOpenedEvent(str(path)))
    watch.told(FileClosedNoWriteEvent(str(path)))
    assert asked == []
    watch.told(FileModifiedEvent(str(path)))  # the system's
    watch.told(FileModifiedEvent(str(path)))  # the polling's, later, of the same save
    assert len(asked) == 1
    path.write_text("title: A, again\n", encoding="utf-8")
    watch.told(FileModifiedEvent(str(path)))
    assert len(asked) == 2
    path.unlink()
    watch.told(FileModifiedEvent(str(path)))  # gone: a change too
    watch.told(FileModifiedEvent(str(path)))
    assert len(asked) == 3


class _Counting:
    """A condition that counts the rebuilds asked for under it."""

    def __init__(self, cond, asked: list):
        self.cond, self.asked = cond, asked

    def __enter__(self):
        self.asked.append(1)
        return self.cond.__enter__()

    def __exit__(self, *exc):
        return self.cond.__exit__(*exc)

    def notify_all(self):
        self.cond.notify_all()


def test_without_the_systems_notice_the_polling_watches_alone(
    tmp_path, live_server, caplog, monkeypatch
):
    """Where inotify cannot watch (its limit reached, a file system without it), MkDocs' polling does."""
    from watchdog.observers.inotify import InotifyObserver

    from generator.serve import Watch

    def refuse(*args, **kwargs):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(InotifyObserver, "schedule", refuse)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    watch = Watch(live_server)
    with caplog.at_level("INFO", logger="mkdocs.briefing"):
        assert watch.start([tmp_path / "content"]) is True
    assert watch.fast is None
    assert [e.watch.path for e in live_server.observer.emitters] == [str(tmp_path / "content")]
    assert [r.getMessage() for r in caplog.records] == [
        "briefing: watching content for saves every 0.5 s"
    ]


def test_an_unknown_live_reload_server_is_left_to_mkdocs_watch(tmp_path, live_server, monkeypatch):
    import mkdocs

    from generator import serve

    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    serve._warn_unknown.cache_clear()
    watch = serve.Watch(live_server)
    assert watch.start([tmp_path]) is False
    assert watch.fast is None and not live_server.observer.emitters
