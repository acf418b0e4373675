"""Actors: the dictionary of armed groups and forces, and their resolution by the story's country.

load_actors(path=None) -> ActorDictionary
ActorDictionary.find(doc, start, end, country) -> list[tuple[Actor, Span]]
ActorDictionary.normalise(name, country=None) -> Actor | None
"""

from vigil.actors.dictionary import ActorDictionary, load_actors

__all__ = ["ActorDictionary", "load_actors"]
