"""Gazetteer and toponym resolution.

``load_geocoder(settings)`` opens the gazetteer index at ``settings.gazetteer_path``, building
the default one there first when it is missing (offline, from installed packages; see
``geo.default``), and returns a ``Geocoder`` (protocol in ``geo.base``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from vigil.geo.base import Geocoder
from vigil.geo.gazetteer import Gazetteer
from vigil.geo.geocoder import GazetteerGeocoder
from vigil.settings import Settings

if TYPE_CHECKING:
    from vigil.actors import ActorDictionary

__all__ = ["Gazetteer", "GazetteerGeocoder", "Geocoder", "ensure_gazetteer", "load_geocoder"]
log = logging.getLogger(__name__)


def ensure_gazetteer(path: Path) -> Path:
    """Build the default gazetteer at ``path`` unless it already holds one."""
    import sqlite3

    from vigil.geo.default import SOURCE, build_default
    from vigil.geo.gazetteer import connect, has_skeletons

    if path.exists():
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                built = con.execute("SELECT 1 FROM sources WHERE kind = 'default' AND name = ?", (SOURCE,)).fetchone()
                current = has_skeletons(con)
            finally:
                con.close()
        except sqlite3.DatabaseError:
            built = None  # not a gazetteer yet (or an empty file): build into it
        if built:
            if not current:
                log.warning("adding the name skeletons to the gazetteer at %s (once)", path)
                try:
                    connect(path, write=True).close()  # the write connection adds them
                except sqlite3.DatabaseError as exc:  # a read-only or busy file: read it as it is
                    log.warning("could not add the name skeletons to %s (%s): names written with other "
                                "vowels are not matched until it is writable", path, exc)
            return path
    log.warning("building the default gazetteer at %s (once; about 20 s)", path)
    build_default(path)
    return path


def load_geocoder(settings: Settings, actors: ActorDictionary | None = None) -> Geocoder:
    """The geocoder over ``settings.gazetteer_path`` (built with the default data at first use).

    ``actors`` (the pipeline's dictionary; the shipped one when None) tells group names apart
    from places ("the Taliban" is not the village in Siirt) and gives the country of a text
    that names groups but no place."""
    from vigil.actors import load_actors
    from vigil.geo.words import load_words

    path = ensure_gazetteer(settings.gazetteer_path)
    return GazetteerGeocoder(Gazetteer(path), load_words(), actors if actors is not None else load_actors())
