"""When and how work is shared out to forked worker processes.

Workers are forked, never spawned: they start with the parent's memory (the
loaded archive, the compiled templates) and only their results travel back.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import threading

MAX_WORKERS = 4


def workers(items: int, minimum: int) -> int:
    """How many worker processes to use for ``items`` pieces of work; 0 when it is better done here.

    Not on one core, not below ``minimum`` items (starting a worker costs more
    than it saves), not where fork is missing, and never in a process that runs
    threads (``mkdocs serve``): a forked copy of a threaded process can deadlock.
    """
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    if cores < 2 or items < minimum or "fork" not in mp.get_all_start_methods() or threading.active_count() > 1:
        return 0
    return cores


def pool(n: int):
    return mp.get_context("fork").Pool(n)


class Started:
    """``fn()`` running beside this process: in a forked child when ``parallel``, else at once here.

    A bare fork and a pipe, no pool: a pool keeps threads in this process, and
    a process with threads must not fork the page workers afterwards.
    """

    def __init__(self, fn, parallel: bool):
        self._pid = None
        if not parallel:
            self._value = fn()
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send the outcome, leave without any of the parent's exit work
            code = 0
            try:
                os.close(read)
                try:
                    outcome = (True, fn())
                except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
                    outcome = (False, exc)
                try:
                    data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                    data = pickle.dumps((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._pipe = pid, os.fdopen(read, "rb")

    def get(self):
        """The result of ``fn()``, waiting for it; its exception is raised here."""
        if self._pid is None:
            return self._value
        data = self._pipe.read()
        self.close()
        if not data:
            raise RuntimeError("a worker process ended without a result")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop the child, finished or not (after ``get``, or when the caller failed meanwhile)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        self._pipe.close()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


def beside(ours, theirs):
    """``(ours(), theirs())``, with ``theirs`` run in a forked child meanwhile; its exception is raised here."""
    started = Started(theirs, True)
    try:
        mine = ours()
        return mine, started.get()
    finally:
        started.close()
