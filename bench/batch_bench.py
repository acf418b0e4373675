"""Throughput of `vigil batch` with 1 and 2 Dask workers against in-process coding, in one run.

    .venv/bin/python bench/batch_bench.py                  # 5,000 invented articles
    .venv/bin/python bench/batch_bench.py --articles 1000 --chunk-size 50

1. Write a corpus of N invented reports (``tests/fixtures/batch/corpus.py``) as JSON Lines.
2. Baseline, what `vigil ingest` does before storing: ``read_inputs`` + ``code_articles`` in this
   process, resources loaded beforehand (not timed).
3. `vigil batch --no-store` on a LocalCluster of 1, then 2 worker processes (one thread each);
   every worker loads its resources before the clock starts (``warm_up``), so all three figures
   are steady-state coding rates. Start-up time is printed apart.
4. Print articles/s, the ratios (targets, issue 7: 2 workers >= 1.7x one worker; one worker
   within 1.2x of in-process, i.e. in-process / 1 worker <= 1.2) and the peak RSS per worker;
   to explain a gap, CPU per article in the workers and in the driver, how much of the time the
   workers were inside a partition, and CPU/wall there (below 1 when other work took the core).
5. As other work on the machine skews step 2 against step 3, compare again one partition coded
   alternately in-process and on a 1-worker cluster (``--rounds`` times), and print the medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.batch.corpus import write_jsonl  # noqa: E402
from vigil.batch import code_partition, connect, run_batch, warm_up  # noqa: E402
from vigil.errors import InputError  # noqa: E402
from vigil.geo import ensure_gazetteer  # noqa: E402
from vigil.ingest import read_inputs  # noqa: E402
from vigil.pipeline import Resources, code_articles  # noqa: E402
from vigil.settings import load_settings  # noqa: E402


def in_process(corpus: Path, settings) -> tuple[float, float, int, float]:
    """Articles/s of read + code in this process, CPU ms per article, articles, and this
    process's peak RSS (MB)."""
    res = Resources.load(settings)
    started, cpu = time.perf_counter(), time.process_time()
    articles = [a for a in read_inputs([str(corpus)]) if not isinstance(a, InputError)]
    n = sum(1 for _ in code_articles(articles, res, batch_size=settings.batch_size))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return n / seconds, 1000 * cpu / n, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclasses.dataclass
class ClusterRun:
    rate: float  # articles/s, wall
    worker_cpu_ms: float  # CPU ms per article in the workers' partitions (coding + writing)
    driver_cpu_ms: float  # CPU ms per article in this process (reading, the local scheduler)
    busy: float  # share of the coding time the workers spent inside partitions
    in_task_cpu: float  # CPU / wall inside the partitions (below 1: the worker waited for a core)
    startup: float  # seconds to start the cluster and load the resources on every worker
    peak_rss_mb: dict[int, float]


def on_cluster(corpus: Path, out: Path, settings, workers: int, chunk: int) -> ClusterRun:
    """`vigil batch` (coding to Parquet, no database) on a LocalCluster of ``workers`` processes."""
    started = time.perf_counter()
    with connect(workers=workers) as client:
        warm_up(client, settings)
        startup = time.perf_counter() - started
        cpu = time.process_time()
        report = run_batch([str(corpus)], out, settings, client=client, chunk_size=chunk, store=False)
        cpu = time.process_time() - cpu
    if report.failed or report.coded != report.partitions:
        raise SystemExit(f"batch run failed: {report.failed}")
    n = report.articles
    return ClusterRun(
        rate=n / report.seconds_coding,
        worker_cpu_ms=1000 * report.cpu_seconds_workers / n,
        driver_cpu_ms=1000 * cpu / n,
        busy=report.seconds_workers / (workers * report.seconds_coding),
        in_task_cpu=report.cpu_seconds_workers / report.seconds_workers,
        startup=startup,
        peak_rss_mb=report.peak_rss_mb,
    )


def interleaved(articles: list, out: Path, settings, rounds: int) -> tuple[float, float, float]:
    """The same partition coded alternately in this process and as a task on a 1-worker cluster,
    ``rounds`` times: both sides see the same machine load, which the runs above do not when
    other work comes and goes. Returns the medians of worker / in-process: wall inside the task,
    wall of the whole round trip (submit to result), and CPU."""
    res = Resources.load(settings)
    n = len(articles)
    ratios: list[tuple[float, float, float]] = []
    with connect(workers=1) as client:
        warm_up(client, settings)
        list(code_articles(articles, res, batch_size=settings.batch_size))
        client.submit(code_partition, 0, articles, str(out), settings, pure=False).result()
        for r in range(1, rounds + 1):
            started, cpu = time.perf_counter(), time.process_time()
            assert sum(1 for _ in code_articles(articles, res, batch_size=settings.batch_size)) == n
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            started = time.perf_counter()
            marker = client.submit(code_partition, r, articles, str(out), settings, pure=False).result()
            trip = time.perf_counter() - started
            ratios.append((marker["seconds"] / wall, trip / wall, marker["cpu_seconds"] / cpu))
    return tuple(statistics.median(x[i] for x in ratios) for i in range(3))  # type: ignore[return-value]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--chunk-size", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=8, help="rounds of the interleaved comparison")
    args = ap.parse_args()
    settings = load_settings()
    ensure_gazetteer(settings.gazetteer_path)
    with tempfile.TemporaryDirectory(prefix="vigil-batch-bench-") as tmp:
        work = Path(tmp)
        corpus = write_jsonl(work / "corpus.jsonl", args.articles)
        s = dataclasses.replace(settings, db=f"sqlite:///{work / 'unused.db'}")
        print(f"corpus: {args.articles} invented articles, {corpus.stat().st_size / 1e6:.1f} MB; chunk {args.chunk_size}")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work skews wall-clock rates)")
        base, base_cpu, n, base_rss = in_process(corpus, s)
        print(f"in-process (vigil ingest's coding): {base:7.2f} articles/s, {base_cpu:6.1f} CPU ms/article  ({n} articles, peak RSS {base_rss:.0f} MB)")
        runs: dict[int, ClusterRun] = {}
        for workers in (1, 2):
            run = runs[workers] = on_cluster(corpus, work / f"out{workers}", s, workers, args.chunk_size)
            mem = ", ".join(f"{v:.0f}" for v in sorted(run.peak_rss_mb.values()))
            print(
                f"batch, {workers} worker(s):               {run.rate:7.2f} articles/s, {run.worker_cpu_ms:6.1f} CPU ms/article"
                f" in the workers + {run.driver_cpu_ms:.1f} in the driver; workers busy {100 * run.busy:.0f}% of the"
                f" time, CPU/wall in a partition {run.in_task_cpu:.2f}  (start-up {run.startup:.1f} s, peak RSS per worker {mem} MB)"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print(f"2 workers / 1 worker (wall):  {runs[2].rate / runs[1].rate:.2f}x   (target >= 1.7)")
        print(f"in-process / 1 worker (wall): {base / runs[1].rate:.2f}x   (target <= 1.2)")
        print(f"1 worker / in-process (CPU per article in the worker, the overhead of Dask + Parquet): {runs[1].worker_cpu_ms / base_cpu:.2f}x")
        print(f"same, with the driver's CPU (reading, scheduling) added: {(runs[1].worker_cpu_ms + runs[1].driver_cpu_ms) / base_cpu:.2f}x")
        articles = [a for a in read_inputs([str(corpus)]) if not isinstance(a, InputError)][: args.chunk_size]
        task, trip, cpu = interleaved(articles, work / "interleaved", s, args.rounds)
        print(
            f"interleaved, {args.rounds} rounds of one {len(articles)}-article partition, 1 worker / in-process (medians):"
            f" wall in the task {task:.2f}x, wall submit-to-result {trip:.2f}x (target <= 1.2), CPU {cpu:.2f}x"
            f"; load average now {os.getloadavg()[0]:.1f}"
        )

if __name__ == "__main__":
    main()
