"""The Dask engine: the per-article work of `pipeline.analyze` on a dask.distributed cluster.

Texts go to the workers in batches (`extract.batch.analyze_batch`, the same unit of work as the local
engine), so each worker loads the spaCy pipeline once and sends back rows, never Docs. Only a few
batches per worker are in flight at a time, so memory stays flat in the corpus size. The cache
stays on the machine that calls `analyze`: workers only compute.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from .extract.batch import BATCH_SIZE, analyze_batch, batches

# Batches in flight per worker: enough to keep every worker busy while results travel back.
IN_FLIGHT_PER_WORKER = 2


@contextmanager
def dask_client(scheduler=None, n_workers: int = 2):
    """A dask.distributed Client: `scheduler` as given (Client or address), or a LocalCluster of
    `n_workers` single-threaded worker processes that is shut down on exit."""
    from distributed import Client, LocalCluster

    if scheduler is not None and hasattr(scheduler, "submit"):
        yield scheduler  # a Client the caller owns
        return
    if scheduler is not None:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=max(1, int(n_workers)), threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def dask_results(texts: list[str], scheduler=None, n_workers: int = 2,
                 batch_size: int = BATCH_SIZE) -> Iterator[tuple[int, dict]]:
    """(position, rows) for each text, computed on a Dask cluster in batches of `batch_size`."""
    from distributed import as_completed

    if not texts:
        return
    chunks = batches(list(texts), batch_size)
    size = max(1, int(batch_size))
    with dask_client(scheduler, n_workers) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or int(n_workers))
        limit = IN_FLIGHT_PER_WORKER * workers
        start_of = {}

        def submit(k):
            fut = client.submit(analyze_batch, chunks[k], batch_size, pure=False)
            start_of[fut.key] = k * size
            return fut

        nxt = min(limit, len(chunks))
        running = as_completed([submit(k) for k in range(nxt)])
        for fut in running:
            start = start_of.pop(fut.key)
            rows = fut.result()
            fut.release()
            if nxt < len(chunks):
                running.add(submit(nxt))
                nxt += 1
            for j, r in enumerate(rows):
                yield start + j, r
