"""Gazetteer benchmarks: bulk import, resolution throughput, memory.

    .venv/bin/python bench/geo_bench.py [--rows 2000000] [--shared ../shared]

1. Import: a GeoNames file of ``--rows`` rows made by repeating the real rows of
   ../shared/data/geonames/*.txt with new ids (written under bench/out/ and deleted after), imported
   into a fresh index. Baseline in the same run: reading and splitting the same file. The target
   is 12 million rows in 15 minutes within 2 GB; a smaller run is extrapolated linearly.
2. Resolution: toponyms resolved per second with a warm index (document-sized batches of names
   drawn from the index, so every one has candidates). Baseline: the bare cached lookups.
3. Memory: resident set size added by opening the gazetteer and warming it; and, after the
   import, by opening the imported index and looking up more distinct names than the cache holds.
4. Spelling: the default gazetteer with the real country files imported (so their countries are
   followed), looked up cold by names of their villages with one inner vowel changed, which only
   the skeleton key finds, and by the long ones with one inner consonant dropped, which only the
   skeletons one consonant away find. Baseline: cold lookups of the same names as GeoNames
   writes them.

The machine is shared, so wall-clock times move with the load: every figure is given in CPU time
of this process (SQLite runs in it) and in wall time, with the load average at the start and end.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.geo import Gazetteer, ensure_gazetteer  # noqa: E402
from vigil.geo.importer import Writer, import_file  # noqa: E402
from vigil.geo.names import LONG_LETTERS  # noqa: E402
from vigil.geo.resolve import resolve_all  # noqa: E402
from vigil.geo.toponyms import Toponym  # noqa: E402
from vigil.geo.words import load_words  # noqa: E402
from vigil.settings import load_settings  # noqa: E402
from vigil.types import Span  # noqa: E402

OUT = ROOT / "bench" / "out"


def rss_mb() -> float:
    """Current resident set size in MB (from /proc, Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    return "load average " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def make_file(shared: Path, rows: int, target: Path) -> None:
    """``rows`` GeoNames rows: the real country files' rows over and over, with fresh ids."""
    source = [line for f in sorted((shared / "data" / "geonames").glob("[A-Z][A-Z].txt"))
              for line in f.read_text(encoding="utf-8").splitlines()]
    with target.open("w", encoding="utf-8") as out:
        for i in range(rows):
            fields = source[i % len(source)].split("\t", 1)
            out.write(f"{100_000_000 + i}\t{fields[1]}\n")


def bench_import(shared: Path, rows: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / f"geonames_{rows}.txt"
    if not data.exists() or data.stat().st_size == 0:
        make_file(shared, rows, data)
    t0 = time.perf_counter()
    with data.open(encoding="utf-8") as fh:
        n = sum(len(line.split("\t")) == 19 for line in fh)
    baseline = time.perf_counter() - t0
    index = OUT / "bench_gazetteer.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    before = peak_mb()
    start_load = load()
    t0, c0 = time.perf_counter(), time.process_time()
    writer = Writer(index)
    report = import_file(writer, data)
    writer.close()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"import: {report.rows:,} rows in {seconds:.1f} s wall, {cpu:.1f} s CPU = {report.rows / seconds:,.0f} "
          f"rows/s wall, {report.rows / cpu:,.0f} rows/s CPU ({start_load} at the start, {load()} at the end)")
    print(f"import: baseline read+split {n:,} rows in {baseline:.1f} s wall; ratio {seconds / baseline:.1f}x the baseline")
    print(f"import: peak RSS {peak_mb():.0f} MB (before: {before:.0f} MB); index {index.stat().st_size / 1e6:,.0f} MB")
    if report.rows != 12_000_000:
        print(f"import: 12,000,000 rows extrapolated linearly: {seconds * 12e6 / report.rows / 60:.1f} min wall, "
              f"{cpu * 12e6 / report.rows / 60:.1f} min CPU (target 15 min)")
    bench_big_index_memory(index, report.rows)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    data.unlink()  # over a gigabyte at 12M rows


def bench_big_index_memory(index: Path, rows: int, n_names: int = 60_000) -> None:
    """The worst case for a worker's memory: a large index (here every real name has many
    namesakes, as the rows repeat) and more distinct names than the lookup cache holds."""
    rss0 = rss_mb()
    gaz = Gazetteer(index)
    keys = [r[0] for r in gaz._con.execute("SELECT DISTINCT key FROM names LIMIT ?", (n_names,))]
    c0 = time.process_time()
    found = sum(len(gaz.lookup(k, variants=False)) for k in keys)
    cpu = time.process_time() - c0
    held, candidates = gaz.cache_stats()
    print(f"memory: index of {rows:,} places, {len(keys):,} distinct cold lookups ({found / len(keys):.1f} candidates "
          f"each, {len(keys) / cpu:,.0f}/s CPU): adds {rss_mb() - rss0:.0f} MB RSS (target <= 300 MB); the cache "
          f"holds {held:,} names, {candidates:,} candidates")
    gaz.close()


def bench_resolution(gaz_path: Path, n_docs: int = 2_000, per_doc: int = 20) -> None:
    rss0 = rss_mb()
    gaz = Gazetteer(gaz_path)
    words = load_words()
    rng = random.Random(7)
    ids = [r[0] for r in gaz._con.execute("SELECT id FROM places WHERE pop > 1000 ORDER BY id")]
    names = [r[0] for r in gaz._con.execute(
        f"SELECT name FROM places WHERE id IN ({','.join(map(str, rng.sample(ids, 4000)))})")]
    docs = []
    for _ in range(n_docs):
        picked = [rng.choice(names) for _ in range(per_doc)]
        text, topos = "", []
        for name in picked:
            start = len(text)
            text += name + ", "
            topos.append(Toponym(Span(start, start + len(name), name)))
        docs.append((text, topos))
    # warm: one pass fills the lookup cache as a long-running process would have it
    for text, topos in docs[:200]:
        resolve_all(gaz, words, text, topos, [])
    for _text, topos in docs:
        for t in topos:
            gaz.lookup(t.span.text)
    warm = rss_mb()
    total = n_docs * per_doc
    c0 = time.process_time()
    for _text, topos in docs:
        for t in topos:
            gaz.lookup(t.span.text)
    lookups = time.process_time() - c0
    start_load = load()
    t0, c0 = time.perf_counter(), time.process_time()
    for text, topos in docs:
        resolve_all(gaz, words, text, topos, [])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"resolution: {total:,} toponyms in {cpu:.2f} s CPU = {total / cpu:,.0f} toponyms/s CPU (target 20,000); "
          f"{seconds:.2f} s wall = {total / seconds:,.0f}/s wall ({start_load})")
    print(f"resolution: baseline cached lookups alone {total / lookups:,.0f}/s CPU; ratio {cpu / lookups:.1f}x the baseline")
    print(f"memory: the loaded, warmed gazetteer adds {warm - rss0:.0f} MB RSS (target <= 300 MB)")


def bench_spelling(shared: Path, default: Path, n_names: int = 5_000) -> None:
    files = sorted((shared / "data" / "geonames").glob("[A-Z][A-Z].txt"))
    index = OUT / "followed_gazetteer.sqlite"
    shutil.copy(default, index)
    writer = Writer(index)
    try:
        for f in files:
            import_file(writer, f)
    finally:
        writer.close()
    gaz = Gazetteer(index)
    rng = random.Random(11)
    rows = list(gaz._con.execute(
        f"SELECT id, name FROM places WHERE cc IN ({', '.join('?' * len(gaz.focus))}) AND fclass = 'P' "
        "AND length(name) >= 7 ORDER BY id", sorted(gaz.focus)))
    picked = rng.sample(rows, min(n_names, len(rows)))
    vowels = "aeiou"
    written = []
    for _id, name in picked:
        inner = [i for i, ch in enumerate(name) if 0 < i < len(name) - 1 and ch in vowels]
        i = rng.choice(inner) if inner else 0
        written.append(name[:i] + rng.choice([v for v in vowels if v != name[i]]) + name[i + 1:] if inner else name)
    # the long ones with one inner consonant dropped ("Tadoumarat" for "Tadoumarast")
    long = [(i, n) for i, n in picked if len(n.replace(" ", "")) >= LONG_LETTERS]
    dropped = []
    for _id, name in long:
        inner = [i for i, ch in enumerate(name) if 0 < i < len(name) - 1 and ch.isalpha() and ch.lower() not in vowels]
        i = rng.choice(inner)
        dropped.append(name[:i] + name[i + 1:])
    gaz.close()
    timings = {}
    for label, names, meant in (("as GeoNames writes them", [n for _i, n in picked], picked),
                                ("one vowel changed", written, picked),
                                (f"of {LONG_LETTERS} letters or more, one consonant dropped", dropped, long)):
        gaz = Gazetteer(index)
        c0 = time.process_time()
        results = [gaz.lookup(n) for n in names]
        timings[label] = time.process_time() - c0
        found = sum(any(c.place.geonameid == i for c in r) for (i, _n), r in zip(meant, results, strict=True))
        print(f"spelling: {len(names):,} cold lookups of followed villages {label}: {len(names) / timings[label]:,.0f}/s CPU, "
              f"the village among the candidates for {found / len(names):.1%}")
        gaz.close()
    base = timings["as GeoNames writes them"] / len(picked)  # CPU seconds per lookup
    print(f"spelling: per lookup, {timings['one vowel changed'] / len(written) / base:.1f}x the baseline with a vowel "
          f"changed, {timings[f'of {LONG_LETTERS} letters or more, one consonant dropped'] / len(dropped) / base:.1f}x "
          f"with a consonant dropped (countries followed: {' '.join(sorted(f.stem for f in files))})")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    settings = load_settings()
    gaz_path = OUT / "default_gazetteer.sqlite"
    OUT.mkdir(parents=True, exist_ok=True)
    # a fresh copy on every run: a copy kept from an older build holds other names and
    # namesakes, and its figure would not be this build's
    t0 = time.perf_counter()
    shutil.copy(ensure_gazetteer(settings.gazetteer_path), gaz_path)
    print(f"default gazetteer ready in {time.perf_counter() - t0:.1f} s ({settings.gazetteer_path})")
    bench_resolution(gaz_path)
    if not (args.shared / "data" / "geonames").is_dir():
        print(f"import and spelling: skipped, {args.shared}/data/geonames is absent")
        return
    bench_spelling(args.shared, gaz_path)
    if not args.skip_import:
        bench_import(args.shared, args.rows)


if __name__ == "__main__":
    main()
