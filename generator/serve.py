"""Live preview: MkDocs' development server on this machine, run in this process.

The ``briefings`` plugin (plugin.py) does the rest: it regenerates the docs
before every rebuild, watches the content folder, seeds/ and the project's own
templates (:class:`Watch`: a save starts its build as the file changes, where
the system tells of it), and while serving keeps the last good docs when the content has
errors, showing the errors in the terminal and in a banner on every page. It
also puts ``guard_preview`` in front of the server, for ``briefing serve`` and
``mkdocs serve`` alike.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import BriefingError, UsageError, shown
from generator.output.write import saved_state
from generator.project import Project

DEFAULT_ADDR = "127.0.0.1:8000"
"""Where the preview listens unless --dev-addr says otherwise."""
POLL_WAIT = 10.0
"""Longest a live-reload poll is held unanswered (seconds; MkDocs holds it 60 s). An open tab asks
again at once, and a rebuild answers every held poll, so a saved file shows as soon as before."""
MAX_WAITING_POLLS = 16
"""Live-reload polls held at once; each holds a thread. Beyond them a poll is answered 503 at once,
and the tab's script asks again 3 s later (only visible tabs poll, so a person has far fewer)."""

log = logging.getLogger("mkdocs.briefing")


def parse_dev_addr(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) → (host, port); only addresses of this machine."""
    host, sep, port_text = text.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise UsageError(f"--dev-addr: '{text}' is not HOST:PORT, such as {DEFAULT_ADDR}")
    if not _is_loopback(host):
        raise UsageError(
            f"--dev-addr: '{host}' is not a loopback address; the preview is for this machine only "
            f"(127.0.0.1, ::1 or localhost)"
        )
    return host, int(port_text)


def _free(host: str, port: int) -> None:
    """Fail before the first build when the address is taken, not after it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            s.bind((host, port))
        except OSError as exc:
            raise BriefingError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                f"is another preview running? Pass --dev-addr {host}:{port + 1 if port < 65535 else 8000} to use another port"
            ) from None


DIRTY_WARNING = "A 'dirty' build is being performed"
"""The start of MkDocs' warning at every dirty build; the preview says once what it leaves stale instead."""


def _log_to_terminal() -> logging.Handler:
    """MkDocs reports through logging; show INFO and above as its own command line does."""
    log = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    handler.addFilter(lambda record: not str(record.msg).startswith(DIRTY_WARNING))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return handler


def serve(project: Project, dev_addr: str = DEFAULT_ADDR) -> None:
    """Serve a live preview until interrupted (Ctrl+C)."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    host, port = parse_dev_addr(dev_addr)
    _free(host, port)
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    handler = _log_to_terminal()
    main = threading.current_thread() is threading.main_thread()
    # as Ctrl+C: MkDocs removes its temporary site
    previous = signal.signal(signal.SIGTERM, _stop) if main else None
    # The preview's docs (drafts included, its own address in the feeds and JSON-LD) live apart from the build's,
    # so that neither rewrites the other's: each keeps what it rendered from them (preview.py, incremental.py).
    docs = project.preview_dir / "docs"
    try:
        docs.mkdir(parents=True, exist_ok=True)
        # dirty: MkDocs renders only the pages whose docs file is newer than its HTML (see preview.py)
        mkdocs_serve(
            config_file=str(project.root / "mkdocs.yml"),
            dev_addr=address,
            livereload=True,
            build_type="dirty",
            docs_dir=str(docs),
        )
    except MkDocsException as exc:
        raise BriefingError(f"the preview stopped: {exc}") from None
    except OSError as exc:
        raise BriefingError(f"the preview stopped: {exc.strerror or exc}") from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        logging.getLogger("mkdocs").removeHandler(handler)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


LIVE_RELOAD_TESTED = ("1.6",)
"""The MkDocs versions whose live-reload server's inner workings :func:`request_rebuild`, :func:`guard_preview`
and :class:`Watch` use (``_rebuild_cond``, ``_want_rebuild``, ``poll_response_timeout``, ``observer``); held by
``tests/test_serve.py`` against a real server of the installed MkDocs."""


def live_reload_known(server) -> bool:
    """Whether ``server`` is the live-reload server of a MkDocs version this module was made for, with the
    parts of it the preview uses. The one place that looks inside MkDocs' server."""
    from mkdocs import __version__

    return (
        __version__.startswith(LIVE_RELOAD_TESTED)
        and hasattr(server, "_rebuild_cond")
        and hasattr(server, "_want_rebuild")
        and hasattr(server, "poll_response_timeout")
        and hasattr(server, "observer")
    )


def request_rebuild(server) -> bool:
    """Ask MkDocs' live-reload server for one more build, as a watched file's change does (its own wait for
    changes, ``_want_rebuild`` under ``_rebuild_cond``, in MkDocs 1.6). False, and a warning, on a server
    this module does not know: the pages then show at the next save."""
    if server is None:
        return False
    if not live_reload_known(server):
        _warn_unknown()
        return False
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()
    return True


@functools.cache
def _warn_unknown() -> None:
    from mkdocs import __version__

    log.warning(
        f"briefing: MkDocs {__version__}'s live-reload server is not one the preview knows "
        f"(made for MkDocs {', '.join(LIVE_RELOAD_TESTED)}): the other pages that show an edit appear at "
        "the next save"
    )


CHANGES = frozenset({"created", "modified", "deleted", "moved"})
"""The kinds of file-system event that are a save (not a file opened, read or closed unwritten)."""


class Watch:
    """The folders an editor saves into (the content folder, ``seeds/``, the project's templates), watched
    twice: by MkDocs' own polling (every 0.5 s, which sees a change on any file system, a shared or network
    folder too), and where the system tells of changes as they happen (inotify on Linux), by that too, so a
    save starts its build at once instead of at the next poll. Both hand their events here; a file is one
    rebuild per change, whichever tells of it first: the other finds the file as it was already seen."""

    def __init__(self, server) -> None:
        self.server = server
        self.seen: dict[str, tuple | None] = {}
        """Each file told of → what it was then (``saved_state``), or None when it was gone."""
        self.lock = threading.Lock()
        self.fast: Any = None
        """The system's observer, when it started (watchdog's inotify one)."""

    def start(self, folders) -> bool:
        """Watch ``folders``; False, having done nothing, when the server is not one this module knows (the
        caller has MkDocs watch them as it would)."""
        if not live_reload_known(self.server):
            return False
        from watchdog.events import FileSystemEventHandler

        handler = FileSystemEventHandler()
        handler.on_any_event = self.told  # type: ignore[method-assign]
        folders = [str(f) for f in folders]
        for folder in folders:
            self.server.observer.schedule(handler, folder, recursive=True)
        self.fast = _fast_observer(handler, folders)
        log.info(
            f"briefing: watching {', '.join(_shown_path(f) for f in folders)} for saves "
            + ("as they happen" if self.fast is not None else "every 0.5 s")
        )
        return True

    def told(self, event) -> None:
        """An event of either observer: one more build when it is a save of a file not seen so far."""
        if event.is_directory or event.event_type not in CHANGES:
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        new = False
        with self.lock:
            for path in filter(None, paths):
                now = saved_state(Path(path))
                if self.seen.get(path, ()) != now:
                    self.seen[path] = now
                    new = True
        if new:
            request_rebuild(self.server)

    def stop(self) -> None:
        fast, self.fast = self.fast, None
        if fast is not None:
            fast.stop()


def _shown_path(folder: str) -> str:
    """``folder`` as the terminal shows it: relative to the working folder when under it."""
    try:
        relative = os.path.relpath(folder)
    except ValueError:  # another drive
        return folder
    return folder if relative.startswith("..") else relative


def _fast_observer(handler, folders: list[str]):
    """An observer the system tells of changes as they happen, started on ``folders``; None where there is
    none (not Linux) or it cannot watch them (too many watches, a file system without inotify)."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # pragma: no cover - not Linux
        return None
    observer = InotifyObserver()
    try:
        for folder in folders:
            observer.schedule(handler, folder, recursive=True)
        observer.start()
    except OSError:
        observer.stop()
        return None
    return observer


def guard_preview(server):
    """Put ``PreviewGuard`` in front of MkDocs' live-reload server; return the server (for ``on_serve``)."""
    if live_reload_known(server):
        server.poll_response_timeout = POLL_WAIT  # read by MkDocs at each poll
    host = server.server_address[0]
    server.set_app(PreviewGuard(server.get_app(), check_host=_is_loopback(host)))
    return server


class PreviewGuard:
    """The preview server's front door (a WSGI app around MkDocs' own).

    * On a loopback address it answers only requests for ``localhost`` or a
      loopback address, with 403 otherwise: a web page whose name an attacker
      points at 127.0.0.1 (DNS rebinding) could otherwise read unpublished drafts
      from the editor's own browser. A plain ``mkdocs serve -a`` on a network
      address is left open to its network, as its user chose.
    * It holds at most ``MAX_WAITING_POLLS`` live-reload polls, so that polls
      opened and dropped by the hundred do not hold a thread each.
    """

    def __init__(self, app, check_host: bool = True, max_polls: int = MAX_WAITING_POLLS):
        self.app = app
        self.check_host = check_host
        self.polls = threading.BoundedSemaphore(max_polls)

    def __call__(self, environ, start_response):
        if self.check_host and not _local_host(environ.get("HTTP_HOST", "")):
            _refused_host(environ.get("HTTP_HOST", "")[:100])
            return _answer(
                start_response,
                "403 Forbidden",
                b"This preview answers only to localhost and loopback addresses (127.0.0.1, [::1]).\n",
            )
        path = environ.get("PATH_INFO", "")
        if "\x00" in path:  # MkDocs would open() it and answer 500 with a traceback in the terminal
            return _answer(start_response, "400 Bad Request", b"A path cannot hold a NUL byte.\n")
        if not path.startswith("/livereload/"):
            return self.app(environ, start_response)
        if not self.polls.acquire(blocking=False):
            return _answer(
                start_response,
                "503 Service Unavailable",
                b"Too many live-reload polls; ask again.\n",
            )
        try:
            # MkDocs holds the poll in this call, then answers
            return self.app(environ, start_response)
        finally:
            self.polls.release()


def _answer(start_response, status: str, body: bytes) -> list[bytes]:
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _local_host(header: str) -> bool:
    """Whether a Host header names this machine: ``localhost`` or a loopback address, with any port."""
    try:
        parts = urlsplit("//" + header)
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:  # e.g. an unclosed "[::1", or "localhost:x"
        return False
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc or parts.hostname is None:
        return False
    # lower-cased by urlsplit; brackets of an IPv6 address removed
    return _is_loopback(parts.hostname)


def _is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=32)  # once per host name, not once per request
def _refused_host(header: str) -> None:
    log.warning(
        f"refused requests for host '{shown(header)}': "
        "the preview answers only to localhost and loopback addresses"
    )
