"""The database schema: one SQLAlchemy Core ``MetaData`` for SQLite and PostgreSQL.

Tables (every span is stored as start/end offsets into ``articles.text`` plus the text itself,
so that the tables read well in any SQLite tool without joins):

    articles        one row per article, keyed by the hash of its normalised text
    rejections      inputs that could not be read, with the problem (unique per origin+problem)
    actors, places  the dictionary actors and gazetteer places that mentions refer to
    mentions        one article's report of one event; key (article_id, idx)
    claims          the numbers a mention reports (killed, injured...), with who says so
    mention_actors  the actors a mention involves, with their role and span
    events          the fused records; ``seq`` orders them by creation (the oldest id wins a merge)
    event_mentions  membership: each mention belongs to at most one event
    event_fatalities best/low/high per victim group
    event_actors    the actors of an event by role, for filtering

The view ``events_acled`` (created by the migrations) gives the events with ACLED's column names.

New databases are created by the Alembic migrations (``migrations/``), never by
``metadata.create_all``, so that there is one path; a test checks that the migrated database
matches this module.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Named constraints so that Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(64)

articles = Table(
    "articles",
    metadata,
    Column("id", ID, primary_key=True),
    Column("url", Text),
    Column("source", Text),
    Column("title", Text),
    Column("published", Date, index=True),
    Column("text", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("origin", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("problem", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("origin", "problem", name="uq_rejections_origin_problem"),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("country", String(2)),
    Column("known", Boolean, nullable=False),
    Column("aliases", Text),  # JSON list
)

places = Table(
    "places",
    metadata,
    Column("id", String(200), primary_key=True),  # "gn:<geonameid>" or "name:<cc>:<admin1>:<name>"
    Column("name", Text, nullable=False),
    Column("geonameid", Integer),
    Column("country_code", String(2)),
    Column("country", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("feature_class", String(1)),
    Column("feature_code", String(10)),
    Column("population", Integer),
)

mentions = Table(
    "mentions",
    metadata,
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(80), nullable=False),
    Column("date", Date, nullable=False),
    Column("date_precision", String(8), nullable=False),
    Column("date_start", Integer),
    Column("date_end", Integer),
    Column("date_text", Text),
    Column("date_reason", Text),
    Column("place_id", String(200), ForeignKey("places.id")),
    Column("toponym", Text),
    Column("country_code", String(2)),
    Column("country", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", Integer, nullable=False),
    Column("location_start", Integer),
    Column("location_end", Integer),
    Column("location_text", Text),
    Column("location_reason", Text),
    Column("background", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reasons", Text),  # JSON list of every fallback taken
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence_text", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("trigger_text", Text, nullable=False),
    Column("responsibility_actor_id", String(200), ForeignKey("actors.id")),
    Column("responsibility_start", Integer),
    Column("responsibility_end", Integer),
    Column("responsibility_text", Text),
    Index("ix_mentions_country_date", "country_code", "date"),
)

claims = Table(
    "claims",
    metadata,
    Column("article_id", ID, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("value", Integer, nullable=False),
    Column("low", Integer),
    Column("high", Integer),
    Column("exact", Boolean, nullable=False),
    Column("hedge", Text),
    Column("grp", Text),  # whom it counts; "group" is an SQL keyword
    Column("source", Text),
    Column("source_kind", String(16), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("span_text", Text, nullable=False),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("source_text", Text),
    ForeignKeyConstraint(
        ["article_id", "idx"],
        ["mentions.article_id", "mentions.idx"],
        name="fk_claims_mention",
        ondelete="CASCADE",
    ),
)

mention_actors = Table(
    "mention_actors",
    metadata,
    Column("article_id", ID, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("actor_id", String(200), ForeignKey("actors.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("span_text", Text, nullable=False),
    ForeignKeyConstraint(
        ["article_id", "idx"],
        ["mentions.article_id", "mentions.idx"],
        name="fk_mention_actors_mention",
        ondelete="CASCADE",
    ),
)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # creation order; the oldest id survives a merge
    Column("date", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("date_precision", String(8), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(80), nullable=False),
    Column("country_code", String(2)),
    Column("country", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("location", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", Integer, nullable=False),
    Column("actor1", Text),
    Column("assoc_actor_1", Text),
    Column("inter1", Integer),
    Column("actor2", Text),
    Column("assoc_actor_2", Text),
    Column("inter2", Integer),
    Column("fatalities_best", Integer, nullable=False),
    Column("fatalities_low", Integer, nullable=False),
    Column("fatalities_high", Integer, nullable=False),
    Column("injuries", Integer),
    Column("n_reports", Integer, nullable=False),  # distinct articles
    Column("n_mentions", Integer, nullable=False),
    Column("sources", Text),  # "; "-joined publishers, for the ACLED view
    Column("notes", Text),  # the evidence sentence of the first report
    Column("disagreements", Text),  # JSON list
    Column("confidence", Float, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Key columns, then seq (the API's tie-break), then fatalities_best where it lets the index
    # cover /api/stats' sums and the minimum-fatalities filter (migration 0002 measures them).
    Index("ix_events_date_seq", "date", "seq", "fatalities_best"),
    Index("ix_events_country_date_seq", "country_code", "date", "seq", "fatalities_best"),
    Index("ix_events_admin1_date_seq", "admin1", "date", "seq"),
    Index("ix_events_type_date_seq", "event_type", "date", "seq", "fatalities_best"),
    Index("ix_events_fatalities_seq", "fatalities_best", "seq"),
    Index("ix_events_lat_lon", "lat", "lon"),
    Index("ix_events_admin1_fatalities_seq", "admin1", "fatalities_best", "seq"),
    Index("ix_events_country_names", "country_code", "country", "fatalities_best"),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("article_id", ID, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    ForeignKeyConstraint(
        ["article_id", "idx"],
        ["mentions.article_id", "mentions.idx"],
        name="fk_event_mentions_mention",
        ondelete="CASCADE",
    ),
)

event_fatalities = Table(
    "event_fatalities",
    metadata,
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("grp", String(80), primary_key=True),
    Column("best", Integer, nullable=False),
    Column("low", Integer, nullable=False),
    Column("high", Integer, nullable=False),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(200), ForeignKey("actors.id"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Index("ix_event_actors_actor", "actor_id"),
)

# -- vigil watch (migration 0003) ----------------------------------------------------------------
# The watcher's own state: one row per article link seen in a feed, with its outcome, so that a
# restart never fetches a finished link again and never stores its article twice.
watch_urls = Table(
    "watch_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("status", String(16), nullable=False),  # stored | duplicate | rejected | retry
    Column("article_id", String(64), index=True),
    Column("problem", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("feed", Text),
    Column("updated", DateTime, nullable=False),
)
