"""Indexes of events for the API's typical queries (issue 6).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:40:00

Measured on 1,000,000 synthetic events (bench/api_bench.py), SQLite, CPU per query:
- (date), (country_code, date) and (event_type, date) gain fatalities_best as a last column:
  they serve every query they served before, and now also cover the per-day sums of
  /api/stats (unfiltered 1280 -> 78 ms, one country 320 -> 27 ms) and the minimum-fatalities
  filter of a type while reading events newest first (type + >= 20 killed 11 -> 1.2 ms).
  (event_type, fatalities_best, date) was tried and dropped: SQLite chose it for
  ``min_fatalities=5`` and then sorted every match by date (43 ms instead of 0.5 ms).
- (admin1, fatalities_best): a region sorted by toll stops after one page instead of sorting
  every event of the region (66 -> 0.2 ms).
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
    (("ix_events_date", ["date"]), ("ix_events_date_fatalities", ["date", "fatalities_best"])),
    (
        ("ix_events_country_date", ["country_code", "date"]),
        ("ix_events_country_date_fatalities", ["country_code", "date", "fatalities_best"]),
    ),
    (
        ("ix_events_type_date", ["event_type", "date"]),
        ("ix_events_type_date_fatalities", ["event_type", "date", "fatalities_best"]),
    ),
]
ADDED = [
    ("ix_events_admin1_fatalities", ["admin1", "fatalities_best"]),
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
