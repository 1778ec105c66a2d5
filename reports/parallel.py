"""A round's council PDFs drawn in several processes (``prebuilt.build_round``).

WeasyPrint is pure Python and holds the GIL: threads would not help, processes do. The
children are forked (they inherit the loaded settings, apps and fonts) after every
database connection is closed, so that each opens its own; each draws a chunk of
councils and stores its files (``BuiltReport``'s unique constraints settle a race with
any other builder) and answers with their ids. The parent then assembles the ZIP.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed

from django.db import connections

from .models import BuiltReport

# Small enough for the progress bar and the job's heartbeat to move often and for the
# processes to finish together; large enough that a chunk is seconds of work.
MAX_CHUNK = 8


def _chunks(items: list, processes: int) -> list[list]:
    size = max(1, min(MAX_CHUNK, len(items) // (processes * 4) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _start_child() -> None:
    from . import rendering

    rendering.warm_up()


def _build_chunk(round, councils: list, at) -> list[int]:
    # The round and councils come from the parent (pickled), which had them from the
    # gate: a child decides nothing about what is public, council_pdf asks the gate.
    from . import prebuilt

    try:
        built = [prebuilt.council_pdf(council, round, at) for council in councils]
        return [b.pk for b in built if b is not None]
    finally:
        # A child's connection would otherwise be dropped, not closed, when it exits.
        connections.close_all()


class _Done:
    """The councils as their chunks finish, with a length (for tqdm's bar)."""

    def __init__(self, futures: list[Future], total: int):
        self.futures, self.total = futures, total

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[int]:
        for future in as_completed(self.futures):
            yield from future.result()


def council_pdfs(
    round,
    councils: list,
    at,
    processes: int,
    progress: Callable[[Iterable], Iterable] | None = None,
    heartbeat: Callable[[], None] | None = None,
) -> list[BuiltReport]:
    """Build (or find) the councils' PDFs in ``processes`` forked processes."""
    chunks = _chunks(list(councils), processes)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=min(processes, len(chunks)), mp_context=context, initializer=_start_child
    ) as pool:
        futures = [pool.submit(_build_chunk, round, chunk, at) for chunk in chunks]
        try:
            for _ in (progress or iter)(_Done(futures, len(councils))):
                if heartbeat is not None:
                    heartbeat()
        except BaseException:
            # A failed chunk fails the build: the rest are not worth drawing now.
            for future in futures:
                future.cancel()
            raise
    ids = [pk for future in futures for pk in future.result()]
    return list(BuiltReport.objects.filter(pk__in=ids).select_related("council"))
