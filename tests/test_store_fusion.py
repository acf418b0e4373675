"""End to end: invented reports (tests/fixtures/fusion/articles) through the real pipeline into
the store on SQLite and PostgreSQL; the events must be the ones listed in expected.toml, with
the README's fatality figures and every claim kept with its source."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from fixtures.fusion.dbs import db_url, pg_database  # noqa: F401  (fixtures)
from vigil.store import Store, open_store
from vigil.store import schema as s
from vigil.types import Article, Mention

HERE = Path(__file__).parent / "fixtures" / "fusion"
_DATA = tomllib.loads((HERE / "expected.toml").read_text())
EXPECTED = _DATA["event"]
# Problems caused by other stages (see expected.toml): required exactly, so a fix shows up.
KNOWN = sorted(k["problem"] for k in _DATA.get("known", []))


def _code(paths: list[str], resources) -> list[tuple[Article, list[Mention]]]:
    from vigil.ingest import read_inputs
    from vigil.pipeline import code_articles

    read = list(read_inputs(paths))
    assert [x for x in read if not isinstance(x, Article)] == []  # every fixture is readable
    articles = [a for a in read if isinstance(a, Article)]
    return list(code_articles(articles, resources))


@pytest.fixture(scope="module")
def coded(resources) -> list[tuple[Article, list[Mention]]]:
    return _code([str(HERE / "articles")], resources)


def _events_by_file(store: Store) -> dict[str, set[str]]:
    """File name -> ids of the events its mentions belong to."""
    from sqlalchemy import select

    q = select(s.articles.c.origin, s.event_mentions.c.event_id).join(
        s.event_mentions, s.event_mentions.c.article_id == s.articles.c.id
    )
    out: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for origin, event_id in conn.execute(q):
            out.setdefault(Path(origin).name, set()).add(event_id)
    return out


def _ingest(url: str, items) -> Store:
    store = open_store(url)
    for article, mentions in items:
        store.add_article(article, mentions)
    return store


def _check_clusters(store: Store) -> list[str]:
    """Problems with the clusters: a listed event split, or two listed events merged."""
    by_file = _events_by_file(store)
    problems = []
    owner: dict[str, str] = {}
    for ev in EXPECTED:
        ids = set().union(*(by_file.get(f, set()) for f in ev["files"]))
        missing = [f for f in ev["files"] if f not in by_file]
        if missing:
            problems.append(f"{ev['name']}: no event for {missing}")
        if len(ids) > 1:
            problems.append(f"{ev['name']}: split over {len(ids)} events")
        for i in ids:
            if i in owner and owner[i] != ev["name"]:
                problems.append(f"{ev['name']} merged with {owner[i]}")
            owner[i] = ev["name"]
    return problems


def test_reports_fuse_into_the_listed_events_and_look_alikes_stay_apart(db_url, coded) -> None:  # noqa: F811
    store = _ingest(db_url, coded)
    try:
        assert [p for p in _check_clusters(store) if p not in KNOWN] == []
    finally:
        store.close()


@pytest.mark.parametrize("problem", KNOWN)
def test_known_gaps_are_still_there(tmp_path, coded, problem) -> None:
    """Each gap listed in expected.toml must still be there: when another stage fixes it, this
    fails until the entry leaves the list (so the cluster test above checks it again)."""
    store = _ingest(f"sqlite:///{tmp_path / 'k.db'}", coded)
    try:
        assert problem in _check_clusters(store)
    finally:
        store.close()


def test_ingestion_order_does_not_change_the_events(tmp_path, coded) -> None:
    forward = _ingest(f"sqlite:///{tmp_path / 'f.db'}", coded)
    backward = _ingest(f"sqlite:///{tmp_path / 'b.db'}", list(reversed(coded)))

    def partition(store: Store) -> set[frozenset[str]]:
        by_event: dict[str, set[str]] = {}
        for name, ids in _events_by_file(store).items():
            for i in ids:
                by_event.setdefault(i, set()).add(name)
        return {frozenset(v) for v in by_event.values()}

    assert partition(forward) == partition(backward)
    forward.close()
    backward.close()


@pytest.mark.parametrize("ev", [e for e in EXPECTED if "killed" in e], ids=lambda e: e["name"].split(" (")[0])
def test_fatalities_follow_the_rule(tmp_path, coded, ev) -> None:
    store = _ingest(f"sqlite:///{tmp_path / 'v.db'}", coded)
    by_file = _events_by_file(store)
    # The event holding most of the listed reports (the cluster test checks that it holds all).
    votes = Counter(i for f in ev["files"] for i in by_file.get(f, ()))
    ids = {votes.most_common(1)[0][0]} if votes else set()
    assert len(ids) == 1
    record = store.event(next(iter(ids)))
    assert record is not None
    r = record.record
    assert [r.fatalities_best, r.fatalities_low, r.fatalities_high] == ev["killed"]
    store.close()


def test_every_claim_is_kept_with_its_source(db_url, coded) -> None:  # noqa: F811
    store = _ingest(db_url, coded)
    (event_id,) = _events_by_file(store)["djibo-3.txt"]
    detail = store.event(event_id)
    assert detail is not None
    kept = {(c.value, c.source_kind) for m in detail.mentions for c in m.claims if c.kind == "killed"}
    members = {m.key for m in detail.mentions}
    written = {
        (c.value, c.source_kind)
        for _a, ms in coded
        for m in ms
        if m.key in members
        for c in m.claims
        if c.kind == "killed"
    }
    assert kept == written and (40, "perpetrator") in kept
    claim = next(c for m in detail.mentions for c in m.claims if c.value == 40)
    assert "JNIM" in (claim.source or "") or "Jama'at" in (claim.source or "")
    text = detail.articles[
        next(m.article_id for m in detail.mentions if 40 in [c.value for c in m.claims])
    ].text
    assert text[claim.span.start : claim.span.end] == claim.span.text
    store.close()


def test_reference_article_and_two_reports_of_the_ambush_are_one_event(tmp_path, shared, resources) -> None:
    items = _code(
        [
            str(shared / "data/seed/niger-teguey-2024-03-23.txt"),
            str(HERE / "articles/teguey-is-claim.txt"),
            str(HERE / "articles/teguey-toll-update.txt"),
        ],
        resources,
    )
    store = _ingest(f"sqlite:///{tmp_path / 'ref.db'}", items)
    by_file = _events_by_file(store)
    ids = (
        by_file["niger-teguey-2024-03-23.txt"]
        | by_file["teguey-is-claim.txt"]
        | by_file["teguey-toll-update.txt"]
    )
    assert len(ids) == 1
    detail = store.event(next(iter(ids)))
    assert detail is not None and detail.record.n_reports == 3
    soldiers = next(f for f in detail.fatalities if f.group == "soldiers")
    assert (soldiers.best, soldiers.low, soldiers.high) == (25, 23, 30)
    store.close()


def test_reference_article_alone_gives_the_readme_figures(tmp_path, shared, resources) -> None:
    items = _code([str(shared / "data/seed/niger-teguey-2024-03-23.txt")], resources)
    store = _ingest(f"sqlite:///{tmp_path / 'ref-alone.db'}", items)
    (event_id,) = _events_by_file(store)["niger-teguey-2024-03-23.txt"]
    detail = store.event(event_id)
    assert detail is not None
    figures = {f.group: (f.best, f.low, f.high) for f in detail.fatalities}
    # README "How fatalities are counted": soldiers 23/23/30, attackers 30/0/30, total 53/23/60.
    assert figures["soldiers"] == (23, 23, 30)
    assert figures["attackers"] == (30, 0, 30)
    assert figures[None] == (53, 23, 60)
    assert detail.record.injuries == 17
    store.close()
