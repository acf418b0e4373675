"""Vigil's one exception tree.

    VigilError                      base of everything Vigil raises on purpose
    ├── InputError(ValueError)      an article, file or record that cannot be read; names it
    │   ├── EmptyInputError         nothing to read
    │   ├── EncodingError           bytes that are not text in the expected encoding
    │   ├── DateLineError           missing or malformed `date YYYY-MM-DD` line
    │   ├── LanguageError           text that is not English
    │   ├── TooLargeError           over the size limit
    │   └── FormatError             a file or record in the wrong shape (not JSON, no text field)
    ├── ResourceError(RuntimeError) a model, gazetteer or data file that is missing or invalid;
    │                               the message says how to fix it
    ├── StoreError(RuntimeError)    the database cannot be opened, migrated or written
    └── GoldFormatError(ValueError) an evaluation gold file that does not parse

The CLI turns a VigilError into one line on stderr and a non-zero exit; the API into one JSON
shape. Chain with ``raise ... from`` so that the cause stays visible with ``-vv``.
"""

from __future__ import annotations


class VigilError(Exception):
    """Base of every error that Vigil raises on purpose."""


class InputError(VigilError, ValueError):
    """An input that cannot be read. ``where`` names the file or record."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class EmptyInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class DateLineError(InputError):
    pass


class LanguageError(InputError):
    pass


class TooLargeError(InputError):
    pass


class FormatError(InputError):
    pass


class ResourceError(VigilError, RuntimeError):
    """A model or data file that is missing or invalid; the message says how to fix it."""


class StoreError(VigilError, RuntimeError):
    """The database cannot be opened, migrated or written."""


class GoldFormatError(VigilError, ValueError):
    """An evaluation gold file that does not parse."""
