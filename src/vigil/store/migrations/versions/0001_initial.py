"""Initial schema: articles, mentions, claims, actors, places, events and the events_acled view.

Revision ID: 0001
Revises: -
Create Date: 2026-11-25 11:50:32.268832
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# ACLED's column names over `events`. Plain SQL that SQLite and PostgreSQL both read.
EVENTS_ACLED_VIEW = """
CREATE VIEW events_acled AS
SELECT
    e.id AS event_id_cnty,
    e.date AS event_date,
    e.year AS year,
    CASE e.date_precision WHEN 'day' THEN 1 WHEN 'week' THEN 2 ELSE 3 END AS time_precision,
    CASE
        WHEN e.event_type IN ('Protests', 'Riots') THEN 'Demonstrations'
        WHEN e.event_type = 'Strategic developments' THEN 'Strategic developments'
        ELSE 'Political violence'
    END AS disorder_type,
    e.event_type AS event_type,
    e.sub_event_type AS sub_event_type,
    e.actor1 AS actor1,
    e.assoc_actor_1 AS assoc_actor_1,
    e.inter1 AS inter1,
    e.actor2 AS actor2,
    e.assoc_actor_2 AS assoc_actor_2,
    e.inter2 AS inter2,
    COALESCE(e.inter1, 0) * 10 + COALESCE(e.inter2, 0) AS interaction,
    CASE WHEN e.event_type = 'Violence against civilians' OR e.inter2 = 7
         THEN 'Civilian targeting' ELSE NULL END AS civilian_targeting,
    e.country_code AS iso,
    NULL AS region,
    e.country AS country,
    e.admin1 AS admin1,
    e.admin2 AS admin2,
    NULL AS admin3,
    e.location AS location,
    e.lat AS latitude,
    e.lon AS longitude,
    e.geo_precision AS geo_precision,
    e.sources AS source,
    NULL AS source_scale,
    e.notes AS notes,
    e.fatalities_best AS fatalities,
    NULL AS tags,
    e.updated_at AS timestamp
FROM events e
"""


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_published"), ["published"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("date_precision", sa.String(length=8), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("sub_event_type", sa.String(length=80), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=False),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("assoc_actor_1", sa.Text(), nullable=True),
        sa.Column("inter1", sa.Integer(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("assoc_actor_2", sa.Text(), nullable=True),
        sa.Column("inter2", sa.Integer(), nullable=True),
        sa.Column("fatalities_best", sa.Integer(), nullable=False),
        sa.Column("fatalities_low", sa.Integer(), nullable=False),
        sa.Column("fatalities_high", sa.Integer(), nullable=False),
        sa.Column("injuries", sa.Integer(), nullable=True),
        sa.Column("n_reports", sa.Integer(), nullable=False),
        sa.Column("n_mentions", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("disagreements", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_events_seq")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_admin1_date", ["admin1", "date"], unique=False)
        batch_op.create_index("ix_events_country_date", ["country_code", "date"], unique=False)
        batch_op.create_index("ix_events_date", ["date"], unique=False)
        batch_op.create_index("ix_events_fatalities", ["fatalities_best"], unique=False)
        batch_op.create_index("ix_events_lat_lon", ["lat", "lon"], unique=False)
        batch_op.create_index("ix_events_type_date", ["event_type", "date"], unique=False)

    op.create_table(
        "places",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("feature_class", sa.String(length=1), nullable=True),
        sa.Column("feature_code", sa.String(length=10), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejections")),
        sa.UniqueConstraint("origin", "problem", name="uq_rejections_origin_problem"),
    )
    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], name=op.f("fk_event_actors_actor_id_actors")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_actors_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "actor_id", "role", name=op.f("pk_event_actors")),
    )
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.create_index("ix_event_actors_actor", ["actor_id"], unique=False)

    op.create_table(
        "event_fatalities",
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("grp", sa.String(length=80), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("low", sa.Integer(), nullable=False),
        sa.Column("high", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_fatalities_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "grp", name=op.f("pk_event_fatalities")),
    )
    op.create_table(
        "mentions",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("sub_event_type", sa.String(length=80), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=8), nullable=False),
        sa.Column("date_start", sa.Integer(), nullable=True),
        sa.Column("date_end", sa.Integer(), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("date_reason", sa.Text(), nullable=True),
        sa.Column("place_id", sa.String(length=200), nullable=True),
        sa.Column("toponym", sa.Text(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=False),
        sa.Column("location_start", sa.Integer(), nullable=True),
        sa.Column("location_end", sa.Integer(), nullable=True),
        sa.Column("location_text", sa.Text(), nullable=True),
        sa.Column("location_reason", sa.Text(), nullable=True),
        sa.Column("background", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("trigger_start", sa.Integer(), nullable=False),
        sa.Column("trigger_end", sa.Integer(), nullable=False),
        sa.Column("trigger_text", sa.Text(), nullable=False),
        sa.Column("responsibility_actor_id", sa.String(length=200), nullable=True),
        sa.Column("responsibility_start", sa.Integer(), nullable=True),
        sa.Column("responsibility_end", sa.Integer(), nullable=True),
        sa.Column("responsibility_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_mentions_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], name=op.f("fk_mentions_place_id_places")),
        sa.ForeignKeyConstraint(
            ["responsibility_actor_id"],
            ["actors.id"],
            name=op.f("fk_mentions_responsibility_actor_id_actors"),
        ),
        sa.PrimaryKeyConstraint("article_id", "idx", name=op.f("pk_mentions")),
    )
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index("ix_mentions_country_date", ["country_code", "date"], unique=False)

    op.create_table(
        "claims",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("low", sa.Integer(), nullable=True),
        sa.Column("high", sa.Integer(), nullable=True),
        sa.Column("exact", sa.Boolean(), nullable=False),
        sa.Column("hedge", sa.Text(), nullable=True),
        sa.Column("grp", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("span_text", sa.Text(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id", "idx"],
            ["mentions.article_id", "mentions.idx"],
            name="fk_claims_mention",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "idx", "n", name=op.f("pk_claims")),
    )
    op.create_table(
        "event_mentions",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id", "idx"],
            ["mentions.article_id", "mentions.idx"],
            name="fk_event_mentions_mention",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_mentions_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", "idx", name=op.f("pk_event_mentions")),
    )
    with op.batch_alter_table("event_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_mentions_event_id"), ["event_id"], unique=False)

    op.create_table(
        "mention_actors",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("span_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], name=op.f("fk_mention_actors_actor_id_actors")),
        sa.ForeignKeyConstraint(
            ["article_id", "idx"],
            ["mentions.article_id", "mentions.idx"],
            name="fk_mention_actors_mention",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "idx", "n", name=op.f("pk_mention_actors")),
    )
    with op.batch_alter_table("mention_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mention_actors_actor_id"), ["actor_id"], unique=False)
    op.execute(EVENTS_ACLED_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS events_acled")
    with op.batch_alter_table("mention_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_actors_actor_id"))

    op.drop_table("mention_actors")
    with op.batch_alter_table("event_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_mentions_event_id"))

    op.drop_table("event_mentions")
    op.drop_table("claims")
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_country_date")

    op.drop_table("mentions")
    op.drop_table("event_fatalities")
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index("ix_event_actors_actor")

    op.drop_table("event_actors")
    op.drop_table("rejections")
    op.drop_table("places")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_type_date")
        batch_op.drop_index("ix_events_lat_lon")
        batch_op.drop_index("ix_events_fatalities")
        batch_op.drop_index("ix_events_date")
        batch_op.drop_index("ix_events_country_date")
        batch_op.drop_index("ix_events_admin1_date")

    op.drop_table("events")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_published"))

    op.drop_table("articles")
    op.drop_table("actors")
