"""Indexes of events for the API's typical queries (issue 6).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:40:00

The API sorts events by a key, then by ``seq`` (unique, the creation order) so that the order is
total and pages never repeat or skip an event. Each index below ends with ``seq`` after the key
columns, so that the index gives that whole order and a page reads only its own rows (with a
tie-break the index lacks, SQLite reads and sorts every event of each tied date or toll: all
of a day's events for the newest page, 600,000 events of toll 0 for ``sort=fatalities``).
Measured on 1,000,000 synthetic events (bench/api_bench.py), SQLite, CPU per query:
- (date), (country_code, date), (admin1, date), (event_type, date) -> (..., seq), the first,
  second and fourth also with fatalities_best last: they cover the per-day sums of /api/stats
  (unfiltered 1280 -> 78 ms, one country 320 -> 27 ms) and the minimum-fatalities filter of a
  type read newest first (type + >= 20 killed 11 -> 1 ms); the bench's mix of pages
  7.4 -> 5.1 ms of SQL for its 8 queries. (event_type, fatalities_best, date) was tried and
  dropped: SQLite chose it for ``min_fatalities=5`` and sorted every match (43 ms, not 0.5).
- (fatalities_best) -> (fatalities_best, seq) and a new (admin1, fatalities_best, seq): a
  region sorted by toll stops after one page instead of sorting the region (66 -> 0.2 ms).
- (country_code, country, fatalities_best): /api/stats?by=country (the dashboard's country
  list) reads this index alone instead of every row (1750 -> 90 ms).
ANALYZE afterwards, so that the planners know the new indexes' selectivity.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (old index, its columns) -> (new index, its columns): each new one starts with the old one's.
WIDENED = [
    (("ix_events_date", ["date"]), ("ix_events_date_seq", ["date", "seq", "fatalities_best"])),
    (
        ("ix_events_country_date", ["country_code", "date"]),
        ("ix_events_country_date_seq", ["country_code", "date", "seq", "fatalities_best"]),
    ),
    (("ix_events_admin1_date", ["admin1", "date"]), ("ix_events_admin1_date_seq", ["admin1", "date", "seq"])),
    (
        ("ix_events_type_date", ["event_type", "date"]),
        ("ix_events_type_date_seq", ["event_type", "date", "seq", "fatalities_best"]),
    ),
    (("ix_events_fatalities", ["fatalities_best"]), ("ix_events_fatalities_seq", ["fatalities_best", "seq"])),
]
ADDED = [
    ("ix_events_admin1_fatalities_seq", ["admin1", "fatalities_best", "seq"]),
    ("ix_events_country_names", ["country_code", "country", "fatalities_best"]),
]


def upgrade() -> None:
    for (old, _), (new, columns) in WIDENED:
        op.create_index(new, "events", columns)
        op.drop_index(old, table_name="events")
    for name, columns in ADDED:
        op.create_index(name, "events", columns)
    op.execute("ANALYZE events")


def downgrade() -> None:
    for name, _ in ADDED:
        op.drop_index(name, table_name="events")
    for (old, old_columns), (new, _) in WIDENED:
        op.create_index(old, "events", old_columns)
        op.drop_index(new, table_name="events")
