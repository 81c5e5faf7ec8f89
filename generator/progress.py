"""What a long command is doing, and where its time went: stage lines while it works, one summary line at the end.

A build of 1,000 briefings takes about a minute, most of it inside MkDocs, so
a person at a terminal or reading a CI log needs a sign of life and, at the
end, the time of each stage. Fast runs (the seed site) stay as quiet as they
were: nothing is shown before ``QUIET_FOR`` seconds have passed, and the
summary is one line.

At a terminal the current stage is one line, redrawn in place; in a log (no
terminal, or ``CI`` set) each stage is a plain line when it starts, and a
line with the count so far follows at least every ``HEARTBEAT`` seconds while
work goes on. A thread beside the work does the showing, so a stage that
reports nothing for a while (a long MkDocs step, the scan) still shows its
elapsed time. Everything goes to stderr; stdout keeps the command's ``ok:``
line. The figures (stages with their seconds, pages, quotes, warnings) are
also written as JSON (``--timings-json``), which the benchmark reads.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

QUIET_FOR = 2.0
"""Seconds from the start before any progress is shown: a run shorter than this prints nothing extra."""
HEARTBEAT = 5.0
"""In a log, the longest gap between two progress lines while work goes on (CI systems flag 10 s of silence
as a hang far later, but a person reading the log should see the count move)."""
LARGE = 50
"""Content files from which a run is shown from its first stage: it will take longer than ``QUIET_FOR``
whatever the machine (a build of 50 briefings takes about 4 s), and a person should see it start."""
REDRAW = 0.2
"""How often the terminal line is redrawn, and how often the thread looks at the clock."""

QUIET, NORMAL, VERBOSE = 0, 1, 2
"""How much is shown: ``-q`` nothing, default stage lines after ``QUIET_FOR``, ``-v`` every stage at once
with its time when it ends."""


class Progress:
    """The stages of one command run, timed; shown on ``stream`` as they happen (see the module's docstring).

    Stages follow each other: starting one ends the one before, so their times add up to the run.
    Use as a context manager: the thread that shows progress runs inside it.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        level: int = QUIET,
        terminal: bool | None = None,
        summary: bool = True,
        clock=time.monotonic,
    ) -> None:
        self.stream = stream
        self.level = level if stream is not None else QUIET
        self.summary_line = summary
        """Whether :meth:`finish` shows the summary (``briefing check``'s ``ok:`` line is its own)."""
        self.terminal = _is_terminal(stream) if terminal is None else terminal
        self.clock = clock
        self.started = clock()
        self.stages: dict[str, float] = {}
        """Seconds of each finished stage, in the order they ran."""
        self.figures: dict[str, int] = {}
        """What the stages counted: pages, written, removed, quotes_verified, warnings, …"""
        self.current: str | None = None
        self.detail = ""
        self.stage_started = self.started
        self.done = 0
        self.total: int | None = None
        self.unit = ""
        self.large = False
        """Set by :meth:`files`: stages are shown from the start, without waiting for ``QUIET_FOR``."""
        self.shown_stage: str | None = None
        """The last stage whose start line has been shown (once it is time to show them)."""
        self.last_shown = self.started
        self.line_open = False
        """A terminal line is drawn and not yet ended."""
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    @classmethod
    def for_command(
        cls, quiet: bool = False, verbose: bool = False, summary: bool = True
    ) -> Progress:
        """Progress on stderr at the level the command's -q / -v ask for."""
        return cls(sys.stderr, QUIET if quiet else VERBOSE if verbose else NORMAL, summary=summary)

    # --- what the work reports ---------------------------------------------------------------------------

    def stage(self, name: str, detail: str = "", total: int | None = None, unit: str = "") -> None:
        """A stage begins (and the one before ends): ``detail`` says what it works on, ``total`` how many
        ``unit`` it will count with :meth:`advance`. The stage already under way, named again, goes on with
        the new detail and count (MkDocs' stage, once MkDocs has listed its pages)."""
        with self.lock:
            now = self.clock()
            if name == self.current:
                self.detail, self.done, self.total, self.unit = (
                    detail or self.detail,
                    0,
                    total,
                    unit,
                )
                return
            self._end_stage(now)
            self.current, self.detail, self.stage_started = name, detail, now
            self.done, self.total, self.unit = 0, total, unit
            if self._showing(now):
                self._show_stage(now)

    def advance(self, n: int = 1, unit: str | None = None) -> None:
        """``n`` more of the current stage's units are done; a new ``unit`` starts the count again (MkDocs
        converts every page, then writes every page)."""
        if unit is not None and unit != self.unit:
            self.done, self.unit = 0, unit
        self.done += n

    def files(self, n: int) -> None:
        """The run reads ``n`` content files: from ``LARGE`` on, its stages are shown at once."""
        if n >= LARGE and not self.large:
            with self.lock:
                self.large = True
                if self.current not in (None, self.shown_stage) and self._showing(self.clock()):
                    self._show_stage(self.clock())

    def count(self, **figures: int) -> None:
        """Figures for the summary and the JSON (``pages=…``, ``quotes_verified=…``)."""
        self.figures.update(figures)

    def finish(self) -> None:
        """The last stage ends; the summary line is shown (unless -q)."""
        with self.lock:
            now = self.clock()
            self._end_stage(now)
            self.current = None
            self._close_line()
            if self.level > QUIET and self.summary_line:
                self._write(self.summary() + "\n")

    # --- what is shown -----------------------------------------------------------------------------------

    def summary(self) -> str:
        """One line: how long, what came out, and the seconds of each stage."""
        f = self.figures
        parts = []
        if "pages" in f:
            parts.append(
                f"{f['pages']} pages ({f.get('written', 0)} written, {f.get('removed', 0)} removed)"
            )
        if "quotes_verified" in f:
            n = f["quotes_verified"]
            parts.append(f"{n} quote{'s' if n != 1 else ''} verified")
        if "warnings" in f:
            parts.append(f"{f['warnings']} warning{'s' if f['warnings'] != 1 else ''}")
        if f.get("drafts_left_out"):
            n = f["drafts_left_out"]
            parts.append(f"{n} draft{'s' if n != 1 else ''} left out (not published)")
        if f.get("unchanged"):
            parts.append("content unchanged, not checked again")
        stages = ", ".join(f"{name} {_seconds(s)}" for name, s in self.stages.items())
        return f"done in {_seconds(self.elapsed())}: " + "; ".join(
            filter(None, [", ".join(parts), stages])
        )

    def as_json(self) -> dict:
        """The figures for a benchmark: seconds in total and by stage, and what was counted."""
        return {
            "seconds": round(self.elapsed(), 3),
            "stages": {name: round(s, 3) for name, s in self.stages.items()},
            **self.figures,
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")

    def elapsed(self) -> float:
        return self.clock() - self.started

    def state(self) -> str:
        """The current stage as shown: ``mkdocs: 800/2850 pages converted``, or its detail and no count yet."""
        if self.total is not None or self.done:
            of = f"/{self.total}" if self.total is not None else ""
            return f"{self.current}: {self.done}{of} {self.unit}".rstrip()
        return f"{self.current}: {self.detail}" if self.detail else f"{self.current}"

    def tick(self) -> None:
        """Called by the thread: show the stage once ``QUIET_FOR`` has passed, then keep the count moving."""
        with self.lock:
            now = self.clock()
            if self.current is None or not self._showing(now):
                return
            if self.shown_stage != self.current:
                self._show_stage(now)
            elif self.terminal:
                self._draw(now, self.state())
            elif now - self.last_shown >= HEARTBEAT:
                self._line(now, self.state())

    def _showing(self, now: float) -> bool:
        return self.level == VERBOSE or (
            self.level == NORMAL and (self.large or now - self.started >= QUIET_FOR)
        )

    def _show_stage(self, now: float) -> None:
        self.shown_stage = self.current
        text = f"{self.current}: {self.detail}" if self.detail else self.state()
        if self.terminal:
            self._draw(now, text)
        else:
            self._line(now, text)

    def _end_stage(self, now: float) -> None:
        if self.current is None:
            return
        seconds = now - self.stage_started
        self.stages[self.current] = self.stages.get(self.current, 0.0) + seconds
        if self.level == VERBOSE:
            counted = f" ({self.done} {self.unit})" if self.unit else ""
            self._close_line()
            self._line(now, f"{self.current}: done in {_seconds(seconds)}{counted}")

    def _line(self, now: float, text: str) -> None:
        self._close_line()
        self._write(f"[{_clock(now - self.started)}] {text}\n")
        self.last_shown = now

    def _draw(self, now: float, text: str) -> None:
        self._write(f"\r\x1b[K[{_clock(now - self.started)}] {text}")
        self.line_open, self.last_shown = True, now

    def _close_line(self) -> None:
        if self.line_open:
            self._write("\r\x1b[K")
            self.line_open = False

    def _write(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (
            OSError,
            ValueError,
        ):
            # a closed pipe or stream: progress is not worth failing the build for
            self.stream = None

    # --- the thread that shows it ------------------------------------------------------------------------

    def start(self) -> Progress:
        """Start the thread that shows progress (none at level QUIET)."""
        if self.level > QUIET and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="briefing-progress", daemon=True)
            self.thread.start()
        return self

    def stop(self) -> None:
        """Stop showing progress; an open terminal line is cleared."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()
        with self.lock:
            self._close_line()

    def __enter__(self) -> Progress:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run(self) -> None:
        while not self.stopping.wait(REDRAW):
            self.tick()


def _is_terminal(stream: TextIO | None) -> bool:
    """A terminal gets one line redrawn in place; a log (no terminal, or CI set) gets plain lines."""
    if stream is None or os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _seconds(s: float) -> str:
    return f"{s:.1f} s"


def _clock(s: float) -> str:
    """Elapsed time at the start of a progress line: ``   12.3 s`` (padded, so the lines align in a log)."""
    return f"{s:6.1f} s"
