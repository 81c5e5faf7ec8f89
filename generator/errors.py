"""Diagnostics and the small exception family that the CLI turns into exit codes."""

from __future__ import annotations

from dataclasses import dataclass


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

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class BriefingError(Exception):
    """Base of the errors that end a command cleanly."""

    exit_code = 1


class ContentError(BriefingError):
    """The content has problems; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
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

    def add(self, path: str, line: int, col: int, field: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, line, col, field, message))

    def at(self, node, field: str, message: str) -> None:
        """Report a problem at a loaded node (anything with ``path``, ``line`` and ``col``)."""
        self.add(node.path, node.line, node.col, field, message)

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    def raise_if_any(self) -> None:
        if self.diagnostics:
            raise ContentError(self.diagnostics)
