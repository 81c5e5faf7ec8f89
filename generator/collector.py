"""Python's cycle collector paused while an archive is checked, generated or re-read for a preview's save.

Loading makes millions of objects that all live on, so every pass of the
collector finds nothing, and its passes grow with the heap: a fifth of
`briefing generate` at 1,000 briefings, and more than a preview's save itself.
Never around MkDocs' own build (``briefing build`` pauses it for the generation
alone; plain ``mkdocs build`` leaves it alone): MkDocs' garbage needs the collector.

A checked archive is one web of references (a record names its briefing, which
holds the record), so it is freed by the collector, not as its last name goes:
a pass over its 2.8 million objects, 1.1 s at 1,000 briefings. A command that
ends soon after (``briefing check``, ``generate``, a ``build`` whose MkDocs renders
a few pages) sets what the block made aside instead (``set_aside``, Python's
``gc.freeze``): no pass ever looks at it again and the process's end drops it
whole. A build that renders every page lets it go first (:func:`let_go`), so
that MkDocs does not run beside it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager


@contextmanager
def collector_paused(set_aside: bool = False) -> Iterator[None]:
    """The collector off for the block, and back on after it (when it was on before); with ``set_aside``,
    every object alive at its end, the block's garbage included, is out of the collector's sight from then
    on (until :func:`let_go`). Only for a process that ends soon after: a preview never sets aside."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if set_aside:
            gc.freeze()
        if enabled:
            gc.enable()


def set_aside() -> AbstractContextManager[None]:
    """:func:`collector_paused` with ``set_aside``: what ``briefing build`` pauses the collector with."""
    return collector_paused(set_aside=True)


def let_go() -> None:
    """What was set aside back in the collector's sight, and a full pass now: its garbage is freed before
    the memory is needed (a build about to render every page)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
