"""Alembic environment for Vigil's store.

Vigil runs the migrations itself (``vigil db upgrade``, ``open_store``) and hands Alembic an
open connection in ``config.attributes["connection"]``; there is no alembic.ini to keep in
sync. For ``alembic`` on the command line, set ``sqlalchemy.url`` in a config of your own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from vigil.store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)
