"""Ingest throughput: ``read_inputs`` over JSONL, a folder of .txt files and HTML pages.

The baseline, measured in the same run on the same files, is the least any reader must do:
read the bytes, decode them, split the records and hash the text (for HTML: trafilatura's plain
extraction, then the hash). The ratio says what
normalisation, boilerplate, the language check and the Article objects cost on top.

    .venv/bin/python bench/ingest_bench.py [--articles 3000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vigil.errors import InputError
from vigil.ingest import Cleaner, read_inputs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def corpus(n: int) -> list[tuple[str, str]]:
    """``n`` (date, text) pairs made from the example articles, each made unique by a sentence."""
    texts = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition(" ")
        date, _, body = body.partition(" ")
        texts.append((date, body))
    return [
        (texts[i % len(texts)][0], f"{texts[i % len(texts)][1]}\n\nReport number {i} of the day.")
        for i in range(n)
    ]


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = fn()
    return time.perf_counter() - start, count


def run_vigil(paths: list[str], cleaner: Cleaner) -> int:
    count = 0
    for item in read_inputs(paths, cleaner=cleaner):
        if isinstance(item, InputError):
            raise SystemExit(f"bench input refused: {item}")
        count += 1
    return count


def baseline_jsonl(path: Path) -> int:
    count = 0
    with path.open("rb") as f:
        for line in f:
            hashlib.sha256(json.loads(line)["text"].encode()).hexdigest()
            count += 1
    return count


def baseline_txt(folder: Path) -> int:
    count = 0
    for path in sorted(folder.glob("*.txt")):
        hashlib.sha256(path.read_bytes().decode("utf-8").partition(" ")[2].encode()).hexdigest()
        count += 1
    return count


def html_page(text: str, date: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f"<html><head><title>Report</title><meta name='date' content='{date}'></head><body>"
        f"<nav><a href='/'>Home</a></nav><article>{paragraphs}</article>"
        "<footer><p>Share this article</p></footer></body></html>"
    )


def baseline_html(folder: Path) -> int:
    """For HTML the least is trafilatura's plain extraction, which dominates the cost."""
    import trafilatura

    count = 0
    for path in sorted(folder.glob("*.html")):
        text = trafilatura.extract(path.read_bytes().decode("utf-8")) or ""
        hashlib.sha256(text.encode()).hexdigest()
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args()
    cleaner = Cleaner.load()
    docs = corpus(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        jsonl = root / "articles.jsonl"
        jsonl.write_text(
            "".join(json.dumps({"text": t, "published": d}) + "\n" for d, t in docs), encoding="utf-8"
        )
        txt = root / "txt"
        txt.mkdir()
        for i, (d, t) in enumerate(docs):
            (txt / f"{i:06d}.txt").write_text(f"date {d} {t}", encoding="utf-8")
        html = root / "html"
        html.mkdir()
        for i, (d, t) in enumerate(docs[: max(1, args.articles // 10)]):
            (html / f"{i:06d}.html").write_text(html_page(t, d), encoding="utf-8")
        mb = jsonl.stat().st_size / 1e6
        print(f"{args.articles} articles, {mb:.1f} MB of JSONL")
        for name, ours, base in (
            ("jsonl", lambda: run_vigil([str(jsonl)], cleaner), lambda: baseline_jsonl(jsonl)),
            ("txt folder", lambda: run_vigil([str(txt)], cleaner), lambda: baseline_txt(txt)),
            ("html folder", lambda: run_vigil([str(html)], cleaner), lambda: baseline_html(html)),
        ):
            t_base, n_base = timed(base)
            t_ours, n_ours = timed(ours)
            assert n_base == n_ours, (name, n_base, n_ours)
            print(
                f"{name:12s} vigil {n_ours / t_ours:8.0f} articles/s   baseline "
                f"{n_base / t_base:8.0f} articles/s   ratio {t_ours / t_base:5.1f}x"
            )


if __name__ == "__main__":
    main()
