"""Finding toponyms in a spaCy Doc: entities, cue patterns and the gazetteer together.

The small English model misses or mislabels many places (in the reference article it tags
"Niger" PERSON and "Tillaberi" ORG), so its labels are one signal among several:

1. GPE, LOC and FAC entities are toponyms (unless a stop name or a demonym).
2. Other entities (ORG, PERSON, ...) and runs of capitalised words that spaCy left unlabelled
   are toponyms when the gazetteer knows the name exactly and the context says place: a
   locative word before it ("in", "near", "outside") or a cue word after it ("region",
   "village", "department").
3. One sense per document: a name accepted once is accepted at each of its other mentions,
   so "Niger's military" counts once "in Niger" has been seen.

Each toponym carries its cues: the kind of place the text says it is (an area, an admin2, a
settlement) and whether the text puts the event near it rather than in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from vigil.geo.gazetteer import OPEN_SITES, Gazetteer
from vigil.geo.names import fold
from vigil.geo.words import GeoWords
from vigil.types import Place, Span

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
SKIP_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina", "Dar es Salaam").
SENTENCE_END = frozenset({".", "!", "?", ";"})
LIST_WORDS = frozenset({"and", "or", "&"})  # words that join the items of a list of places
NAME_JOINERS = frozenset({"de", "del", "des", "du", "la", "le", "el", "al", "es", "and", "da", "do", "dos", "di"})


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name found in the text. ``hint`` is what the words around it say it is
    ("area", "admin2", "place" or None); ``near`` when the text locates the event near it."""

    span: Span
    hint: str | None = None
    near: bool = False
    # spaCy's label, "" for a capitalised run it left unlabelled; or how the name was found:
    # ALIAS, DEMONYM, PART (inside an organisation's name), ROAD ("X-Y road"), PAIR (Y of "X-Y")
    label: str = ""
    cue: str = ""  # the cue word after the name ("region"), for names like "Tillaberi Region"
    origin: bool = False  # where people or things came from or went to, not the scene (see _origin)


def _trim(doc: Doc, start: int, end: int, label: str = "") -> tuple[int, int]:
    """Token bounds without a leading "the" or a trailing possessive / punctuation; for a
    place entity also without a trailing lower-case word (the model's "Pacific equatorial" is
    the Pacific; a cue word left off, "the Borno state", is read after the name as usual).
    Other entities keep it: "the Congress party" is a party, not a town called Congress."""
    while start < end and (doc[start].lower_ in ("the", "of") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                           or (label in PLACE_LABELS and doc[end - 1].is_lower and doc[end - 1].is_alpha)):
        end -= 1
    return start, end


def _cues(doc: Doc, start: int, end: int, words: GeoWords) -> tuple[str | None, bool, bool]:
    """(hint, near, locative) for the name doc[start:end] from the words around it."""
    hint = None
    nxt = doc[end] if end < len(doc) else None
    near = False
    after = False  # the word after says place: "the Boni area", "Kidal residents", "the Gao outskirts"
    if nxt is not None:
        word = nxt.lower_
        for role in ("area", "admin2", "place", "feature"):
            # "the Tillaberi region", and "the Agadez and Maradi regions"; "the Niger river"
            if words.role(word, role) or (word.endswith("s") and words.role(word[:-1], role)):
                hint = role
                break
        near = words.role(word, "vicinity")
        after = near or words.role(word, "placed")
    if hint is None and start >= 2 and doc[start - 1].lower_ == "of" and (
            start == 2 or doc[start - 3].lower_ == "the" or doc[start - 3].is_punct or doc[start - 2].is_title):
        # "the state of X", "the region of X", "(Cercle of X", "Commune of X" (not "the X
        # region of Niger": Niger is no region; nor "the border territory of X"), "the village
        # of X", "the town of X" (a settlement)
        word = doc[start - 2].lower_
        hint = next((role for role in ("area", "admin2", "place") if words.role(word, role)), None)
        # "in the area of X", "the outskirts of X": around X
        near = near or words.role(word, "around")
    window = doc[max(0, start - 4):start]
    # the words before a name count only within its sentence: "killed in the blast. No group
    # claimed..." must not make "No" a place
    cut = max((t.i + 1 for t in window if t.text in SENTENCE_END), default=window.start)
    before = [t for t in doc[cut:start] if not t.is_punct or t.text == "-"]
    locative = after
    for i, tok in enumerate(reversed(before)):
        # "near X", "on the road between X and Y", "30 km from X", "in the X region"
        if words.role(tok.lower_, "near") or (tok.lower_ == "from" and (
                _distance_before(before, len(before) - 1 - i) or _not_far(doc, tok.i))):
            near = True
        # "north of X", "30 km south-east of X" (the hyphen is a token of its own)
        k = len(before) - 1 - i
        if tok.lower_ == "of" and k > 0 and words.role(before[k - 1].lower_, "direction"):
            near = True
        if words.role(tok.lower_, "locative") or (tok.lower_ == "on" and _assault_before(doc, tok.i, words)):
            locative = True  # "in X", and "an attack by gunmen on X"
        if tok.pos_ in ("VERB", "AUX") or (tok.is_alpha and tok.is_title and i > 0):
            break
    if start > 0 and doc[start - 1].is_lower and words.role(doc[start - 1].lower_, "road"):
        near = True  # "on the axis X and Y": on the road out of X, not in it
    if start > 0 and doc[start - 1].lower_ in ("the",) and start > 1 and words.role(doc[start - 2].lower_, "locative"):
        locative = True
    if nxt is not None and hint and start > 0 and doc[start - 1].lower_ == "the":
        locative = True
    return hint, near, locative or hint is not None


def _compass_only(span: SpacySpan) -> bool:
    """The span is only compass words (COMPASS), as a name's start: "North-East", "Northern"."""
    return span[0].text[:1].isupper() and all(t.text == "-" or t.lower_ in COMPASS for t in span)


ASSAULT_REACH = 8  # tokens between an attack's noun and the "on" of its target ("an attack by ten gunmen on X")


def _assault_before(doc: Doc, i: int, words: GeoWords) -> bool:
    """The "on" at doc[i] names what an attack was on: a noun of an assault comes before it
    in the same clause ("the raid on X", "an attack by suspected fighters on X")."""
    for tok in reversed(doc[max(0, i - ASSAULT_REACH):i]):
        if words.role(tok.lower_, "assault"):
            return True
        if (tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod") or tok.text in SENTENCE_END or tok.text == ",":
            return False
    return False


ORIGIN_LINKS = frozenset({"in", "to", "at", "into", "inside", "towards", "toward", "for"})


def _origin(doc: Doc, start: int, words: GeoWords) -> bool:
    """True when the text puts the name doc[start:...] away from the scene: a place things or
    people came from ("aircraft were sent from X", "fighters from X"; but "30 km from X" is
    near it), or where they are based or went ("troops based in X", "villagers fled to X",
    "the wounded were evacuated to X"), or where someone holds office ("the mayor of X"). Only
    the words right before the name count, so "they took him from his home in X" keeps X as
    the scene."""
    i = start - 1
    while i >= 0 and doc[i].lower_ in ("the", "neighbouring", "neighboring", "nearby", "northern", "southern",
                                       "eastern", "western", "central"):
        i -= 1
    if i < 0:
        return False
    word = doc[i].lower_
    if word in ("and", "or") and i > 0 and _name_word(doc[i - 1]):
        # the second of two names shares the first one's role: "deployed from X and Y"
        first = i - 1
        while first > 0 and _name_word(doc[first - 1]):
            first -= 1
        return _origin(doc, first, words)
    if words.role(word, "origin"):
        before = [t for t in doc[max(0, i - 3):i] if not t.is_punct]
        return not (_distance_before(before + [doc[i]], len(before)) or _not_far(doc, i)
                    or (i > 0 and words.role(doc[i - 1].lower_, "near")))
    if word == "of" and i > 0 and words.role(doc[i - 1].lower_, "office"):
        return True  # "the mayor of X", "the governor of X": the office's place, not the scene
    if word in ORIGIN_LINKS:
        j = i - 1
        if j >= 0 and doc[j].pos_ == "ADV":  # "fled back to X", "based mainly in X"
            j -= 1
        return j >= 0 and words.role(doc[j].lower_, "elsewhere")
    return False


def _kind_before(doc: Doc, start: int, words: GeoWords) -> bool:
    """The word right before the name doc[start:...] calls it a settlement: "the village X",
    "the Fulani hamlet X" (a lower-case word of the cue role "place"); not when the name is an
    institution's ("the town Health Board", "the city Parks Department")."""
    if start == 0 or not doc[start - 1].is_lower or not words.role(doc[start - 1].lower_, "place"):
        return False
    for tok in doc[start:start + 4]:
        if not tok.is_title and not tok.is_upper:
            break
        if words.role(tok.lower_, "institution"):
            return False
    return True


def _not_far(doc: Doc, i: int) -> bool:
    """doc[i] is the "from" of "not far from" (or "never far from"): near the name after it."""
    return i >= 2 and doc[i - 1].lower_ == "far" and doc[i - 2].lower_ in ("not", "never")


DISTANCE_UNITS = frozenset({"km", "kilometres", "kilometers", "miles", "mi", "kms"})


def _distance_before(before: list[Token], i: int) -> bool:
    """True when a distance ("30 km", "20 kilometres") comes just before ``before[i]``."""
    prev = before[max(0, i - 2):i]
    # "30 km from X", and "40km from X" (one token)
    return any(t.lower_ in DISTANCE_UNITS or (t.lower_.rstrip("s").endswith(("km", "mi")) and t.text[:1].isdigit())
               for t in prev)


def _capitalised_runs(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Token ranges of capitalised words (with joiners inside) in doc[start:end] tokens."""
    runs = []
    i = start
    while i < end:
        tok = doc[i]
        if _name_word(tok) and tok.ent_type_ == "":
            j = i + 1
            while j < end and (
                (doc[j].is_alpha and (doc[j].is_title or doc[j].is_upper) and doc[j].ent_type_ == "")
                or (doc[j].lower_ in NAME_JOINERS and j + 1 < end and doc[j + 1].is_title)
                or (doc[j].text == "-" and j + 1 < end and doc[j + 1].is_title and not doc[j].whitespace_)
            ):
                j += 1
            # a joiner the next name does not continue ("Kobadi and" before a name the model
            # tagged): the run ends before it
            k = j
            while k - 1 > i and (doc[k - 1].lower_ in NAME_JOINERS or doc[k - 1].text == "-"):
                k -= 1
            runs.append((i, k))
            i = j
        else:
            i += 1
    return runs


def find_toponyms(doc: Doc, gazetteer: Gazetteer, words: GeoWords, start: int = 0, end: int | None = None,
                  text: str | None = None, blocked: list[tuple[int, int]] | None = None,
                  home: frozenset[str] = frozenset()) -> list[Toponym]:
    """Toponyms whose text lies inside ``doc.text[start:end]``, in text order (``text`` is
    ``doc.text`` when the caller has it already: spaCy rebuilds it on each access).

    ``home`` are the countries the text's nationalities and named forces say it is about: a
    sizeable town of theirs is a place even where the model calls it a person.

    ``blocked`` are character ranges that name something else (the actor dictionary's group
    names: "the Taliban" is a group even though GeoNames lists a village of that name); a name
    overlapping one is a toponym only when it is a country's name."""
    blocked = blocked or []
    text = doc.text if text is None else text
    end = len(text) if end is None else end
    window = doc.char_span(start, end, alignment_mode="expand") if (start, end) != (0, len(text)) else doc[:]
    if window is None:
        return []
    t0, t1 = window.start, window.end
    candidates: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.start >= t0 and ent.end <= t1 and ent.label_ not in SKIP_LABELS:
            # "Niger, Burkina Faso" tagged as one ORG, "Nokara and Boni" as one PERSON: a list of
            # names, each its own candidate ("Bosnia and Herzegovina", known whole, stays one);
            # so are names the model ran across a bracket ("Kollo (Tillaberi") or a lower-case
            # word of place ("Tondibia near Ouallam")
            cut = ent.start
            joined = any(t.lower_ in LIST_WORDS for t in ent) and not gazetteer.lookup(ent.text, variants=False)
            for tok in ent:
                if tok.text in (",", ";", "(", ")") or (joined and tok.lower_ in LIST_WORDS) \
                        or (tok.is_lower and words.role(tok.lower_, "near")):
                    candidates.append((cut, tok.i, ent.label_))
                    cut = tok.i + 1
            candidates.append((cut, ent.end, ent.label_))
    candidates += [(a, b, "") for a, b in _capitalised_runs(doc, t0, t1)]
    # "the Gao-Gossi road" where the model tagged "Gao" alone: the two names joined by a hyphen
    # are one candidate too (a road between them, or one village named after both)
    for tok in doc[t0 + 1:t1 - 1]:
        if tok.text == "-" and not tok.whitespace_ and not doc[tok.i - 1].whitespace_ \
                and doc[tok.i - 1].is_title and doc[tok.i + 1].is_title \
                and (doc[tok.i - 1].ent_type_ or doc[tok.i + 1].ent_type_):
            candidates.append((tok.i - 1, tok.i + 2, ""))

    # words of the persons the model names in full ("Ashley Kobala"): "Kobala" alone is that person
    people = {t.text for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 for t in e}
    person_starts = {e.start for e in doc.ents if e.label_ == "PERSON"}
    accepted: dict[str, bool] = {}
    found: list[tuple[int, int, str, str | None, bool]] = []
    pending: list[tuple[int, int, str, str | None, bool]] = []
    # 0. listed aliases, which tokenise oddly ("W. Va.", "Calif.") and that spaCy rarely labels
    for tok in doc[t0:t1]:
        if not tok.text[:1].isupper() or (found and tok.i < found[-1][1]) or _overlaps(doc[tok.i:tok.i + 1], blocked):
            continue
        for n in (6, 5, 4, 3, 2, 1):
            last = tok.i + n - 1
            if last < t1 and words.alias(text[tok.idx:doc[last].idx + len(doc[last])]):
                hint, near, _ = _cues(doc, tok.i, last + 1, words)
                found.append((tok.i, last + 1, "ALIAS", hint, near))
                break
    # 0'. a known name the model cut at a joining word: "Antigua and Barbuda" and "Port of
    # Spain" come out as two entities each ("Antigua", "Spain"); the whole name wins
    for a, b in _joined_names(doc, t0, t1, gazetteer):
        if not _overlaps(doc[a:b], blocked):
            hint, near, _ = _cues(doc, a, b, words)
            accepted[fold(doc[a:b].text)] = True
            found.append((a, b, "GPE", hint, near))
    # 0''. a name joined by a hyphenated article or ezafe ("Dar-i-Tondibia", "Tell al-Tessagou",
    # "Bani-e Kollo"), which the model cuts into pieces that are other places: one name where the text
    # says it is a place (after "in", before a cue word, in an address)
    for a, b in _hyphen_compounds(doc, t0, t1):
        hint, near, locative = _cues(doc, a, b, words)
        address = b + 1 < t1 and doc[b].text == "," and _name_word(doc[b + 1])
        if (locative or near or hint or address or gazetteer.lookup(doc[a:b].text, variants=False)) \
                and not _overlaps(doc[a:b], blocked):
            accepted[fold(doc[a:b].text)] = True
            found.append((a, b, "", hint, near))
    for a, b, label in candidates:
        a, b = _trim(doc, a, b, label)
        if a < b < len(doc) and _compass_only(doc[a:b]) and _name_word(doc[b]) \
                and _sizeable_town(gazetteer, doc[b].text):
            # "North-East Kobala", "Northern Kobala" cut before the town: the part of the town is
            # in the town, and the compass words alone are no place ("North-East" a district
            # of Botswana)
            a, b, label = b, b + 1, "GPE"
        if a >= b:
            continue
        name = doc[a:b]
        key = fold(name.text)
        if _rejected(name, key, words):
            # a stop name may still head a longer name ("Islamic State" no, "Union County" yes)
            continue
        dateline = _dateline(doc, a, b)
        # "the village Kobadi", "the Fulani hamlet Kobadi": a settlement of that very name (not
        # a town that has it as an alternate name), even a short word or what the model calls a person
        kind = _kind_before(doc, a, words) and _settlement_named(gazetteer, name.text, words)
        ordinary = (_ordinary_word(name, label) and not dateline and not kind) \
            or _overlaps(name, blocked) or _code_name(doc, a, b)
        if ordinary and not is_country(gazetteer, name.text):
            continue
        hint, near, locative = _cues(doc, a, b, words)
        if kind and hint is None:
            hint, locative = "place", True
        if dateline and gazetteer.lookup(name.text, variants=False):
            # "COLUMBUS — The city council...": where the story was filed, in capitals
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif _two_places(gazetteer, words, name.text, either=(road := _road_word(doc, a, b, words))):
            # "the Ayorou-Dosso road", "axis Tahoua-Agadez": two places joined; the event is
            # on the way, near the first (or the one the gazetteer knows: a road names a
            # hamlet at its other end as often as a town). Without a word of a road both must be
            # known, and it may be one village named after two ("Nouhoun-Bozo"): a toponym
            # like any other
            accepted[key] = True
            pair = None if road else _pair_of_places(doc, a, b, gazetteer, words)
            if pair:
                # "the Nairobi-Lagos flight", "India-Pakistan talks": two places, each named;
                # an event told there is still placed at the first ("on the Niger-Mali
                # border", as on a road), so the second is marked as such (PAIR)
                found += [(x, y, lab, hint, near) for (x, y), lab in zip(pair, (label, "PAIR"), strict=True)]
                accepted.update({fold(doc[x:y].text): True for x, y in pair})
            else:
                found.append((a, b, "ROAD" if road else label, hint, True if road else near))
        elif label in PLACE_LABELS:
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif is_country(gazetteer, name.text) or (len(name) >= 2 and _is_admin1(gazetteer, name.text)):
            # a country's name is hardly ever anything else ("Niger, Mali and Burkina Faso"),
            # nor is a region's name of several words, whatever the model says ("Tamil Nadu")
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif locative and (_known(gazetteer, name.text) or _known_by_sound(gazetteer, name.text)) \
                and not _person_like(name, label, words):
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif label == "PERSON" and a > 0 and any(words.role(doc[a - 1].lower_, r) for r in ("locative", "near", "road")) \
                and _settlement(gazetteer, name.text, sites=True):
            # "a market in Tin Akoff": the small model reads many two-word
            # Sahel names as people; right after "in" or "near", a name the gazetteer holds as a
            # town, an area, a camp or a named spot in the desert ("near Tin Dagar", a wadi) is one
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif label == "PERSON" and b - a == 1 and home and name.text not in people \
                and not (b < len(doc) and ((doc[b].pos_ == "NOUN" and doc[b].is_lower)
                                           or (doc[b].lower_ in LIST_WORDS and b + 1 in person_starts))) \
                and _sizeable_town(gazetteer, name.text, home):
            # "Malian troops searched Kobala", "Kobala's old quarter was shelled": the small
            # model reads many one-word Sahel towns as people; a seat or sizeable town of the
            # country the story is about is one, unless the text names a person of that name,
            # uses it before a noun ("Kobala trucks") or lists it with a person ("X and Mary Roe")
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif label == "NORP" and hint is None and not words.demonym(name.text) and _sizeable_town(gazetteer, name.text):
            # the small model calls many Sahel towns NORP, even where nothing around says place
            # ("Kidal came under rocket fire"): a region's seat or a sizeable town by its own
            # name is one
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif label == "NORP":
            # a people's name before a cue word is not a place ("the Fulani village of X"), nor
            # a smaller namesake: wait for one sense
            pending.append((a, b, label, hint, near))
        elif label in ("", "ORG") and a > 0 and b < len(doc) and doc[a - 1].lower_ == "the" and doc[b].is_lower \
                and words.role(doc[b].lower_, "site") and _settlement(gazetteer, name.text):
            # "the X market", "the X checkpoint": the town's, in lower case (not "the X Police",
            # an organisation's name, see _place_part; nor "the X church", often a saint's)
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif a > 0 and doc[a - 1].is_lower and words.role(doc[a - 1].lower_, "part") \
                and _sizeable_town(gazetteer, name.text):
            # "central X", "downtown X": a part of a town the model left untagged
            accepted[key] = True
            found.append((a, b, label, hint, near))
        elif (near or hint) and not _person_like(name, label, words) and label in ("", "ORG", "PERSON"):
            # "near X", "the X region", "X village": a place even when the gazetteer lacks it
            accepted[key] = True
            found.append((a, b, label, hint, near))
        else:
            pending.append((a, b, label, hint, near))
    # 3. one sense per document: the other mentions of a name accepted elsewhere
    found += [p for p in pending if accepted.get(fold(doc[p[0]:p[1]].text))]
    # 3'. a list: a known name joined by "and" / "or" to a place just accepted is a place of the
    # same standing ("between Nokara and Boni", "in Dosso or Kollo"); left to right, so that
    # each vouches for the next
    ends = {f[1]: f for f in found}
    for p in sorted(p for p in pending if not accepted.get(fold(doc[p[0]:p[1]].text))):
        a, b, label = p[0], p[1], p[2]
        j = a - 1
        if j >= 0 and doc[j].text == ",":
            j -= 1  # the serial comma: "Gao, Ansongo, and Menaka"
        if j < 1 or doc[j].lower_ not in LIST_WORDS or _person_like(doc[a:b], label):
            continue
        k = j - 1 if doc[j - 1].text != "," else j - 2
        peer = ends.get(k + 1)
        if peer is None or peer[2] in ("DEMONYM", "PART") or not gazetteer.lookup(doc[a:b].text, variants=False):
            continue
        accepted[fold(doc[a:b].text)] = True
        item = (a, b, label, p[3] or peer[3], p[4] or peer[4])
        found.append(item)
        ends[b] = item
    # 3a. an address: "Police Sector 4, Maradi, Niger", "Birni Quarter, Dosso,
    # Niger": a name the gazetteer knows, written before a comma and a place, is a place
    # (right to left, so that each accepted name vouches for the one before it); so is a
    # region's or district's seat or a sizeable town there that the model took for a person
    starts = {f[0] for f in found}
    for p in sorted((p for p in pending if not accepted.get(fold(doc[p[0]:p[1]].text))), reverse=True):
        a, b = p[0], p[1]
        if b + 1 < len(doc) and doc[b].text == "," and b + 1 in starts and (
                (not _person_like(doc[a:b], p[2], words) and gazetteer.lookup(doc[a:b].text, variants=False))
                or _sizeable_town(gazetteer, doc[a:b].text)):
            found.append(p)
            starts.add(a)
    # 3a'. a list or an address that goes on after a comma ("Ouallam, Tahoua, Agadez", "Kobadi
    # district, Agadez"): a region's seat, a sizeable town or an area written after a place (or
    # after a place and its cue word) and a comma is one, whatever the model called it
    ends = {f[1]: f for f in found}
    for p in sorted(p for p in pending if not accepted.get(fold(doc[p[0]:p[1]].text))):
        a, b = p[0], p[1]
        # "Kobadi district, Agadez"; and "Dabrayel neighbourhood, Tahoua", a part of a town the
        # gazetteer lacks, named before its town
        kind = a >= 3 and any(words.role(doc[a - 2].lower_, role) for role in ("area", "admin2", "place", "around"))
        after_place = a - 1 in ends or (kind and (a - 2 in ends or (doc[a - 2].is_lower and doc[a - 3].is_title)))
        if a >= 2 and doc[a - 1].text == "," and after_place and not _person_like(doc[a:b], p[2], words) \
                and strong_place(gazetteer, words, doc[a:b].text, accepted):
            found.append(p)
            ends[b] = p
    # 3b. a place inside the name of an organisation or building: "the Ohio Fire Service",
    # "Dosso Police", "Marion County Clerk's Office", "University of Ghana"
    taken = {i for a, b, *_ in found for i in range(a, b)}
    for a, b, label in candidates:
        a, b = _trim(doc, a, b)
        if b - a < 2 or label in PLACE_LABELS or label == "PERSON" or any(i in taken for i in range(a, b)):
            continue
        if _overlaps(doc[a:b], blocked):
            continue
        # (not a word of an institution too: "the Department of Justice")
        area = None if words.role(doc[a].lower_, "institution") else next(
            (r for r in ("area", "admin2") if words.role(doc[a].lower_, r)), None)
        if area and b - a >= 3 and doc[a + 1].lower_ in AREA_OF and _settlement(gazetteer, doc[a + 2:b].text):
            # "the Cercle of Dioro", "the Region of Kobala" tagged as an organisation: the area
            # of that name, as "in the cercle of Dioro" untagged is
            found.append((a + 2, b, label, area, False))
            taken.update(range(a + 2, b))
            continue
        part = _place_part(doc, a, b, gazetteer, words, accepted)
        if part is not None:
            found.append((part[0], part[1], "PART", None, False))
            taken.update(range(part[0], part[1]))
    # 4. demonyms ("Russian", "Sri Lankan"): references to a country, never an event's place;
    # geoparsing reports them (LGL and GeoWebNews annotate them), locate() skips them
    for tok in doc[t0:t1]:
        if tok.i in taken or not (tok.is_alpha and tok.text[:1].isupper()):
            continue
        for n in (2, 1):
            last = tok.i + n
            if last <= t1 and all(t.is_alpha and t.i not in taken for t in doc[tok.i:last]) \
                    and words.demonym(doc[tok.i:last].text):
                # whole words only: "Russian-Ukrainian" is two ("Russian-" would fold to one)
                found.append((tok.i, last, "DEMONYM", None, False))
                taken.update(range(tok.i, last))
                break
    # 5. a name the model cut short that the gazetteer holds whole: "near In Tafarit" (the
    # model read "In" as the preposition), "the village of Kouri-na", a camp named after a
    # town ("Zinder Tondibia" when only "Tondibia" is tagged)
    for n, (a, b, label, _, _) in enumerate(found):
        x, y = _whole_name(doc, a, b, t0, t1, gazetteer) if label not in SPECIAL_LABELS else (a, b)
        if (x, y) != (a, b):
            found[n] = (x, y, label, *_cues(doc, x, y, words)[:2])
    found.sort(key=lambda f: (f[0], -f[1]))  # at one start, the longest name ("Democratic Republic of the Congo")
    out: list[Toponym] = []
    last_end = -1
    for a, b, label, hint, near in found:
        if a < last_end or _titled(doc, a, b, words):
            continue
        span = doc[a:b]
        # the cue word after the name ("the Tillaberi region"), or a district's before it ("the
        # cercle of X": GeoNames calls it "X Cercle"), not a state's ("the state of Georgia")
        cue = doc[b].text if hint and b < len(doc) and words.role(doc[b].lower_, hint) else (
            doc[a - 2].text if hint == "admin2" and a >= 2 and doc[a - 1].lower_ == "of" else "")
        out.append(Toponym(Span(span.start_char, span.end_char, span.text), hint, near, label, cue,
                           _origin(doc, a, words)))
        last_end = b
    return out


COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                     "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
                     "southeastern", "southwestern", "upper", "lower", "greater", "downtown", "metro"})


def _known(gazetteer: Gazetteer, text: str) -> bool:
    """The gazetteer knows the name, or the name after a compass word ("North Texas")."""
    if gazetteer.lookup(text, variants=False):
        return True
    first, _, rest = text.partition(" ")
    return bool(rest) and fold(first) in COMPASS and bool(gazetteer.lookup(rest, variants=False))


def _known_by_sound(gazetteer: Gazetteer, text: str) -> bool:
    """The gazetteer holds a settlement (or a camp, a well or another named spot in the open,
    see SITES) of a followed country by another spelling of the name (see Gazetteer.lookup):
    "in Tadoumarat" is the village GeoNames writes "Tadoumarast"."""
    return any(c.sound and (c.place.feature_class in ("P", "L") or c.place.feature_code in SITES)
               for c in gazetteer.lookup(text)[:20])


def _settlement_named(gazetteer: Gazetteer, text: str, words: GeoWords) -> bool:
    """The gazetteer holds a settlement whose own name (not an alternate one) is ``text``; or,
    for one of twin villages named for their peoples ("Sekoro-Peulh"), the village's own name
    in some spelling (the gazetteer may hold only "Sekoro")."""
    key = fold(text)
    if any(c.place.feature_class == "P" and c.key == key for c in gazetteer.lookup(text, variants=False)[:50]):
        return True
    head = twin_village(key, words)
    return head is not None and any(c.place.feature_class == "P" for c in gazetteer.lookup(head)[:50])


def twin_village(folded: str, words: GeoWords) -> str | None:
    """The village's own name in one of twin villages named for their peoples ("sekoro" for
    "sekoro peulh" or "sekoro dogon"), or None when the name ends in no people's name."""
    head, _, people = folded.rpartition(" ")
    return head if head and words.people(people) else None


def _settlement(gazetteer: Gazetteer, text: str, sites: bool = False) -> bool:
    """The gazetteer holds a town or an admin area by this name (not by a spelling variant);
    with ``sites``, a camp or a named spot in the open as well (see OPEN_SITES)."""
    return any(c.place.feature_class in ("P", "A") or (sites and c.place.feature_code in SITES)
               for c in gazetteer.lookup(text, variants=False)[:20])


SITES = OPEN_SITES | {"CMP"}  # where people live or meet in the desert: a camp, a well, a wadi


JOINED_WORDS = NAME_JOINERS | {"of", "the", "&"}
JOINED_MAX = 6  # tokens: "Saint Vincent and the Grenadines"


def _scan_names(doc: Doc, t0: int, t1: int, end_at: Callable[[int], int | None]) -> list[tuple[int, int]]:
    """The token ranges (i, end) in doc[t0:t1] where a name word starts and ``end_at(i)`` gives
    where the name it starts ends (None: no such name), left to right without overlaps."""
    out: list[tuple[int, int]] = []
    i = t0
    while i < t1:
        end = end_at(i) if _name_word(doc[i]) else None
        if end is not None:
            out.append((i, end))
            i = end
        else:
            i += 1
    return out


def _joined_names(doc: Doc, t0: int, t1: int, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Token ranges in doc[t0:t1] of names of several capitalised words joined by lower-case
    ones ("Bosnia and Herzegovina", "Isle of Man", "Port of Spain") that the gazetteer holds
    by that very name as a country, an area, a water body or region, a capital or seat, or a
    town of ``STRONG_POPULATION`` people; the longest at each start. A small namesake ("Oak
    and Elm", a hamlet) does not join two words the text may use apart."""

    def end_at(i: int) -> int | None:
        for k in range(min(t1, i + JOINED_MAX), i + 2, -1):
            inner = doc[i + 1:k - 1]
            if not _name_word(doc[k - 1]) or not any(t.lower_ in JOINED_WORDS for t in inner) \
                    or not all(_name_word(t) or t.lower_ in JOINED_WORDS for t in inner):
                continue
            name = doc[i:k].text
            key = fold(name)
            if any(c.key == key and _joined_place(c.place) for c in gazetteer.lookup(name, variants=False)[:20]):
                return k
        return None

    return _scan_names(doc, t0, t1, end_at)


SPECIAL_LABELS = frozenset({"ALIAS", "DEMONYM", "PART", "ROAD", "PAIR"})
# the articles and ezafe that join the parts of Arabic and Persian names with hyphens
HYPHEN_JOINERS = frozenset({"i", "e", "ye", "al", "el", "ul", "ud", "ad", "ar", "as", "ash", "at", "az", "ez", "an",
                            "en", "ed", "es"})


def _hyphen_compounds(doc: Doc, t0: int, t1: int) -> list[tuple[int, int]]:
    """Token ranges of names whose capitalised parts a hyphenated joiner links: "Dar-i-Tondibia"
    (Dar - i - Tondibia), "Bani-e Kollo" (Bani - e Kollo), "Tell al-Tessagou" (Tell al - Tessagou)."""

    def end_at(i: int) -> int | None:
        k = i + 1
        while True:
            nxt = None
            if k + 2 < t1 and doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_ \
                    and doc[k + 1].lower_ in HYPHEN_JOINERS:
                if doc[k + 2].text == "-" and not doc[k + 1].whitespace_ and k + 3 < t1 and _name_word(doc[k + 3]):
                    nxt = k + 4  # Dar-i-Tondibia
                elif doc[k + 1].whitespace_ and _name_word(doc[k + 2]):
                    nxt = k + 3  # Bani-e Kollo
            elif k + 2 < t1 and doc[k].lower_ in HYPHEN_JOINERS and doc[k - 1].whitespace_ \
                    and doc[k + 1].text == "-" and not doc[k].whitespace_ and _name_word(doc[k + 2]):
                nxt = k + 3  # Tell al-Tessagou
            if nxt is None:
                return k if k > i + 1 else None
            k = nxt

    return _scan_names(doc, t0, t1, end_at)


def _whole_name(doc: Doc, a: int, b: int, t0: int, t1: int, gazetteer: Gazetteer) -> tuple[int, int]:
    """doc[a:b] widened by one capitalised word before it (not the sentence's first) or by one
    word after it (capitalised, or joined by a hyphen) when the gazetteer holds the wider name
    by that very name; else (a, b)."""
    options = []
    if a - 1 >= t0 and _name_word(doc[a - 1]) and not doc[a - 1].is_sent_start:
        options.append((a - 1, b))
    if b < t1 and _name_word(doc[b]) and doc[b].ent_type_ in ("", doc[b - 1].ent_type_):
        options.append((a, b + 1))
    if b + 1 < t1 and doc[b].text == "-" and not doc[b].whitespace_ and doc[b + 1].is_alpha:
        options.append((a, b + 2))
    for x, y in options:
        key = fold(doc[x:y].text)
        if any(c.key == key for c in gazetteer.lookup(doc[x:y].text, variants=False)[:20]):
            return x, y
    return a, b


def _name_word(tok: Token) -> bool:
    return tok.is_alpha and (tok.is_title or (tok.is_upper and len(tok) > 1))


def _joined_place(place: Place) -> bool:
    return place.feature_class in ("A", "H", "L", "T") or _sizeable(place)


def _road_word(doc: Doc, a: int, b: int, words: GeoWords) -> bool:
    """A word of a road right after or before doc[a:b] ("the X-Y road", "axis X-Y")."""
    return bool((b < len(doc) and words.role(doc[b].lower_, "road"))
                or (a > 0 and words.role(doc[a - 1].lower_, "road")))


def _two_places(gazetteer: Gazetteer, words: GeoWords, text: str, either: bool = False) -> bool:
    """True for "X-Y" where X and Y are both places the gazetteer knows (a road, an axis), or
    with ``either`` one of them, and neither is a people's adjective ("Franco-German" is an
    agreement, not a road from Franco)."""
    ends = text.split("-")
    if len(ends) != 2 or not all(e[:1].isupper() and len(e) >= 3 for e in ends) or any(words.demonym(e) for e in ends):
        return False
    known = [bool(gazetteer.lookup(e, variants=False)) for e in ends]
    return any(known) if either else all(known)


def _pair_of_places(doc: Doc, a: int, b: int, gazetteer: Gazetteer,
                    words: GeoWords) -> list[tuple[int, int]] | None:
    """The two token ranges of "X-Y" when it names two places rather than one: the whole is no
    name the gazetteer holds ("Nouhoun-Bozo" is one village) and each end is a country, an admin
    area or a sizeable town (see strong_place); None otherwise."""
    dash = next((t.i for t in doc[a + 1:b - 1] if t.text == "-"), None)
    if dash is None or gazetteer.lookup(doc[a:b].text, variants=False):
        return None
    ends = [(a, dash), (dash + 1, b)]
    if all(strong_place(gazetteer, words, doc[x:y].text, {}) for x, y in ends):
        return ends
    return None


INSTITUTION_JOINERS = frozenset({"of", "for", "in"})
STRONG_FEATURES = ("PCL", "ADM1")
STRONG_POPULATION = 20_000  # a town this large gives its name to its police, schools and council
SEAT_CODES = ("PPLA", "PPLA2", "PPLC")  # GeoNames' seats of a region or district, and capitals


def _sizeable_town(gazetteer: Gazetteer, text: str, countries: frozenset[str] | None = None) -> bool:
    """A town of ``STRONG_POPULATION`` people or more, or the seat of a region or district, is
    called ``text`` by its own name (in one of ``countries``, when given)."""
    key = fold(text)
    return any(c.key == key and _sizeable(c.place) and (countries is None or c.place.country_code in countries)
               for c in gazetteer.lookup(text, variants=False)[:20])


def _sizeable(place: Place) -> bool:
    """A town of ``STRONG_POPULATION`` people or more, or a seat of a region or district."""
    return place.feature_class == "P" and (place.population >= STRONG_POPULATION or place.feature_code in SEAT_CODES)


def strong_place(gazetteer: Gazetteer, words: GeoWords, text: str, accepted: dict[str, bool]) -> str | None:
    """How well ``text`` names a place, read inside an organisation's name: "area" for a
    country, an admin1 area, a county written as one or a listed alias or demonym; "town" for a
    town of ``STRONG_POPULATION`` people or a name this document already uses as a place;
    None otherwise."""
    if words.alias(text) or words.demonym(text):
        return "area"
    key = fold(text)
    level = "town" if accepted.get(key) else None
    for c in gazetteer.lookup(text, variants=False)[:20]:
        code = c.place.feature_code or ""
        # a district when written as one ("Marion County") or populous ("Border Corps" is
        # not a Border County)
        district = code == "ADM2" and (words.role(key.rsplit(" ", 1)[-1], "admin2")
                                       or c.place.population >= STRONG_POPULATION)
        if code.startswith(STRONG_FEATURES) or district:
            return "area"
        # a town by its own name only: "Raj" is an old name of Rajkot, "Raj Bhawan" a palace
        if c.place.feature_class == "P" and c.place.population >= STRONG_POPULATION and c.key == key:
            level = "town"
    return level


AREA_OF = frozenset({"of", "de", "du", "des"})  # "Cercle of X", "Cercle de X", "Région du X"


def _place_part(doc: Doc, a: int, b: int, gazetteer: Gazetteer, words: GeoWords,
                accepted: dict[str, bool]) -> tuple[int, int] | None:
    """The token range of a place that follows "of" in doc[a:b] ("University of Georgia"),
    heads it ("Ohio Western College"; a town only before an institution's word: "Dosso
    Police", but "Birni Nkonni" is one town) or, a country only, ends it ("Radio Niger"),
    the longest first; None if none."""

    def level(i: int, k: int) -> str | None:
        part = doc[i:k]
        if not part[0].text[:1].isupper() or part[-1].is_punct or part[-1].lower_ in NAME_JOINERS:
            return None
        if _rejected(part, fold(part.text), words):
            return None
        return strong_place(gazetteer, words, part.text, accepted)

    for o in range(a + 1, b - 1):
        if doc[o].lower_ in INSTITUTION_JOINERS:
            for k in range(b, o + 1, -1):
                if level(o + 1, k):
                    return o + 1, k
    institution = False
    for k in range(b - 1, a, -1):
        institution = institution or words.role(doc[k].lower_, "institution")
        found = level(a, k)
        if found == "area" or (found == "town" and institution):
            return a, k
    if not all(t.is_upper for t in doc[a:b]):  # a headline or byline in capitals says nothing
        for i in range(a + 1, b):
            if doc[i].text[:1].isupper() and country_tail(gazetteer, words, doc[i:b].text):
                return i, b
    return None


def country_tail(gazetteer: Gazetteer, words: GeoWords, text: str) -> bool:
    """``text``, the end of a longer name, is a country's name or listed alias ("Radio Niger");
    a short one only in capitals ("the Vintage Car" is no CAR)."""
    code = words.alias(text)
    if code and len(code) == 2:
        return True
    return (len(text) > 3 or text.isupper()) and is_country(gazetteer, text)


def is_country(gazetteer: Gazetteer, text: str) -> bool:
    found = gazetteer.lookup(text, variants=False)
    return bool(found) and (found[0].place.feature_code or "").startswith("PCL")


def _is_admin1(gazetteer: Gazetteer, text: str) -> bool:
    return any(c.place.feature_code == "ADM1" for c in gazetteer.lookup(text, variants=False)[:5])


def _rejected(name: SpacySpan, key: str, words: GeoWords) -> bool:
    if len(key) < 2 or key in words.stopnames or key in words.demonyms or words.people(name.text):
        return True
    return all(t.is_lower or t.is_digit for t in name)


DATELINE_AFTER = frozenset({"—", "–", "-", "--", ",", "("})


def _dateline(doc: Doc, a: int, b: int) -> bool:
    """True for a name in capitals that opens a line and is followed by a dash, a comma or a
    parenthesis: a news dateline ("NEWARK —", "BEIRUT, Lebanon", "SAN JOSE (AP)")."""
    if not all(t.is_upper or not t.is_alpha for t in doc[a:b]) or not any(t.is_alpha for t in doc[a:b]):
        return False
    if b >= len(doc) or doc[b].text not in DATELINE_AFTER:
        return False
    return a == 0 or doc[a - 1].is_space or "\n" in doc[a - 1].whitespace_ or doc[a - 1].text in (".", "!", "?")


def _ordinary_word(name: SpacySpan, label: str) -> bool:
    """A one-word name that is an ordinary English word: a stop word ("No group claimed..."),
    an acronym the model does not call a place, the word of a numbered unit, or a sentence-initial capital that the tagger does not read as a proper noun ("Assailants
    attacked..."). GeoNames has places called both; a text means them only as countries."""
    if len(name) != 1:
        return False
    tok = name[0]
    if tok.is_stop:
        return True
    if tok.is_upper and len(tok) > 1 and label not in PLACE_LABELS:
        return True  # an acronym ("CMA", "ISGS"): listed country acronyms are aliases instead
    if label == "" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].like_num:
        return True  # a numbered unit the model left untagged: "Precinct 9", "Sector 4", "Zone 3"
    return tok.is_sent_start is True and label not in PLACE_LABELS and tok.pos_ != "PROPN"


QUOTES = frozenset({"'", '"', "‘", "’", "“", "”"})


def _code_name(doc: Doc, a: int, b: int) -> bool:
    """The name doc[a:b] is quoted right after a common noun: the code name of an operation or
    a camp ("operation 'Dune'", "camp 'Tiger'"), not a place ("residents of 'X'" still are)."""
    return (a >= 2 and b < len(doc) and doc[a - 1].text in QUOTES and doc[b].text in QUOTES
            and doc[a - 2].is_lower and doc[a - 2].pos_ == "NOUN")


def _overlaps(name: SpacySpan, blocked: list[tuple[int, int]]) -> bool:
    return any(name.start_char < e and s < name.end_char for s, e in blocked)


def _titled(doc: Doc, a: int, b: int, words: GeoWords) -> bool:
    """The name doc[a:b] is a title ("Mr") or a person's name after one ("Mr Robinson",
    "Gen. Tiani"): no place, whatever the gazetteer holds."""
    if b - a == 1 and words.role(doc[a].lower_.rstrip("."), "title"):
        return True
    # "Gen." is one token, and so is "Mr." ("mr" and "gen" in the list)
    return a > 0 and doc[a - 1].text[:1].isupper() and words.role(doc[a - 1].lower_.rstrip("."), "title")


def _person_like(name: SpacySpan, label: str, words: GeoWords | None = None) -> bool:
    """A PERSON entity of two or more words is a person ("John Lincoln"), whatever the gazetteer
    says; not one whose last word names an area ("Kobala Cercle", "Tahoua Region") or a people
    (a village named for those who live in it: "Kobou Dogon", "Kobou-Peulh")."""
    return label == "PERSON" and len(name) >= 2 and not (
        words is not None and (words.area_word(name[-1].text) or words.people(name[-1].text)))


def demonym_countries(doc: Doc, words: GeoWords, owners: dict[int, str] | None = None) -> list[str]:
    """Country codes of the demonyms in the doc ("Nigerien" -> NE), one per mention. A demonym
    right before a group of another country (``owners``: where each such group's name starts ->
    its country) gives a member's nationality, not where the story is: "a Ghanaian UNIFIL
    officer" serves in Lebanon."""
    out = []
    skip = -1
    for tok in doc:
        if tok.i <= skip or not (tok.is_title or tok.is_upper):
            continue
        # two words first: "Central American" names a region, and its "American" no country
        cc: str | None = None
        end = tok.i
        if tok.i + 1 < len(doc) and fold(f"{tok.text} {doc[tok.i + 1].text}") in words.demonyms:
            cc = words.demonyms[fold(f"{tok.text} {doc[tok.i + 1].text}")]
            skip = end = tok.i + 1
        else:
            cc = words.demonyms.get(fold(tok.text))
        if cc and not cc.startswith("="):  # "European" names a region, not a country
            code = cc.split(".")[0]  # "Scottish": Scotland, in GB
            if not member_nationality(doc, end + 1, code, owners, words):
                out.append(code)
    return out


def member_nationality(doc: Doc, after: int, code: str, owners: dict[int, str] | None,
                       words: GeoWords | None = None) -> bool:
    """The demonym of country ``code`` that ends before token ``after`` is the nationality of a
    member of the group named next, a group of another country ("a Ghanaian UNIFIL officer"),
    or of people serving abroad ("Ghanaian peacekeepers", see the cue role "abroad")."""
    if after >= len(doc):
        return False
    if words is not None and words.role(doc[after].lower_, "abroad"):
        return True
    group = owners.get(doc[after].idx) if owners else None
    return group is not None and group != code


def people_countries(doc: Doc, words: GeoWords) -> list[str]:
    """Country votes of the peoples the doc names ("Mossi farmers" -> BF), one per country a
    people lives in, two for the country where most of them live."""
    out: list[str] = []
    for tok in doc:
        if tok.is_title or tok.is_upper:
            home = words.home(tok.text)
            if home:
                out += [home[0], *home]
    return out


def people_homelands(doc: Doc, words: GeoWords) -> set[str]:
    """The admin1 codes where the peoples the doc names mostly live ("Dogon villagers" -> Mopti,
    see ``GeoWords.homeland``)."""
    out: set[str] = set()
    for tok in doc:
        if (tok.is_title or tok.is_upper) and words.people(tok.text):
            out |= words.homeland(tok.text)
    return out
