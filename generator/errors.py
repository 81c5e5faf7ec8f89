"""Diagnostics and the small exception family that the CLI turns into exit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNSHOWABLE = re.compile(
    r"[\x00-\x1f\x7f-\xa0\xad\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff]"
)
"""Characters that would break a message's line or drive the terminal (colours, reversed text), and
the invisible ones and odd spaces, so that an id such as 'ali\u200bce' shows what is wrong with it."""


def shown(text: str) -> str:
    """``text`` with every control character written as an escape such as ``\\x1b`` or ``\\u202e``."""
    return _UNSHOWABLE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text
    )


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the content, reported as ``path:line:col: field: message``."""

    path: str
    """File path relative to the project root, with forward slashes."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    col: int
    """1-based column; 0 when the problem concerns the whole file."""
    field: str
    """Dotted field path such as ``claims[2].quotes[0].exact``; empty for file-level problems."""
    message: str
    """What is wrong and, where possible, what to do."""
    severity: str = "error"
    """``error`` (the run fails) or ``warning`` (reported; the run goes on, exit 0)."""

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        if self.severity != "error":
            where += f": {self.severity}"
        return shown(
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def github_annotation(self) -> str:
        """The problem as a GitHub Actions workflow command, shown inline on a pull request."""
        props = [f"file={_escape_property(self.path)}"]
        if self.line:
            props += [f"line={self.line}", f"col={self.col}"]
        props.append("title=briefing check")
        message = f"{self.field}: {self.message}" if self.field else self.message
        # line breaks escaped, then the rest
        return shown(f"::{self.severity} {','.join(props)}::{_escape_data(message)}")


def _escape_data(text: str) -> str:
    """Workflow-command message escaping: % first, then line breaks."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Property values escape ':' and ',' too, which separate properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class BriefingError(Exception):
    """Base of the errors that end a command cleanly."""

    exit_code = 1


class ContentError(BriefingError):
    """The content has problems; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic], warnings: list[Diagnostic] | tuple = ()):
        # as order=True, faster
        self.diagnostics = sorted(
            set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.field, d.message)
        )
        self.warnings = sorted(set(warnings))
        """Warnings found in the same run, printed with the errors."""
        super().__init__(f"{len(self.diagnostics)} error(s)")


class UsageError(BriefingError):
    """The command was called wrongly or the project cannot be found."""

    exit_code = 2


class BuildError(BriefingError):
    """A later stage (writing, MkDocs) failed; the previous output is left in place."""


class Collector:
    """Gathers diagnostics so that every error of every file is reported in one run."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        """Problems worth an editor's attention that do not fail the run."""

    def add(self, path: str, line: int, col: int, field: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, line, col, field, message))

    def at(self, node, field: str, message: str) -> None:
        """Report a problem at a loaded node (anything with ``path``, ``line`` and ``col``)."""
        self.add(node.path, node.line, node.col, field, message)

    def warn(self, node, field: str, message: str) -> None:
        """A warning at a loaded node: printed as ``path:line:col: warning: field: message``; exit 0."""
        self.warnings.append(Diagnostic(node.path, node.line, node.col, field, message, "warning"))

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    def raise_if_any(self) -> None:
        if self.diagnostics:
            raise ContentError(self.diagnostics, self.warnings)
