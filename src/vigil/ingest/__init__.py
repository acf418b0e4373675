"""Ingest: files, folders, stdin and pages to normalised, English, hashed Articles.

    make_article(text, *, published, url=None, source=None, title=None, origin=None, cleaner=None)
    article_id(normalised_text)
    read_inputs(paths, *, max_bytes=20 MB, cleaner=None, stdin=None) -> Iterator[Article | InputError]
    html_article(html, where, cleaner, url=None) -> Article      (a fetched page; raises InputError)

``Cleaner.load()`` reads the boilerplate patterns and the English word list once; pass it to
``make_article`` and ``read_inputs`` when calling them many times.
"""

from __future__ import annotations

from vigil.ingest.readers import DEFAULT_MAX_BYTES, html_article, read_file, read_inputs
from vigil.ingest.text import Cleaner, article_id, make_article

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Cleaner",
    "article_id",
    "html_article",
    "make_article",
    "read_file",
    "read_inputs",
]
