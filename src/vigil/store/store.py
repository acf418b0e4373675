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

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update
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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store(ReadMixin):
    """A Vigil database. Open it with ``open_store(url)``; read methods come from ``ReadMixin``."""

    def __init__(self, engine: Engine, fuse_config: FuseConfig | None = None) -> None:
        self.engine = engine
        self.fuse_config = fuse_config or load_fuse_config()

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
        try:
            with write_transaction(self.engine) as conn:
                if conn.execute(select(s.articles.c.id).where(s.articles.c.id == article.id)).first():
                    return False
                self._write_article(conn, article, mentions)
                if fuse_now:
                    self._fuse_into(conn, [m for m in mentions if not m.background])
                return True
        except SQLAlchemyError as exc:
            raise StoreError(
                f"{self.url}: article {article.id} ({article.origin or 'no origin'}): {exc}"
            ) from exc

    def add_rejection(self, origin: str, problem: str) -> None:
        """Record an input that could not be read; the same origin and problem are kept once."""
        try:
            with write_transaction(self.engine) as conn:
                self._insert_ignore(
                    conn, s.rejections, [{"origin": origin, "problem": problem, "at": _now()}]
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.url}: rejection of {origin}: {exc}") from exc

    def _write_article(self, conn: Connection, article: Article, mentions: Sequence[Mention]) -> None:
        for m in mentions:
            if m.article_id != article.id:
                raise StoreError(
                    f"mention {m.key} does not belong to article {article.id} ({article.origin})"
                )
        places, actors = referenced(mentions)
        self._insert_ignore(conn, s.places, [place_row(p) for p in places.values()])
        self._insert_ignore(conn, s.actors, [actor_row(a) for a in actors.values()])
        conn.execute(
            insert(s.articles),
            {
                "id": article.id,
                "url": article.url,
                "source": article.source,
                "title": article.title,
                "published": article.published,
                "text": article.text,
                "language": article.language,
                "origin": article.origin,
                "ingested_at": _now(),
            },
        )
        mrows, crows, arows = [], [], []
        for m in mentions:
            row, claims, roles = mention_rows(m)
            mrows.append(row)
            crows.extend(claims)
            arows.extend(roles)
        for table, rows in ((s.mentions, mrows), (s.claims, crows), (s.mention_actors, arows)):
            if rows:
                conn.execute(insert(table), rows)

    # -- incremental fusion ----------------------------------------------------------------

    def _candidate_event_ids(self, conn: Connection, new: Sequence[Mention]) -> list[str]:
        """Events with a member in the blocking window of a new mention, oldest first."""
        windows = self.fuse_config.windows
        m_ = s.mentions.c
        clauses = []
        for m in new:
            place = m.location.place
            code = place.country_code if place else None
            d = m.date.value
            own = windows.get(m.date.precision, windows["year"])
            near = [m_.date.between(d - dt.timedelta(days=own), d + dt.timedelta(days=own))]
            for precision, w in windows.items():
                if w > own:  # a coarser stored date has a wider window of its own
                    near.append(
                        and_(
                            m_.date_precision == precision,
                            m_.date.between(d - dt.timedelta(days=w), d + dt.timedelta(days=w)),
                        )
                    )
            country = m_.country_code == code if code else m_.country_code.is_(None)
            clauses.append(and_(country, or_(*near)))
        q = (
            select(s.events.c.id)
            .distinct()
            .select_from(
                s.mentions.join(
                    s.event_mentions,
                    and_(s.event_mentions.c.article_id == m_.article_id, s.event_mentions.c.idx == m_.idx),
                ).join(s.events, s.events.c.id == s.event_mentions.c.event_id)
            )
            .where(or_(*clauses))
        )
        ids = [r[0] for r in conn.execute(q)]
        if not ids:
            return []
        order = conn.execute(select(s.events.c.id).where(s.events.c.id.in_(ids)).order_by(s.events.c.seq))
        return [r[0] for r in order]

    def _fuse_into(self, conn: Connection, new: Sequence[Mention]) -> None:
        if not new:
            return
        ids = self._candidate_event_ids(conn, new)
        members = self._load_event_mentions(conn, ids)
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
        article_ids = {m.article_id for m in new} | {m.article_id for e in existing for m in e.mentions}
        info = {
            r.id: (r.published, r.source)
            for r in conn.execute(
                select(s.articles.c.id, s.articles.c.published, s.articles.c.source).where(
                    s.articles.c.id.in_(article_ids)
                )
            )
        }
        result = fuse(new, existing, config=self.fuse_config, published={k: v[0] for k, v in info.items()})
        before = {e.id: {m.key for m in e.mentions} for e in existing}
        after = {e.id for e in result}
        gone = [i for i in before if i not in after]
        if gone:
            conn.execute(delete(s.event_mentions).where(s.event_mentions.c.event_id.in_(gone)))
            self._delete_event_rows(conn, gone)
        seq = conn.execute(select(func.coalesce(func.max(s.events.c.seq), 0))).scalar_one()
        for ev in result:
            if ev.id in before and before[ev.id] == {m.key for m in ev.mentions}:
                continue  # untouched by the new report
            row = self._event_row(ev, {k: v[1] for k, v in info.items()})
            if ev.id in before:
                conn.execute(update(s.events).where(s.events.c.id == ev.id).values(**row))
                self._delete_event_rows(conn, [ev.id], keep_event=True)
            else:
                seq += 1
                conn.execute(insert(s.events).values(id=ev.id, seq=seq, **row))
            self._write_event_children(conn, ev)

    def _delete_event_rows(self, conn: Connection, ids: Sequence[str], keep_event: bool = False) -> None:
        for table in (s.event_mentions, s.event_fatalities, s.event_actors):
            conn.execute(delete(table).where(table.c.event_id.in_(ids)))
        if not keep_event:
            conn.execute(delete(s.events).where(s.events.c.id.in_(ids)))

    def _write_event_children(self, conn: Connection, ev: Event) -> None:
        conn.execute(
            insert(s.event_mentions),
            [{"article_id": m.article_id, "idx": m.index, "event_id": ev.id} for m in ev.mentions],
        )
        fat = [
            {"event_id": ev.id, "grp": f.group, "best": f.best, "low": f.low, "high": f.high}
            for f in ev.fatalities
            if f.group is not None
        ]
        if fat:
            conn.execute(insert(s.event_fatalities), fat)
        roles = sorted({(a.actor.id[:200], a.role) for a in ev.actors})
        if roles:
            conn.execute(
                insert(s.event_actors), [{"event_id": ev.id, "actor_id": a, "role": r} for a, r in roles]
            )

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

    def refuse_all(self) -> int:
        """Rebuild every event from the stored mentions (after a change of fusion parameters),
        article by article in ingestion order, as the incremental path would; returns the count."""
        with write_transaction(self.engine) as conn:
            self._delete_event_rows(conn, [r[0] for r in conn.execute(select(s.events.c.id))])
            order = conn.execute(select(s.articles.c.id).order_by(s.articles.c.ingested_at, s.articles.c.id))
            for (article_id,) in list(order):
                ms = self._load_mentions(conn, [article_id])
                self._fuse_into(conn, [m for m in ms if not m.background])
            return int(conn.execute(select(func.count()).select_from(s.events)).scalar_one())


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


def store_many(store: Store, items: Iterable[tuple[Article, list[Mention]]]) -> tuple[int, int]:
    """Store (article, mentions) pairs; returns (added, already there)."""
    added = skipped = 0
    for article, mentions in items:
        if store.add_article(article, mentions):
            added += 1
        else:
            skipped += 1
    return added, skipped
