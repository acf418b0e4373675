"""`vigil extract` end to end, as a user runs it: JSON lines on stdout, one line per bad input
on stderr naming the file, exit status 1 when any input failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def run(resources, vigil_home: Path):
    """Run `vigil extract` in a subprocess over the session's (already built) gazetteer."""
    env = {**os.environ, "VIGIL_HOME": str(vigil_home)}
    env.pop("VIGIL_CONFIG", None)

    def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(Path(sys.executable).parent / "vigil"), "extract", *args], input=stdin, capture_output=True, text=True, env=env, timeout=300, check=False
        )

    return _run


def test_help_has_an_example(run):
    out = run("--help")
    assert out.returncode == 0 and "Example: vigil extract" in out.stdout


def test_stdin(run):
    text = (ARTICLES / "airstrike-drone.txt").read_text(encoding="utf-8")
    out = run("-", stdin=text)
    assert out.returncode == 0, out.stderr
    [m] = [json.loads(line) for line in out.stdout.splitlines()]
    assert m["sub_event_type"] == "Air/drone strike"


def test_bad_inputs_are_named_and_the_rest_goes_on(run, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(128, 256)) * 4)
    bad_date = tmp_path / "bad-date.txt"
    bad_date.write_text("date 2024-13-45 Gunmen killed three soldiers near Kaya on Monday.", encoding="utf-8")
    out = run(str(empty), str(binary), str(bad_date), str(ARTICLES / "two-events-separate.txt"))
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    for path, line in zip((empty, binary, bad_date), errors, strict=True):
        assert str(path) in line
    # the good file was still coded: one JSON line per mention, with spans
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [m["event_type"] for m in lines] == ["Battles", "Violence against civilians"]
    assert [m["date"]["value"] for m in lines] == ["2024-02-01", "2024-02-02"]
    assert lines[0]["claims"][0]["span"]["text"] == "five soldiers"


def test_no_background(run, shared: Path):
    seed = shared / "data" / "seed" / "niger-teguey-2024-03-23.txt"
    every = [json.loads(line) for line in run(str(seed)).stdout.splitlines()]
    news = [json.loads(line) for line in run("--no-background", str(seed)).stdout.splitlines()]
    assert any(m["background"] for m in every)
    assert news and not any(m["background"] for m in news)
