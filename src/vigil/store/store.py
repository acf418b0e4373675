"""The write side of the store: articles with their mentions, rejections, and incremental fusion.

``add_article`` is one transaction holding the database's write lock (see ``engine``): the
article, its mentions, claims and actors, and the fusion of its mentions into the stored events
are all there or none of it is. The article id (the hash of its normalised text) is the key,
so a re-run, or a second process given the same file, adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from vigil.errors import StoreError
from vigil.fuse import FuseConfig, fuse, load_fuse_config
from vigil.store import schema as s
from vigil.store.engine import current_revision, head_revision, make_engine, upgrade, write_transaction
from vigil.store.query import ReadMixin
from vigil.store.rows import actor_row, mention_rows, place_row, referenced
from vigil.types import ActorKind, Article, Event, Mention

# ACLED's "inter" codes by actor kind.
INTER = {
    ActorKind.STATE_FORCES: 1,
    ActorKind.REBEL_GROUP: 2,
    ActorKind.POLITICAL_MILITIA: 3,
    ActorKind.IDENTITY_MILITIA: 4,
    ActorKind.RIOTERS: 5,
    ActorKind.PROTESTERS: 6,
    ActorKind.CIVILIANS: 7,
    ActorKind.EXTERNAL_FORCES: 8,
    ActorKind.OTHER: 8,
}


# Statements built once: building SQLAlchemy expressions per article cost more than running them.
_m, _em, _a = s.mentions.c, s.event_mentions.c, s.articles.c
_ARTICLE_EXISTS = select(_a.id).where(_a.id == bindparam("id"))
_INSERT_ARTICLE = insert(s.articles)
_INSERT_MENTIONS = insert(s.mentions)
_INSERT_CLAIMS = insert(s.claims)
_INSERT_ROLES = insert(s.mention_actors)
_INSERT_EVENT = insert(s.events)
_UPDATE_EVENT = update(s.events).where(s.events.c.id == bindparam("_id"))
_ARTICLES_IN = select(_a.id).where(_a.id.in_(bindparam("ids", expanding=True)))
_MAX_SEQ = select(func.coalesce(func.max(s.events.c.seq), 0))
_EVENTS_BY_SEQ = (
    select(s.events.c.id).where(s.events.c.id.in_(bindparam("ids", expanding=True))).order_by(s.events.c.seq)
)
_ARTICLE_INFO = select(_a.id, _a.published, _a.source).where(_a.id.in_(bindparam("ids", expanding=True)))
_MEMBERS = (
    select(_em.event_id, _em.article_id, _em.idx)
    .join(s.articles, _a.id == _em.article_id)
    .where(_em.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(_a.ingested_at, _em.article_id, _em.idx)
)
_WINDOW = or_(
    _m.date.between(bindparam("lo"), bindparam("hi")),
    and_(_m.date_precision != "day", _m.date.between(bindparam("lo2"), bindparam("hi2"))),
)
_MEMBERSHIP = s.mentions.join(s.event_mentions, and_(_em.article_id == _m.article_id, _em.idx == _m.idx))
_CANDIDATES = (
    select(_em.event_id)
    .distinct()
    .select_from(_MEMBERSHIP)
    .where(_m.country_code == bindparam("cc"), _WINDOW)
)
_CANDIDATES_NO_COUNTRY = (
    select(_em.event_id).distinct().select_from(_MEMBERSHIP).where(_m.country_code.is_(None), _WINDOW)
)
# Mentions kept in memory for fusion (they never change once stored); cleared past this size.
MENTION_CACHE = 200_000


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store(ReadMixin):
    """A Vigil database. Open it with ``open_store(url)``; read methods come from ``ReadMixin``."""

    def __init__(self, engine: Engine, fuse_config: FuseConfig | None = None) -> None:
        self.engine = engine
        self.fuse_config = fuse_config or load_fuse_config()
        # What this process knows is stored (filled after each commit): saves a round trip per
        # article for the places, actors, mentions and article dates that fusion reads back.
        self._known_places: set[str] = set()
        self._known_actors: set[str] = set()
        self._mentions: dict[str, Mention] = {}
        self._articles: dict[str, tuple[dt.date | None, str | None]] = {}

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def _insert_ignore(self, conn: Connection, table: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows, skipping those whose key is already there (actors, places, rejections)."""
        if not rows:
            return
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(table).on_conflict_do_nothing(), list(rows))

    def add_article(self, article: Article, mentions: Sequence[Mention], *, fuse_now: bool = True) -> bool:
        """Store the article with its mentions and fuse them into the events, in one transaction.

        Returns False (and changes nothing) when the article is already stored."""
        return self.add_articles([(article, mentions)], fuse_now=fuse_now)[0]

    def add_articles(
        self, items: Sequence[tuple[Article, Sequence[Mention]]], *, fuse_now: bool = True
    ) -> list[bool]:
        """Store several articles, each whole with its mentions, in one transaction, then fuse
        their mentions into the events in the same transaction; per article, False when it was
        already stored (or appears twice). A failure stores none of them.

        One transaction for a batch keeps every article whole (all its rows or none) and pays
        the commit, the lock and the fusion set-up once per batch instead of once per article."""
        try:
            with write_transaction(self.engine) as conn:
                ids = [a.id for a, _ms in items]
                stored = {r[0] for r in conn.execute(_ARTICLES_IN, {"ids": ids})} if ids else set()
                added: list[bool] = []
                fresh: list[tuple[Article, Sequence[Mention]]] = []
                for article, mentions in items:
                    ok = article.id not in stored
                    stored.add(article.id)
                    added.append(ok)
                    if ok:
                        fresh.append((article, mentions))
                if not fresh:
                    return added
                places, actors = self._write_articles(conn, fresh)
                if fuse_now:
                    self._fuse_into(conn, [m for _a, ms in fresh for m in ms if not m.background], fresh)
        except SQLAlchemyError as exc:
            where = ", ".join(f"{a.id} ({a.origin or 'no origin'})" for a, _ms in items[:3])
            raise StoreError(f"{self.url}: article(s) {where}: {exc}") from exc
        # Only now, after the commit: a rolled-back row must not be taken as stored.
        self._known_places |= places
        self._known_actors |= actors
        if len(self._mentions) > MENTION_CACHE:
            self._mentions.clear()
        for article, mentions in fresh:
            self._mentions.update((m.key, m) for m in mentions)
            self._articles[article.id] = (article.published, article.source)
        return added

    def add_rejection(self, origin: str, problem: str) -> None:
        """Record an input that could not be read; the same origin and problem are kept once."""
        try:
            with write_transaction(self.engine) as conn:
                self._insert_ignore(
                    conn, s.rejections, [{"origin": origin, "problem": problem, "at": _now()}]
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.url}: rejection of {origin}: {exc}") from exc

    def _write_articles(
        self, conn: Connection, items: Sequence[tuple[Article, Sequence[Mention]]]
    ) -> tuple[set[str], set[str]]:
        """Insert the rows; returns the place and actor ids written (or found there)."""
        for article, mentions in items:
            for m in mentions:
                if m.article_id != article.id:
                    raise StoreError(
                        f"mention {m.key} does not belong to article {article.id} ({article.origin})"
                    )
        places, actors = referenced(m for _a, ms in items for m in ms)
        new_places = {k: p for k, p in places.items() if k not in self._known_places}
        new_actors = {k: a for k, a in actors.items() if k not in self._known_actors}
        self._insert_ignore(conn, s.places, [place_row(p) for p in new_places.values()])
        self._insert_ignore(conn, s.actors, [actor_row(a) for a in new_actors.values()])
        now = _now()
        conn.execute(
            _INSERT_ARTICLE,
            [
                {
                    "id": a.id,
                    "url": a.url,
                    "source": a.source,
                    "title": a.title,
                    "published": a.published,
                    "text": a.text,
                    "language": a.language,
                    "origin": a.origin,
                    # Microseconds apart, so that ingestion order survives in the column.
                    "ingested_at": now + dt.timedelta(microseconds=n),
                }
                for n, (a, _ms) in enumerate(items)
            ],
        )
        mrows, crows, arows = [], [], []
        for _a, mentions in items:
            for m in mentions:
                row, claims, roles = mention_rows(m)
                mrows.append(row)
                crows.extend(claims)
                arows.extend(roles)
        for stmt, rows in ((_INSERT_MENTIONS, mrows), (_INSERT_CLAIMS, crows), (_INSERT_ROLES, arows)):
            if rows:
                conn.execute(stmt, rows)
        return set(new_places), set(new_actors)

    # -- incremental fusion ----------------------------------------------------------------

    def _candidate_event_ids(self, conn: Connection, new: Sequence[Mention]) -> list[str]:
        """Events with a member in the blocking window of a new mention, oldest first.

        One indexed range query per new mention on (country_code, date): the mention's own
        window, plus the widest window for the few stored mentions with a coarse date."""
        windows = self.fuse_config.windows
        widest = max(windows.values())
        ids: set[str] = set()
        for m in new:
            place = m.location.place
            code = place.country_code if place else None
            d = m.date.value
            own = max(windows.get(m.date.precision, widest), windows["day"])
            params: dict[str, Any] = {
                "lo": d - dt.timedelta(days=own),
                "hi": d + dt.timedelta(days=own),
                "lo2": d - dt.timedelta(days=widest),
                "hi2": d + dt.timedelta(days=widest),
            }
            if code:
                rows = conn.execute(_CANDIDATES, {**params, "cc": code})
            else:
                rows = conn.execute(_CANDIDATES_NO_COUNTRY, params)
            ids.update(r[0] for r in rows)
        if not ids:
            return []
        return [r[0] for r in conn.execute(_EVENTS_BY_SEQ, {"ids": list(ids)})]

    def _members(self, conn: Connection, event_ids: Sequence[str]) -> dict[str, list[Mention]]:
        """Each event's mentions in joining order, from the cache where this process wrote them."""
        rows = conn.execute(_MEMBERS, {"ids": list(event_ids)}).all()
        missing = [(r.article_id, r.idx) for r in rows if f"{r.article_id}:{r.idx}" not in self._mentions]
        if missing:
            for m in self._load_mentions(conn, (), keys=missing):
                self._mentions[m.key] = m
        out: dict[str, list[Mention]] = {}
        for r in rows:
            out.setdefault(r.event_id, []).append(self._mentions[f"{r.article_id}:{r.idx}"])
        return out

    def _article_info(self, conn: Connection, ids: set[str]) -> dict[str, tuple[dt.date | None, str | None]]:
        missing = [i for i in ids if i not in self._articles]
        if missing:
            for r in conn.execute(_ARTICLE_INFO, {"ids": missing}):
                self._articles[r.id] = (r.published, r.source)
        return {i: self._articles[i] for i in ids if i in self._articles}

    def _fuse_into(
        self,
        conn: Connection,
        new: Sequence[Mention],
        fresh: Sequence[tuple[Article, Sequence[Mention]]] = (),
    ) -> None:
        if not new:
            return
        for article, _ms in fresh:  # fusion reads the publication dates of the new articles too
            self._articles.setdefault(article.id, (article.published, article.source))
        ids = self._candidate_event_ids(conn, new)
        members = self._members(conn, ids)
        existing = [
            Event(
                id=i,
                mentions=members[i],
                event_type="",
                sub_event_type="",
                date=members[i][0].date,
                location=members[i][0].location,
            )
            for i in ids
            if members.get(i)
        ]
        info = self._article_info(
            conn, {m.article_id for m in new} | {m.article_id for e in existing for m in e.mentions}
        )
        result = fuse(new, existing, config=self.fuse_config, published={k: v[0] for k, v in info.items()})
        before = {e.id: {m.key for m in e.mentions} for e in existing}
        changed = [ev for ev in result if before.get(ev.id) != {m.key for m in ev.mentions}]
        gone = [i for i in before if i not in {e.id for e in result}]
        if gone:
            self._delete_event_rows(conn, gone)
        if not changed:
            return
        sources = {k: v[1] for k, v in info.items()}
        updated = [ev for ev in changed if ev.id in before]
        created = [ev for ev in changed if ev.id not in before]
        if updated:
            self._delete_event_rows(conn, [ev.id for ev in updated], keep_event=True)
            conn.execute(_UPDATE_EVENT, [{"_id": ev.id, **self._event_row(ev, sources)} for ev in updated])
        if created:
            seq = conn.execute(_MAX_SEQ).scalar_one()
            conn.execute(
                _INSERT_EVENT,
                [
                    {"id": ev.id, "seq": seq + n, **self._event_row(ev, sources)}
                    for n, ev in enumerate(created, 1)
                ],
            )
        self._write_event_children(conn, changed)

    def _delete_event_rows(self, conn: Connection, ids: Sequence[str], keep_event: bool = False) -> None:
        for table in (s.event_mentions, s.event_fatalities, s.event_actors):
            conn.execute(delete(table).where(table.c.event_id.in_(ids)))
        if not keep_event:
            conn.execute(delete(s.events).where(s.events.c.id.in_(ids)))

    def _write_event_children(self, conn: Connection, events: Sequence[Event]) -> None:
        members = [
            {"article_id": m.article_id, "idx": m.index, "event_id": ev.id}
            for ev in events
            for m in ev.mentions
        ]
        fat = [
            {"event_id": ev.id, "grp": f.group, "best": f.best, "low": f.low, "high": f.high}
            for ev in events
            for f in ev.fatalities
            if f.group is not None
        ]
        roles = [
            {"event_id": ev.id, "actor_id": a, "role": r}
            for ev in events
            for a, r in sorted({(x.actor.id[:200], x.role) for x in ev.actors})
        ]
        for table, rows in ((s.event_mentions, members), (s.event_fatalities, fat), (s.event_actors, roles)):
            if rows:
                conn.execute(insert(table), rows)

    @staticmethod
    def _event_row(ev: Event, sources: Mapping[str, str | None]) -> dict[str, Any]:
        place = ev.location.place
        total = ev.total_fatalities
        first = {
            1: [a for a in ev.actors if a.role == "actor1"],
            2: [a for a in ev.actors if a.role != "actor1"],
        }
        names = {k: list(dict.fromkeys(a.actor.name for a in v)) for k, v in first.items()}
        pubs = list(dict.fromkeys(sources.get(m.article_id) or "unknown source" for m in ev.mentions))
        return {
            "date": ev.date.value,
            "year": ev.date.value.year,
            "date_precision": ev.date.precision,
            "event_type": ev.event_type,
            "sub_event_type": ev.sub_event_type,
            "country_code": place.country_code if place else None,
            "country": place.country if place else None,
            "admin1": place.admin1 if place else None,
            "admin2": place.admin2 if place else None,
            "location": (place.name if place else None) or ev.location.toponym,
            "geonameid": place.geonameid if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "geo_precision": int(ev.location.precision),
            "actor1": names[1][0] if names[1] else None,
            "assoc_actor_1": "; ".join(names[1][1:]) or None,
            "inter1": INTER.get(first[1][0].actor.kind) if first[1] else None,
            "actor2": names[2][0] if names[2] else None,
            "assoc_actor_2": "; ".join(names[2][1:]) or None,
            "inter2": INTER.get(first[2][0].actor.kind) if first[2] else None,
            "fatalities_best": total.best if total else 0,
            "fatalities_low": total.low if total else 0,
            "fatalities_high": total.high if total else 0,
            "injuries": ev.injuries,
            "n_reports": len({m.article_id for m in ev.mentions}),
            "n_mentions": len(ev.mentions),
            "sources": "; ".join(pubs),
            "notes": ev.mentions[0].evidence.text,
            "disagreements": json.dumps(ev.disagreements, ensure_ascii=False),
            "confidence": max(m.confidence for m in ev.mentions),
            "updated_at": _now(),
        }


def open_store(url: str, *, migrate: bool = True, fuse_config: FuseConfig | None = None) -> Store:
    """Open the database at ``url`` (``sqlite:///vigil.db``, ``postgresql://user@host/db``).

    A new or older database is brought to the current schema by the migrations (``migrate``);
    with ``migrate=False`` an out-of-date database is a StoreError saying to run
    ``vigil db upgrade``."""
    engine = make_engine(url)
    head = head_revision()
    try:
        current = current_revision(engine)
        if current != head:
            if not migrate:
                raise StoreError(
                    f"database {url} is at schema {current or 'none'}, Vigil needs {head}: run `vigil db upgrade --db {url}`"
                )
            upgrade(engine)
    except StoreError:
        engine.dispose()
        raise
    return Store(engine, fuse_config)


def store_many(
    store: Store, items: Iterable[tuple[Article, list[Mention]]], batch: int = 32
) -> tuple[int, int]:
    """Store (article, mentions) pairs, ``batch`` articles a transaction; returns (added, already there)."""
    added = skipped = 0
    chunk: list[tuple[Article, list[Mention]]] = []

    def flush() -> None:
        nonlocal added, skipped
        results = store.add_articles(chunk)
        added += sum(results)
        skipped += len(results) - sum(results)
        chunk.clear()

    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return added, skipped
