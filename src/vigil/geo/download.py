"""Fetching GeoNames dump files (only when a user runs `vigil gazetteer download`).

The base URL is a parameter so that a mirror, or the local server a test starts, can stand in
for https://download.geonames.org/export/dump/. Files are written to a temporary name and
renamed when complete, so an interrupted download never leaves a file that looks whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx

from vigil.errors import ResourceError

GEONAMES_DUMP = "https://download.geonames.org/export/dump/"
TEXT_FILES = {"admin1codesascii": "admin1CodesASCII.txt", "admin2codes": "admin2Codes.txt",
              "countryinfo": "countryInfo.txt"}
ZIP_FILES = {"allcountries": "allCountries.zip", "cities500": "cities500.zip", "cities1000": "cities1000.zip",
             "cities5000": "cities5000.zip", "cities15000": "cities15000.zip"}
CODE = re.compile(r"^[A-Za-z]{2}$")


def file_name(what: str) -> str:
    """The dump file for a country code ("NE" -> "NE.zip") or a named file ("cities15000")."""
    key = what.lower().removesuffix(".zip").removesuffix(".txt")
    if key in TEXT_FILES:
        return TEXT_FILES[key]
    if key in ZIP_FILES:
        return ZIP_FILES[key]
    if CODE.match(what):
        return f"{what.upper()}.zip"
    valid = ", ".join([*TEXT_FILES.values(), *ZIP_FILES.values()])
    raise ResourceError(f"{what!r} is neither a two-letter country code nor a GeoNames file ({valid})")


def download(what: str, dest: Path, base_url: str = GEONAMES_DUMP, *, timeout: float = 60.0,
             on_progress: Callable[[int, int], None] | None = None) -> Path:
    """Download one dump file into the folder ``dest``; returns its path."""
    name = file_name(what)
    url = base_url.rstrip("/") + "/" + name
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / name
    partial = dest / (name + ".part")
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise ResourceError(f"{url}: HTTP {response.status_code}")
            total = int(response.headers.get("content-length") or 0)
            done = 0
            with partial.open("wb") as out:
                for chunk in response.iter_bytes(1 << 20):
                    out.write(chunk)
                    done += len(chunk)
                    if on_progress:
                        on_progress(done, total)
            if total and done != total:
                raise ResourceError(f"{url}: the download stopped at {done} of {total} bytes; try again")
    except httpx.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise ResourceError(f"{url}: download failed ({exc}); check the address or the network") from exc
    except ResourceError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target
