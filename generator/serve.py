"""Live preview: MkDocs' development server on this machine, run in this process.

The MkDocs hook (mkdocs_hook.py) does the rest: it regenerates the docs before
every rebuild, watches content/, seeds/ and site_templates/, and while serving
keeps the last good docs when the content has errors, showing the errors in the
terminal and in a banner on every page.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import sys
import threading

from .errors import BriefingError, UsageError
from .project import Project

DEFAULT_ADDR = "127.0.0.1:8000"
"""Where the preview listens unless --dev-addr says otherwise."""


def parse_dev_addr(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) → (host, port); only addresses of this machine."""
    host, sep, port_text = text.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise UsageError(f"--dev-addr: '{text}' is not HOST:PORT, such as {DEFAULT_ADDR}")
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
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


def _log_to_terminal() -> logging.Handler:
    """MkDocs reports through logging; show INFO and above as its own command line does."""
    log = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
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
    previous = signal.signal(signal.SIGTERM, _stop) if main else None  # as Ctrl+C: MkDocs removes its temporary site
    try:
        mkdocs_serve(config_file=str(project.root / "mkdocs.yml"), dev_addr=address, livereload=True)
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
