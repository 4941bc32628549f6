"""The Dask engine: the per-article work of `pipeline.analyze` on a dask.distributed cluster.

Texts go to the workers in batches (`extract.batch.analyze_batch`, the same unit of work as the local
engine), so each worker loads the spaCy pipeline once. With a store folder, each worker writes its
batch's rows to the columnar store itself (`store.write_batch`; the folder must be one the workers and
the caller share) and sends back only the keys it stored, so the caller never holds every row in flight;
without one (cache=False) the rows come back. Only a few batches per worker are in flight at a time,
so memory stays flat in the corpus size.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

from . import store
from .gc_pause import paused
from .extract.batch import BATCH_SIZE, COLUMNS, analyze_batch, batches

# Batches in flight per worker: enough to keep every worker busy while results travel back.
IN_FLIGHT_PER_WORKER = 2


class StoredBatch(NamedTuple):
    """A worker's answer for one batch: the keys it wrote to the store, and the rows (by position in
    the batch) of the articles it could not store, which travel back instead."""
    stored: list
    unstored: dict


def analyze_and_store(texts: list[str], keys: list[str], parts: list, folder: str,
                      batch_size: int = BATCH_SIZE) -> StoredBatch:
    """Parse a batch, write its rows to the store under `folder`, return what was stored: the unit of
    work of the store-writing engines (worker processes and Dask workers)."""
    with paused():
        rows = analyze_batch(texts, batch_size)
    kept = set(store.write_batch(Path(folder), COLUMNS, keys, parts, rows).stored)
    return StoredBatch(sorted(kept), {j: r for j, (k, r) in enumerate(zip(keys, rows)) if k not in kept})


def analyze_rows(texts: list[str], batch_size: int = BATCH_SIZE) -> list[dict]:
    """`analyze_batch` with the garbage collector paused (`gc_pause`): the unit of work of the
    engines that send rows back (worker processes and Dask workers without a store)."""
    with paused():
        return analyze_batch(texts, batch_size)


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


def dask_map(fn, jobs: list[tuple], scheduler=None, n_workers: int = 2) -> Iterator[tuple[int, object]]:
    """(job number, fn(*job)) for each job, in the order they finish, at most IN_FLIGHT_PER_WORKER
    jobs per worker submitted at a time."""
    from distributed import as_completed

    if not jobs:
        return
    with dask_client(scheduler, n_workers) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or int(n_workers))
        limit = IN_FLIGHT_PER_WORKER * workers
        number_of = {}

        def submit(k):
            fut = client.submit(fn, *jobs[k], pure=False)
            number_of[fut.key] = k
            return fut

        nxt = min(limit, len(jobs))
        running = as_completed([submit(k) for k in range(nxt)])
        for fut in running:
            k = number_of.pop(fut.key)
            result = fut.result()
            fut.release()
            if nxt < len(jobs):
                running.add(submit(nxt))
                nxt += 1
            yield k, result


def dask_results(texts: list[str], scheduler=None, n_workers: int = 2,
                 batch_size: int = BATCH_SIZE) -> Iterator[tuple[int, dict]]:
    """(position, rows) for each text, computed on a Dask cluster in batches of `batch_size`."""
    chunks = batches(list(texts), batch_size)
    size = max(1, int(batch_size))
    for k, rows in dask_map(analyze_rows, [(c, batch_size) for c in chunks], scheduler, n_workers):
        for j, r in enumerate(rows):
            yield k * size + j, r


def dask_store(texts: list[str], keys: list[str], parts: list, folder: Path, scheduler=None,
               n_workers: int = 2, batch_size: int = BATCH_SIZE) -> Iterator[tuple[int, StoredBatch]]:
    """(position of the batch's first text, StoredBatch) for each batch, the workers writing the rows
    to the store under `folder`."""
    size = max(1, int(batch_size))
    jobs = [(t, k, p, str(folder), batch_size) for t, k, p in
            zip(batches(list(texts), size), batches(list(keys), size), batches(list(parts), size))]
    for k, answer in dask_map(analyze_and_store, jobs, scheduler, n_workers):
        yield k * size, answer
