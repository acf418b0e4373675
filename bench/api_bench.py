"""Load test of `vigil serve` on loopback over a synthetic database of many events.

    .venv/bin/python bench/api_bench.py                       # 1,000,000 events, 20 s of load
    .venv/bin/python bench/api_bench.py --events 100000 --seconds 10 --workers 2

1. Build (once, cached under bench/out/) an SQLite store with N synthetic events: the schema
   comes from the store's migrations, the rows go in with executemany. Events are spread over
   ten years and a Sahel-sized box, with skewed countries, types and fatalities.
2. Start `vigil serve` on a free loopback port and wait until it answers.
3. Drive it with wrk (when installed; a C client leaves the CPUs to the server) or else
   httpx.AsyncClient at a fixed concurrency, cycling through typical dashboard
   queries of /api/events; measure each request's latency, then the same for /api/config (no
   database work) as the baseline of this machine and this client.
4. Print p50/p95/p99 per query, overall figures, requests/s, and the ratio to the baseline.
   Targets (issue 6): p95 <= 100 ms and >= 200 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
VIGIL = ROOT / ".venv" / "bin" / "vigil"

COUNTRIES = [  # (code, name, admin1s, weight, lon/lat box)
    ("ML", "Mali", ["Mopti", "Gao", "Timbuktu", "Segou", "Kidal"], 5, (-5.5, 13.0, 2.0, 20.0)),
    ("BF", "Burkina Faso", ["Sahel", "Est", "Nord", "Centre-Nord", "Boucle du Mouhoun"], 5, (-5.0, 10.0, 2.0, 15.0)),
    ("NE", "Niger", ["Tillaberi", "Tahoua", "Diffa", "Maradi", "Agadez"], 3, (0.5, 12.0, 12.0, 17.5)),
    ("NG", "Nigeria", ["Borno", "Zamfara", "Kaduna", "Katsina", "Benue"], 6, (3.0, 6.0, 14.0, 13.5)),
    ("TD", "Chad", ["Lac", "Kanem", "Ouaddai"], 1, (14.0, 9.0, 22.0, 15.0)),
    ("SN", "Senegal", ["Dakar", "Ziguinchor"], 1, (-17.0, 12.5, -12.0, 16.0)),
]
TYPES = [
    ("Battles", "Armed clash", 4),
    ("Violence against civilians", "Attack", 4),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 2),
    ("Protests", "Peaceful protest", 3),
    ("Riots", "Violent demonstration", 1),
    ("Strategic developments", "Looting/property destruction", 1),
]
ACTORS = ["JNIM", "Islamic State Sahel Province", "Military Forces of Mali", "Military Forces of Burkina Faso",
          "Military Forces of Niger", "Boko Haram", "Unidentified Armed Group", "Protesters", "Civilians"]


def build(path: Path, n: int, seed: int = 7) -> float:
    """Create the store's schema with its migrations, then insert ``n`` events; returns seconds."""
    from vigil.store.engine import make_engine, upgrade

    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    country_weights = [c[3] for c in COUNTRIES]
    type_weights = [t[2] for t in TYPES]
    day0 = dt.date(2015, 1, 1)
    now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    sql = (
        "INSERT INTO events (id, seq, date, year, date_precision, event_type, sub_event_type, country_code, country,"
        " admin1, location, lat, lon, geo_precision, actor1, actor2, inter1, inter2, fatalities_best, fatalities_low,"
        " fatalities_high, injuries, n_reports, n_mentions, sources, notes, disagreements, confidence, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )

    def rows(lo: int, hi: int):  # noqa: ANN202 - a generator of tuples
        for i in range(lo, hi):
            code, name, admin1s, _, (x0, y0, x1, y1) = rng.choices(COUNTRIES, country_weights)[0]
            etype, sub, _ = rng.choices(TYPES, type_weights)[0]
            day = day0 + dt.timedelta(days=rng.randrange(3650))
            killed = int(rng.paretovariate(1.4)) - 1 if etype in ("Battles", "Violence against civilians", "Explosions/Remote violence") else 0
            a1, a2 = rng.sample(ACTORS, 2)
            yield (
                f"ev{i:08d}", i, day.isoformat(), day.year, "day", etype, sub, code, name, rng.choice(admin1s),
                f"Place {rng.randrange(5000)}", round(rng.uniform(y0, y1), 4), round(rng.uniform(x0, x1), 4),
                rng.choice((1, 1, 2, 3)), a1, a2, 2, 1, killed, killed, killed + rng.randrange(3), None, 1, 1,
                "Synthetic Wire", f"Synthetic event {i}: {etype.lower()} involving {a1} and {a2}.", "[]", 0.5, now,
            )

    step = 50_000
    for lo in range(0, n, step):
        with con:
            con.executemany(sql, rows(lo, min(n, lo + step)))
    con.execute("ANALYZE")
    con.close()
    return time.perf_counter() - start


def queries(rng: random.Random) -> list[tuple[str, str]]:
    """Typical dashboard requests: (label, path with query)."""
    def window() -> str:
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3500))
        return f"date_from={start}&date_to={start + dt.timedelta(days=90)}"

    out = []
    for _ in range(50):
        code = rng.choice(COUNTRIES)[0]
        out += [
            ("latest 100", "/api/events?limit=100"),
            ("country + 90 days", f"/api/events?country={code}&{window()}&limit=100"),
            ("type + min fatalities", f"/api/events?event_type=Battles&min_fatalities={rng.choice((5, 10, 20))}&limit=100"),
            ("bbox + 90 days", f"/api/events?bbox=-2,12,3,16&{window()}&limit=100"),
            ("admin1 newest", f"/api/events?country={code}&admin1={quote(rng.choice(next(c[2] for c in COUNTRIES if c[0] == code)))}&limit=50"),
            ("page 5 of a country", f"/api/events?country={code}&limit=100&offset=400"),
            ("geojson 500", f"/api/events?country={code}&{window()}&limit=500&format=geojson"),
        ]
    return out


async def load(base: str, paths: list[tuple[str, str]], seconds: float, concurrency: int) -> tuple[dict[str, list[float]], int, float]:
    """Send the paths round-robin from ``concurrency`` tasks for ``seconds``; latencies per label."""
    latencies: dict[str, list[float]] = {}
    errors = 0
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            label, path = paths[next(counter) % len(paths)]
            t0 = time.perf_counter()
            response = await client.get(base + path)
            elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                errors += 1
            latencies.setdefault(label, []).append(elapsed)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return latencies, errors, wall


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.1f %%.1f %%.1f %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of ``pid`` and its children (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(c) for c in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def wrk(base: str, paths: list[str], seconds: float, concurrency: int, pid: int) -> dict[str, float]:
    """One wrk run cycling through ``paths``: requests, req/s, p50/p95/p99 in ms, errors, and
    the server's CPU milliseconds per request (a figure that other load on the machine does
    not inflate the way it inflates latency)."""
    script = OUT / "wrk_paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script), base]
    cpu_before = cpu_seconds(pid)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - cpu_before
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    n, micros, p50, p95, p99, failed, bad_status = line.split()[1:]
    return {
        "n": int(n), "rps": int(n) / (int(micros) / 1e6), "p50": float(p50) / 1000, "p95": float(p95) / 1000,
        "p99": float(p99) / 1000, "errors": int(failed) + int(bad_status), "cpu_ms": cpu * 1000 / max(1, int(n)),
    }


def report_wrk(base: str, paths: list[tuple[str, str]], seconds: float, concurrency: int, pid: int) -> None:
    """Per-query runs, one mixed run, the text search and the /api/config baseline, via wrk."""
    print(f"{'query':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'server CPU ms/req':>18}")
    labels = list(dict.fromkeys(label for label, _ in paths))

    def row(label: str, r: dict[str, float]) -> None:
        errors = f"  {r['errors']} errors" if r["errors"] else ""
        print(f"{label:28} {r['n']:6d} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {r['rps']:8.0f} {r['cpu_ms']:18.1f}{errors}")

    for label in labels:
        row(label, wrk(base, [p for lb, p in paths if lb == label], seconds / 4, concurrency, pid))
    mixed = wrk(base, [p for _, p in paths], seconds, concurrency, pid)
    row("ALL /api/events (mixed)", mixed)
    row("text search q=", wrk(base, ["/api/events?q=jnim+civilians&limit=100"], seconds / 4, 4, pid))
    # What the dashboard itself asks on each view: a page of 1,000 (its PAGE), newest first, with
    # the view's filters (its /api/stats call is cached). Apart from the mix, which it predates.
    views = [p.replace("limit=100", "limit=1000&sort=-date") for label, p in paths if label in ("latest 100", "country + 90 days")]
    row("dashboard view 1000", wrk(base, views, seconds / 4, 4, pid))
    # Not a dashboard query (reported apart from the typical mix): a region sorted by toll, which
    # read and sorted every event of the region before the (admin1, fatalities, seq) index.
    row("admin1 by fatalities", wrk(base, ["/api/events?country=ML&admin1=Mopti&sort=-fatalities&limit=50"], seconds / 4, 4, pid))
    baseline = wrk(base, ["/api/config"], seconds / 4, concurrency, pid)
    row("baseline /api/config", baseline)
    print(f"\nratio to baseline: p50 x{mixed['p50'] / baseline['p50']:.1f}, throughput x{mixed['rps'] / baseline['rps']:.2f}")
    print(f"targets (mixed run): p95 <= 100 ms: {'met' if mixed['p95'] <= 100 else 'NOT met'}; "
          f">= 200 req/s: {'met' if mixed['rps'] >= 200 else 'NOT met'}")
    cores = os.cpu_count() or 1
    print(f"server CPU per mixed request {mixed['cpu_ms']:.1f} ms: at most {1000 / mixed['cpu_ms']:.0f} req/s per free core, "
          f"{cores * 1000 / mixed['cpu_ms']:.0f} on all {cores}; load average now {os.getloadavg()[0]:.1f}")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes of `vigil serve`")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--httpx", action="store_true", help="load with httpx even when wrk is installed")
    args = parser.parse_args()

    db = OUT / f"api_{args.events}.db"
    if args.rebuild or not db.exists():
        took = build(db, args.events)
        print(f"built {args.events:,} events in {took:.1f} s ({args.events / took:,.0f} rows/s) -> {db}")
    else:
        print(f"reusing {db} ({db.stat().st_size / 1e6:.0f} MB)")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "VIGIL_API_KEY": ""}
    server = subprocess.Popen(
        [str(VIGIL), "serve", "--db", f"sqlite:///{db}", "--port", str(port), "--workers", str(args.workers)], env=env
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/config", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            sys.exit("vigil serve did not start")
        rng = random.Random(11)
        paths = queries(rng)
        asyncio.run(load(base, paths[:50], 2, args.concurrency))  # warm the page cache and the workers
        print(f"\n{args.events:,} events, {args.workers} server workers, {args.concurrency} connections, "
              f"{os.cpu_count()} CPUs shared by client and server")
        if shutil.which("wrk") and not args.httpx:
            report_wrk(base, paths, args.seconds, args.concurrency, server.pid)
            return
        print("load generator: httpx (install wrk for a lighter client)")
        baseline, _, base_wall = asyncio.run(load(base, [("config", "/api/config")], args.seconds / 4, args.concurrency))
        results, errors, wall = asyncio.run(load(base, paths, args.seconds, args.concurrency))
        search, _, search_wall = asyncio.run(load(base, [("text search", "/api/events?q=jnim+civilians&limit=100")], args.seconds / 4, 4))
    finally:
        server.terminate()
        server.wait(timeout=30)

    every = [x for v in results.values() for x in v]
    base_all = baseline["config"]
    print(f"{'query':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label, values in results.items():
        print(f"{label:28} {len(values):6d} {pct(values, 50):8.1f} {pct(values, 95):8.1f} {pct(values, 99):8.1f}")
    rps = len(every) / wall
    base_rps = len(base_all) / base_wall
    print(f"{'ALL /api/events':28} {len(every):6d} {pct(every, 50):8.1f} {pct(every, 95):8.1f} {pct(every, 99):8.1f}   {rps:.0f} req/s, {errors} errors")
    print(f"{'baseline /api/config':28} {len(base_all):6d} {pct(base_all, 50):8.1f} {pct(base_all, 95):8.1f} {pct(base_all, 99):8.1f}   {base_rps:.0f} req/s")
    s = search["text search"]
    print(f"{'text search q= (4 clients)':28} {len(s):6d} {pct(s, 50):8.1f} {pct(s, 95):8.1f} {pct(s, 99):8.1f}   {len(s) / search_wall:.1f} req/s")
    print(f"\nratio to baseline: p50 x{pct(every, 50) / pct(base_all, 50):.1f}, throughput x{rps / base_rps:.2f}")
    print(f"targets: p95 <= 100 ms: {'met' if pct(every, 95) <= 100 else 'NOT met'}; >= 200 req/s: {'met' if rps >= 200 else 'NOT met'}")
    print(f"median of all latencies {statistics.median(every) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
