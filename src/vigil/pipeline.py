"""The coding pipeline: Article -> spaCy Doc -> Mentions, with resources loaded once.

``Resources.load`` builds the model, the trigger lexicon, the actor dictionary and the geocoder
once per process; ``code_articles`` streams articles through ``nlp.pipe`` in batches. The same
two calls serve the CLI, the tests, evaluation and Dask workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigil.settings import Settings, load_settings
from vigil.types import Article, Mention

if TYPE_CHECKING:
    from spacy.language import Language

    from vigil.actors import ActorDictionary
    from vigil.extract.lexicon import Lexicon
    from vigil.geo.base import Geocoder


@dataclass
class Resources:
    nlp: Language
    lexicon: Lexicon
    actors: ActorDictionary
    geocoder: Geocoder

    @classmethod
    def load(cls, settings: Settings | None = None) -> Resources:
        from vigil.actors import load_actors
        from vigil.extract.lexicon import load_lexicon
        from vigil.geo import load_geocoder
        from vigil.nlp import load_nlp

        settings = settings or load_settings()
        actors = load_actors()
        return cls(
            nlp=load_nlp(settings.model),
            lexicon=load_lexicon(),
            actors=actors,
            geocoder=load_geocoder(settings, actors),
        )


def code_articles(
    articles: Iterable[Article], res: Resources, batch_size: int = 32
) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article with the mentions extracted from it, in input order."""
    from vigil.extract import extract_mentions

    stream = ((a.text, a) for a in articles)
    for doc, article in res.nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield article, extract_mentions(doc, article, lexicon=res.lexicon, actors=res.actors, geocoder=res.geocoder)
