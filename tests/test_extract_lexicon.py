"""The lexicon files: shipped data loads and covers ACLED's taxonomy; bad files are refused
with the file, the line and the problem."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from vigil.errors import ResourceError
from vigil.extract.lexicon import load_lexicon

DATA = Path(str(resources.files("vigil.data")))
FILES = ("taxonomy.csv", "triggers.csv", "triggers.cues.toml", "numbers.toml")


def test_shipped_lexicon_covers_acled():
    lx = load_lexicon()
    assert len({k[0] for k in lx.taxonomy}) == 6 and len(lx.taxonomy) == 25
    assert lx.type_of("Battles", "Armed clash").cameo == "190"
    assert lx.type_of("Explosions/Remote violence", "Suicide bomb").plover == "FIGHT"
    used = {(r.event_type, r.sub_event_type) for entries in lx.triggers.values() for _, rules in entries for r in rules}
    # every sub-event type but the catch-all has at least one trigger
    assert set(lx.taxonomy) - used == {("Strategic developments", "Other")} or set(lx.taxonomy) - used == set()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def test_trigger_with_unknown_type_is_refused(data_copy: Path):
    _append(data_copy / "triggers.csv", "pummel,V,Battles,Fist fight,,0.5")
    with pytest.raises(ResourceError, match=r"triggers\.csv: line \d+: Battles/Fist fight is not in the taxonomy"):
        load_lexicon(data_copy)


def test_trigger_with_unknown_condition_is_refused(data_copy: Path):
    _append(data_copy / "triggers.csv", "pummel,V,Battles,Armed clash,if_raining,0.5")
    with pytest.raises(ResourceError, match="unknown condition 'if_raining'"):
        load_lexicon(data_copy)


def test_file_without_header_comment_is_refused(data_copy: Path):
    path = data_copy / "taxonomy.csv"
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[1:]), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"taxonomy\.csv: line 1: expected a '# \.\.\.' header"):
        load_lexicon(data_copy)


def test_vague_quantity_bounds_are_checked(data_copy: Path):
    path = data_copy / "numbers.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[vague.dozens]\nvalue = 12\nlow = 12", "[vague.dozens]\nvalue = 12\nlow = 24"), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"\[vague\.dozens\] needs low <= value <= high"):
        load_lexicon(data_copy)


def test_missing_file_names_it(data_copy: Path):
    (data_copy / "triggers.csv").unlink()
    with pytest.raises(ResourceError, match="triggers.csv: cannot read"):
        load_lexicon(data_copy)
