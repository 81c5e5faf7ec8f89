"""Python's cycle collector paused while an archive is checked, generated or re-read for a preview's save.

Loading makes millions of objects that all live on, so every pass of the
collector finds nothing, and its passes grow with the heap: a fifth of
`briefing generate` at 1,000 briefings, and more than a preview's save itself.
Never around MkDocs' own build (``briefing build`` pauses it for the generation
alone; plain ``mkdocs build`` leaves it alone): MkDocs' garbage needs the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, and back on after it (when it was on before)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
