"""`vigil batch`: the stages of `vigil ingest` over partitions of articles on a Dask cluster.

The run, in three steps:

1. The driver reads the inputs (``ingest.read_inputs``), drops articles seen earlier in the run
   (same text hash) and cuts the stream into partitions of ``chunk_size`` articles, numbered in
   input order. A partition whose done-marker holds the same article digest is skipped.
2. Each remaining partition is a Dask task (``retries=2``): the worker takes its Resources from a
   per-worker cache (``ResourcesPlugin``, loaded on first use in that worker process), codes the
   articles with ``pipeline.code_articles`` and writes articles, mentions and last the marker under
   ``DIR/partitions`` (see ``batch_io``), each atomically. A partition that still fails after its
   retries is reported by number and first article, never dropped: it has no marker, so the next
   run codes it again. A worker that dies (killed, out of memory) loses nothing either: the
   scheduler gives its partitions to another worker.
3. One step reads the partitions back in input order and stores them (``Store.add_article``,
   which skips articles already stored), so the database is the one `vigil ingest` would build.

Workers need to see ``DIR`` (one machine, or a shared file system on a cluster).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distributed.diagnostics.plugin import WorkerPlugin

from vigil.batch_io import (
    Layout,
    articles_table,
    ids_digest,
    mentions_table,
    read_partition,
    write_json_atomic,
    write_table_atomic,
)
from vigil.errors import InputError, VigilError
from vigil.settings import Settings
from vigil.types import Article, Mention

if TYPE_CHECKING:
    from distributed import Client

    from vigil.pipeline import Resources

log = logging.getLogger(__name__)

PLUGIN_NAME = "vigil-resources"


class BatchError(VigilError, RuntimeError):
    """A batch run that could not start or finish (no cluster, unreadable output folder)."""


# -- on the worker --------------------------------------------------------------------------------


class ResourcesPlugin(WorkerPlugin):
    """Holds each worker's Resources, loaded by the first task that needs them and kept for the
    worker's life: loading the model and gazetteer costs seconds, a partition should not pay it."""

    idempotent = True  # registering again (a second run on the same cluster) keeps the loaded copy
    name = PLUGIN_NAME

    def __init__(self) -> None:
        self._cache: dict[Settings, Resources] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {}  # ship an empty cache: resources are loaded where they are used

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def get(self, settings: Settings) -> Resources:
        """The Resources for ``settings``, loaded once in this process."""
        from vigil.pipeline import Resources

        with self._lock:
            if settings not in self._cache:
                self._cache[settings] = Resources.load(settings)
            return self._cache[settings]


def _worker_resources(settings: Settings) -> Resources:
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ResourcesPlugin):
        raise BatchError(f"the {PLUGIN_NAME} worker plugin is not registered on this worker")
    return plugin.get(settings)


def _load_on_worker(settings: Settings) -> int:
    _worker_resources(settings)
    return os.getpid()


def warm_up(client: Client, settings: Settings) -> list[int]:
    """Load the resources on every worker now (a task pinned to each), rather than in the first
    partition each one codes; returns the workers' process ids. For timing runs and services."""
    client.register_plugin(ResourcesPlugin(), name=PLUGIN_NAME)
    futures = [
        client.submit(_load_on_worker, settings, workers=[addr], pure=False, allow_other_workers=False)
        for addr in client.scheduler_info(n_workers=-1)["workers"]
    ]
    return [int(pid) for pid in client.gather(futures)]


def _count_attempt(path: Path) -> int:
    # One byte per attempt, appended: survives the worker process that made it.
    with path.open("ab") as fh:
        fh.write(b".")
    return path.stat().st_size


def _code_isolated(
    articles: list[Article], res: Resources, batch_size: int
) -> tuple[list[tuple[Article, list[Mention]]], list[tuple[str, str]]]:
    """The articles coded in batches; when one of them breaks the extractor, the others are
    coded one by one and the broken one is returned as (origin, problem) instead of failing the
    whole partition three times over."""
    from vigil.pipeline import code_articles

    try:
        return list(code_articles(articles, res, batch_size=batch_size)), []
    except Exception:  # any bug in one article's coding: isolated below
        log.warning("an article broke its batch; coding the partition one article at a time", exc_info=True)
    coded: list[tuple[Article, list[Mention]]] = []
    errors: list[tuple[str, str]] = []
    for article in articles:
        try:
            coded.extend(code_articles([article], res, batch_size=1))
        except Exception as exc:  # reported with the article's origin, stored as a rejection
            errors.append((article.origin or article.id, f"coding failed: {type(exc).__name__}: {exc}"))
    return coded, errors


def code_partition(
    number: int,
    articles: list[Article],
    root: str,
    settings: Settings,
    resources: Resources | None = None,
) -> dict[str, Any]:
    """Code one partition and write it under ``root`` (``DIR/partitions``); returns its marker.

    Runs on a Dask worker (``resources`` None: the worker's cached ones) or in-process."""
    started, cpu_started = time.perf_counter(), time.process_time()
    layout = Layout(Path(root))
    layout.make()
    attempt = _count_attempt(layout.attempts(number))
    res = resources if resources is not None else _worker_resources(settings)
    coded, errors = _code_isolated(articles, res, settings.batch_size)
    mentions = [m for _, ms in coded for m in ms]
    write_table_atomic(articles_table(a for a, _ in coded), layout.articles(number))
    write_table_atomic(mentions_table(mentions), layout.mentions(number))
    marker = {
        "partition": number,
        "digest": ids_digest([a.id for a in articles]),
        "articles": len(articles),
        "mentions": len(mentions),
        "errors": errors,
        "attempts": attempt,
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu_started, 3),
        "pid": os.getpid(),
        # ru_maxrss is in KiB on Linux: the worker process's peak so far.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    write_json_atomic(marker, layout.marker(number))
    return marker


# -- on the driver --------------------------------------------------------------------------------


@dataclass
class Partition:
    number: int
    articles: list[Article]

    def info(self) -> PartInfo:
        first = self.articles[0]
        return PartInfo(self.number, ids_digest([a.id for a in self.articles]), len(self.articles), first.origin or first.id)


@dataclass(frozen=True)
class PartInfo:
    """What the driver keeps of a partition once it is submitted (not its articles)."""

    number: int
    digest: str
    size: int
    first: str  # origin of its first article, to name it in a report
    stored_before: bool = False  # every article of it was in the database when the run began


@dataclass
class BatchReport:
    """What a run did; ``failed`` maps a partition number to its last error."""

    partitions: int = 0
    skipped: int = 0  # coded in an earlier run (done-marker) or stored already
    coded: int = 0
    articles: int = 0
    duplicates: int = 0
    input_errors: list[InputError] = field(default_factory=list)
    coding_errors: list[tuple[str, str]] = field(default_factory=list)  # (origin, problem)
    failed: dict[int, str] = field(default_factory=dict)
    retried: dict[int, int] = field(default_factory=dict)  # partition -> attempts it took
    stored: int = 0  # articles newly stored
    already_stored: int = 0
    mentions: int = 0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # worker pid -> peak
    seconds_coding: float = 0.0
    cpu_seconds_workers: float = 0.0  # CPU time the workers spent on partitions (coding and writing)
    seconds_workers: float = 0.0  # wall time the same (a worker idle between partitions: less than its share)
    seconds_storing: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.input_errors and not self.coding_errors


Progress = Callable[[str, int], None]  # (stage, how many more): "read", "coded", "stored"


def partitions(
    items: Iterable[Article | InputError], chunk_size: int, report: BatchReport
) -> Iterator[Partition]:
    """Cut the input stream into numbered partitions, dropping texts seen before in the run and
    collecting input errors in ``report`` (the rest goes on)."""
    seen: set[str] = set()
    chunk: list[Article] = []
    number = 0
    for item in items:
        if isinstance(item, InputError):
            report.input_errors.append(item)
            continue
        if item.id in seen:
            report.duplicates += 1
            continue
        seen.add(item.id)
        chunk.append(item)
        if len(chunk) == chunk_size:
            yield Partition(number, chunk)
            number, chunk = number + 1, []
    if chunk:
        yield Partition(number, chunk)


@contextlib.contextmanager
def connect(workers: int | None = None, scheduler: str | None = None, timeout: str = "30s") -> Iterator[Client]:
    """A client on the cluster at ``scheduler``, or on a new LocalCluster of ``workers`` processes
    with one thread each (spaCy is not faster with threads; processes get one core each), set
    up for CPU-bound tasks. A cluster given by address keeps the settings it was started with."""
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        try:
            if scheduler:
                client = stack.enter_context(Client(scheduler, timeout=timeout))
            else:
                import dask

                # Dask makes glibc return freed memory at once (MALLOC_TRIM_THRESHOLD_=64 KiB):
                # spaCy allocates and frees all the time, and measured ~30% more CPU per
                # article that way; a worker's memory is flat (~300 MB), so nothing is gained.
                environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}))
                environ.pop("MALLOC_TRIM_THRESHOLD_", None)
                # Dask's statistical profiler samples the coding thread every 10 ms and the
                # event loop's tick wakes 50 times a second; each takes the GIL from spaCy and
                # the profiler builds dicts the collector then walks. Measured (1 worker, 100
                # articles a task, coding ~21 CPU ms per article in the task's thread): the
                # worker's other threads used ~2.1 CPU ms per article with the profiler, ~0.9
                # without, ~0.3 with also a 1 s tick and slower memory and system monitors (these
                # stay as they are: they guard the memory limit and feed the dashboard). Nothing
                # in a batch run reads the profile; the tick only times event-loop stalls.
                quiet = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "1s"}
                stack.enter_context(dask.config.set({"distributed.nanny.pre-spawn-environ": environ, **quiet}))
                n = workers or os.cpu_count() or 1
                cluster = stack.enter_context(
                    LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
                )
                client = stack.enter_context(Client(cluster))
                client.wait_for_workers(n)
        except OSError as exc:  # includes TimeoutError: no scheduler at that address
            raise BatchError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from exc
        log.info("Dask dashboard: %s", client.dashboard_link)
        yield client


def code_all(
    client: Client,
    parts: Iterable[Partition],
    layout: Layout,
    settings: Settings,
    report: BatchReport,
    *,
    stored_ids: set[str] | frozenset[str] = frozenset(),
    progress: Progress | None = None,
) -> list[PartInfo]:
    """Step 2: submit every partition not done yet, at most a few per worker in flight so that the
    driver holds little; returns every partition of the input (done or not), in order. A
    partition whose articles are all in ``stored_ids`` is not coded again."""
    from distributed import as_completed

    client.register_plugin(ResourcesPlugin(), name=PLUGIN_NAME)
    in_flight = max(2, 2 * sum(client.nthreads().values()))
    all_parts: list[PartInfo] = []
    running = as_completed()
    by_key: dict[str, PartInfo] = {}
    source = iter(parts)

    def submit_more() -> None:
        while running.count() < in_flight:
            part = next(source, None)
            if part is None:
                return
            info = part.info()
            if stored_ids and all(a.id in stored_ids for a in part.articles):
                info = dataclasses.replace(info, stored_before=True)
            all_parts.append(info)
            report.partitions += 1
            report.articles += info.size
            if progress:
                progress("read", info.size)
            if info.stored_before or layout.is_done(info.number, info.digest):
                report.skipped += 1
                if progress:
                    progress("coded", info.size)
                continue
            # Attempts are counted per run: a partition that failed in an earlier run starts at 1.
            layout.attempts(info.number).unlink(missing_ok=True)
            future = client.submit(
                code_partition, info.number, part.articles, str(layout.root), settings,
                key=f"vigil-part-{info.number:05d}-{info.digest[:12]}",
                retries=2, pure=False,
            )  # fmt: skip
            by_key[str(future.key)] = info
            running.add(future)

    started = time.perf_counter()
    submit_more()
    for future in running:
        part = by_key.pop(str(future.key))
        if future.status == "error":
            exc = future.exception()
            report.failed[part.number] = f"{type(exc).__name__}: {exc} (first article {part.first})"
            log.error("partition %d failed after its retries: %s", part.number, exc)
        else:
            marker = future.result()
            report.coded += 1
            report.cpu_seconds_workers += marker["cpu_seconds"]
            report.seconds_workers += marker["seconds"]
            report.mentions += marker["mentions"]
            report.coding_errors.extend((str(w), str(p)) for w, p in marker.get("errors", []))
            if marker["attempts"] > 1:
                report.retried[part.number] = marker["attempts"]
            pid = int(marker["pid"])
            report.peak_rss_mb[pid] = max(report.peak_rss_mb.get(pid, 0.0), marker["peak_rss_mb"])
        if progress:
            progress("coded", part.size)
        future.release()
        submit_more()
    report.seconds_coding = time.perf_counter() - started
    return all_parts


def store_all(
    parts: Iterable[PartInfo], layout: Layout, db: str, report: BatchReport, progress: Progress | None = None
) -> None:
    """Step 3: the done partitions into the database, in input order (as `vigil ingest` would)."""
    from vigil.store import open_store

    started = time.perf_counter()
    with open_store(db) as store:
        for err in report.input_errors:
            store.add_rejection(err.where, err.problem)
        for part in parts:
            if part.stored_before:
                report.already_stored += part.size
            elif part.number not in report.failed and layout.is_done(part.number, part.digest):
                for where, problem in (layout.read_marker(part.number) or {}).get("errors", []):
                    store.add_rejection(str(where), str(problem))
                for article, mentions in read_partition(layout, part.number):
                    if store.add_article(article, mentions):
                        report.stored += 1
                    else:
                        report.already_stored += 1
            if progress:
                progress("stored", part.size)
    report.seconds_storing = time.perf_counter() - started


def run_batch(
    inputs: Iterable[str],
    out: Path,
    settings: Settings,
    *,
    client: Client | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int = 500,
    store: bool = True,
    progress: Progress | None = None,
) -> BatchReport:
    """Code ``inputs`` (paths as ``ingest.read_inputs`` takes them) on Dask into ``out`` and, when
    ``store``, into ``settings.db``. Uses ``client`` when given, else connects (see ``connect``)."""
    from vigil.ingest import read_inputs

    if chunk_size < 1:
        raise BatchError(f"chunk size must be at least 1, not {chunk_size}")
    layout = Layout(out / "partitions")
    try:
        layout.make()
    except OSError as exc:
        raise BatchError(f"cannot write to {out}: {exc}") from exc
    report = BatchReport()
    stored_ids: set[str] = set()
    if store:
        from vigil.store import open_store

        # Opening also creates or migrates the database, before any work is spent.
        with open_store(settings.db) as st:
            stored_ids = st.article_ids()
    from vigil.geo import ensure_gazetteer

    # Built here, once: workers loading at the same moment would each start building it.
    ensure_gazetteer(settings.gazetteer_path)
    max_bytes = int(settings.max_file_mb * 1024 * 1024)
    parts = partitions(read_inputs(inputs, max_bytes=max_bytes), chunk_size, report)
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(connect(workers, scheduler))
        all_parts = code_all(
            client, parts, layout, settings, report, stored_ids=stored_ids, progress=progress
        )
    if store:
        store_all(all_parts, layout, settings.db, report, progress)
    return report
