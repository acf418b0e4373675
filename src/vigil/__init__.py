"""Vigil: news reports of political violence to a geocoded, deduplicated, source-traced event dataset."""

__version__ = "0.1.0"
