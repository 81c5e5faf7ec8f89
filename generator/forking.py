"""When and how work is shared out to forked worker processes.

Workers are forked, never spawned: they start with the parent's memory (the
loaded archive, the compiled templates) and only their results travel back.
"""

from __future__ import annotations

import multiprocessing as mp
import os
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
