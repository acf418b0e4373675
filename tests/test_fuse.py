"""Fusion on hand-built mentions: blocking, scoring, the chaining guard, incremental ids and the
fatality rule. The texts are invented; places carry real coordinates so distances are real."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fixtures.fusion.kit import (
    AYOROU,
    BANIBANGOU,
    CIV,
    FAN,
    GAO,
    ISSP,
    JNIM,
    TEGUEY,
    TILLABERI,
    article,
    mention,
)
from vigil.errors import ResourceError
from vigil.fuse import fuse, load_fuse_config
from vigil.fuse_merge import count_groups
from vigil.types import Fatalities, GeoPrecision

D = dt.date(2024, 3, 20)
WORDS = ("casualties", "casualty")


def _groups(events):
    return sorted(sorted(m.key for m in e.mentions) for e in events)


def test_reference_case_counts_soldiers_conservatively_and_casualties_as_approximate() -> None:
    text = (
        "The ambush killed 23 soldiers, the defence ministry said. The Islamic State group claimed "
        "the death of 30 soldiers. The army said approximately 31 insurgent casualties were recorded, "
        "and 17 others wounded."
    )
    a = article(text, dt.date(2024, 3, 23))
    m = mention(
        a,
        date=D,
        claims=(
            ("killed", 23, "soldiers", "official"),
            ("killed", 30, "soldiers", "perpetrator"),
            ("killed", 31, "attackers", "official"),
            ("injured", 17, "soldiers", "official"),
        ),
    )
    (event,) = fuse([m])
    by_group = {f.group: f for f in event.fatalities}
    assert by_group["soldiers"] == Fatalities("soldiers", 23, 23, 30)
    # "casualties" may all be wounded: the figure counts in best and high, and low allows 0.
    assert by_group["attackers"] == Fatalities("attackers", 31, 0, 31)
    assert by_group[None] == Fatalities(None, 54, 23, 61)
    assert event.injuries == 17
    assert any("23 (officials), 30 (the group)" in d for d in event.disagreements)


def test_perpetrator_claim_alone_is_not_best() -> None:
    a = article("The group said it killed 40 soldiers near Teguey.", D)
    (event,) = fuse([mention(a, date=D, claims=(("killed", 40, "soldiers", "perpetrator"),))])
    assert event.total_fatalities == Fatalities(None, 0, 0, 40)
    assert any("perpetrator" in d for d in event.disagreements)


def test_later_credible_toll_supersedes_and_same_day_reports_take_the_lowest() -> None:
    a1 = article("Gunmen killed 12 villagers in Ayorou on Monday.", dt.date(2024, 3, 20))
    a2 = article(
        "Gunmen killed 14 villagers in Ayorou, a local official said on Monday.", dt.date(2024, 3, 20), "B"
    )
    a3 = article(
        "The toll of Monday's attack in Ayorou rose to 19 villagers killed.", dt.date(2024, 3, 22), "C"
    )
    ms = [
        mention(
            a,
            date=D,
            event_type="Violence against civilians",
            sub="Attack",
            place=AYOROU,
            actors=((ISSP, "actor1"), (CIV, "actor2")),
            claims=(("killed", n, "civilians", "official"),),
        )
        for a, n in ((a1, 12), (a2, 14), (a3, 19))
    ]
    published = {a1.id: a1.published, a2.id: a2.published, a3.id: a3.published}
    (event,) = fuse(ms, published=published)
    assert event.total_fatalities == Fatalities(None, 19, 12, 19)
    (same_day,) = fuse(ms[:2], published=published)
    assert same_day.total_fatalities == Fatalities(None, 12, 12, 14)


def test_unspecified_count_is_a_total_not_added_to_the_groups() -> None:
    a = article("Eight people died: 5 soldiers and 3 civilians.", D)
    m = mention(
        a,
        date=D,
        claims=(
            ("killed", 8, None, "media"),
            ("killed", 5, "soldiers", "media"),
            ("killed", 3, "civilians", "media"),
        ),
    )
    rows, _ = count_groups([m], "killed", WORDS)
    assert rows[-1] == Fatalities(None, 8, 8, 8)


def test_reports_of_one_ambush_fuse_and_a_market_attack_the_same_day_stays_apart() -> None:
    reports = [
        (
            "Islamic State fighters ambushed an army convoy near Teguey on Wednesday, killing 23 soldiers.",
            TEGUEY,
            23,
            "official",
        ),
        (
            "IS claimed the Teguey ambush on the army convoy, saying 30 soldiers died.",
            TEGUEY,
            30,
            "perpetrator",
        ),
        (
            "Soldiers were ambushed in the Tillaberi region; the ministry said 23 soldiers died in the convoy attack.",
            TILLABERI,
            23,
            "official",
        ),
    ]
    ms = []
    for i, (text, place, n, kind) in enumerate(reports):
        geo = GeoPrecision.REGION if place is TILLABERI else GeoPrecision.NEAR
        ms.append(
            mention(
                article(text, dt.date(2024, 3, 22 + i), f"S{i}"),
                date=D,
                place=place,
                geo=geo,
                claims=(("killed", n, "soldiers", kind),),
            )
        )
    market = article(
        "Gunmen on motorbikes opened fire at the weekly market in Banibangou at noon, killing 9 traders.", D
    )
    ms.append(
        mention(
            market,
            date=D,
            event_type="Violence against civilians",
            sub="Attack",
            place=BANIBANGOU,
            actors=((ISSP, "actor1"), (CIV, "actor2")),
            claims=(("killed", 9, "civilians", "media"),),
        )
    )
    events = fuse(ms)
    assert _groups(events) == sorted([sorted(m.key for m in ms[:3]), [ms[3].key]])


def test_date_window_widens_with_precision() -> None:
    base = article("Clashes near Teguey left 4 soldiers dead.", D)
    near = article(
        "Clashes near Teguey on the army post: 4 soldiers dead, officials said.",
        D + dt.timedelta(days=2),
        "B",
    )
    far = article(
        "Clashes near Teguey at the army post: 4 soldiers dead, officials said again.",
        D + dt.timedelta(days=6),
        "C",
    )
    month = article(
        "In March, clashes near Teguey killed 4 soldiers at the army post.", dt.date(2024, 4, 2), "D"
    )
    claims = (("killed", 4, "soldiers", "official"),)
    m0 = mention(base, date=D, claims=claims)
    m1 = mention(near, date=D + dt.timedelta(days=2), claims=claims)
    m2 = mention(far, date=D + dt.timedelta(days=6), claims=claims)
    assert len(fuse([m0, m1])) == 1
    assert len(fuse([m0, m2])) == 2  # six days apart at day precision: two events
    m3 = mention(month, date=dt.date(2024, 3, 1), precision="month", claims=claims)
    assert len(fuse([m0, m3])) == 1


def test_other_country_or_incompatible_type_never_fuses() -> None:
    a = article("Fighting near Teguey killed 6 soldiers.", D)
    b = article("Fighting near Gao killed 6 soldiers.", D, "B")
    c = article("Protesters marched near Teguey against the fighting that killed 6 soldiers.", D, "C")
    ms = [
        mention(a, date=D, claims=(("killed", 6, "soldiers", "official"),)),
        mention(
            b, date=D, place=GAO, actors=((JNIM, "actor1"),), claims=(("killed", 6, "soldiers", "official"),)
        ),
        mention(c, date=D, event_type="Protests", sub="Peaceful protest", actors=()),
    ]
    assert len(fuse(ms)) == 3


def test_chaining_guard_keeps_two_events_that_a_vague_report_bridges() -> None:
    # Two precise reports 60 km apart (different events) and a vague, country-level report
    # that resembles both: it may join one of them, never glue the two together.
    a = article("Jihadists attacked the army post at Teguey, killing 7 soldiers.", D)
    b = article("Jihadists attacked the army post at Banibangou, killing 7 soldiers.", D, "B")
    c = article("Jihadists attacked an army post in western Niger, killing 7 soldiers.", D, "C")
    claims = (("killed", 7, "soldiers", "official"),)
    ms = [
        mention(a, date=D, claims=claims, place=TEGUEY),
        mention(b, date=D, claims=claims, place=BANIBANGOU),
        mention(c, date=D, claims=claims, place=None, geo=GeoPrecision.REGION),
    ]
    # The vague report has no place: its country is unknown, so it blocks apart.
    groups = _groups(fuse(ms))
    assert [ms[0].key] in groups and [ms[1].key] in groups
    vague = mention(c, date=D, claims=claims, place=TILLABERI, geo=GeoPrecision.REGION)
    groups = _groups(fuse([ms[0], ms[1], vague]))
    assert not any(ms[0].key in g and ms[1].key in g for g in groups)


def test_incremental_keeps_the_oldest_id_and_ignores_known_and_background_mentions() -> None:
    claims = (("killed", 23, "soldiers", "official"),)
    first = mention(
        article("An ambush near Teguey killed 23 soldiers on the convoy.", D), date=D, claims=claims
    )
    (event,) = fuse([first])
    later = mention(
        article("The convoy ambush near Teguey killed 23 soldiers, the army said.", D, "B"),
        date=D,
        claims=claims,
    )
    context = mention(
        article("Niger expelled French forces last year after the coup near Teguey.", D, "C"),
        date=D,
        background=True,
    )
    result = fuse([later, first, context], [event])
    assert len(result) == 1
    assert result[0].id == event.id
    assert [m.key for m in result[0].mentions] == [first.key, later.key]


def test_a_bridging_report_merges_two_stored_events_under_the_oldest_id() -> None:
    claims = (("killed", 5, "soldiers", "official"),)
    a = mention(article("Attack on the army post of Teguey: 5 soldiers killed.", D), date=D, claims=claims)
    b = mention(
        article("Army post attack at Teguey, 5 soldiers killed.", D + dt.timedelta(days=3), "B"),
        date=D + dt.timedelta(days=3),
        claims=claims,
    )
    old, new = fuse([a])[0], fuse([b])[0]
    bridge = mention(
        article("Attack on the army post at Teguey killed 5 soldiers, officials said.", D, "C"),
        date=D + dt.timedelta(days=1),
        precision="week",
        claims=claims,
    )
    (merged,) = fuse([bridge], [old, new])
    assert merged.id == old.id
    assert len(merged.mentions) == 3


def test_fuse_config_is_validated(tmp_path: Path) -> None:
    good = (Path(__file__).parents[1] / "src/vigil/data/fusion.toml").read_text()
    bad = tmp_path / "fusion.toml"
    bad.write_text(good.replace("place = 0.30", "place = 0.50"))
    with pytest.raises(ResourceError, match=r"fusion.toml: \[weights\] add up to 1.200"):
        load_fuse_config(bad)
    bad.write_text(good.replace("[windows]", "[windowz]"))
    with pytest.raises(ResourceError, match="not a valid fusion config"):
        load_fuse_config(bad)
    assert load_fuse_config().windows["day"] == 3


def test_actor_dictionary_shape_in_events() -> None:
    a = article("Soldiers clashed with fighters near Teguey.", D)
    (event,) = fuse([mention(a, date=D, actors=((ISSP, "actor1"), (FAN, "actor2"), (ISSP, "actor1")))])
    assert [(x.actor.id, x.role) for x in event.actors] == [("issp", "actor1"), ("mil-ne", "actor2")]


def test_a_firm_figure_beats_a_vague_quantity_and_people_is_a_total() -> None:
    from vigil.types import Claim, Span

    text = "Nine soldiers were wounded; several wounded soldiers were flown out. 12 people died."
    a = article(text, D)
    nine = Claim("injured", 9, Span(0, 4, "Nine"), group="soldiers", source_kind="official")
    several = Claim(
        "injured", 3, Span(28, 35, "several"), low=3, high=9, exact=False, hedge="several", group="soldiers"
    )
    people = Claim("killed", 12, Span(69, 71, "12"), group="people", source_kind="media")
    m = mention(a, date=D)
    m = type(m)(**{**{f: getattr(m, f) for f in m.__dataclass_fields__}, "claims": (nine, several, people)})
    (event,) = fuse([m])
    assert event.injuries == 9
    assert event.fatalities == [Fatalities("unspecified", 12, 12, 12), Fatalities(None, 12, 12, 12)]


def _varied_mentions() -> list:
    """Mentions that exercise every branch of the pair score: points near and far, admin-only
    places, no place, other countries, compatible and incompatible types, shared and different
    actors, one or several figures, other kinds of claims, date precisions, empty evidence."""
    texts = [
        "Gunmen killed 12 soldiers near Teguey on Monday, the army said.",
        "Twelve soldiers died in an attack on an army post near Teguey.",
        "Insurgents ambushed a patrol in Tillaberi region, 9 and 14 killed in two places.",
        "Villagers were abducted near Ayorou by armed men.",
        "A protest in Banibangou turned violent.",
        "Fighters attacked Gao market, killing 7 civilians.",
        "",
    ]
    places = [TEGUEY, AYOROU, BANIBANGOU, TILLABERI, GAO, None]
    kinds = [
        (),
        (("killed", 12, "soldiers", "official"),),
        (("killed", 9, "soldiers", "official"), ("killed", 14, "civilians", "media")),
        (("abducted", 5, "villagers", "witness"),),
        (("killed", 11, "soldiers", "official"), ("injured", 3, "soldiers", "official")),
    ]
    types = [
        ("Battles", "Armed clash"),
        ("Battles", "Government regains territory"),
        ("Violence against civilians", "Attack"),
        ("Riots", "Mob violence"),
        ("Protests", "Peaceful protest"),
    ]
    actor_sets = [
        ((ISSP, "actor1"), (FAN, "actor2")),
        ((JNIM, "actor1"), (CIV, "actor2")),
        (),
        ((FAN, "actor2"), (ISSP, "actor1")),
    ]
    out = []
    for k in range(60):
        text = texts[k % len(texts)] or " "
        a = article(text + f" #{k}", D, source=f"S{k}")
        place = places[k % len(places)]
        out.append(
            mention(
                a,
                date=D + dt.timedelta(days=k % 5),
                precision=("day", "day", "week", "month")[k % 4],
                place=place,
                geo=GeoPrecision.REGION if place is TILLABERI else GeoPrecision.NEAR,
                event_type=types[k % len(types)][0],
                sub=types[k % len(types)][1],
                actors=actor_sets[k % len(actor_sets)],
                claims=kinds[k % len(kinds)],
            )
        )
    return out


def test_bulk_pair_scores_equal_the_one_pair_scores_of_the_guard() -> None:
    import numpy as np

    from vigil.fuse import _Columns, _features, _Scorer, _stop_words

    cfg = load_fuse_config()
    scorer = _Scorer(cfg)
    shared: dict = {}
    feats = [_features(m, cfg, _stop_words(), True, shared) for m in _varied_mentions()]
    cols = _Columns(feats, scorer)
    pairs = [
        (i, j)
        for i in range(len(feats))
        for j in range(len(feats))
        if i != j and feats[i].country == feats[j].country
    ]
    bulk = cols.score(np.array([i for i, _ in pairs]), np.array([j for _, j in pairs]))
    one = [scorer.score(feats[i], feats[j]) for i, j in pairs]
    assert sum(s is None for s in one) > 100 and sum(s is not None and s >= cfg.threshold for s in one) > 20
    for (i, j), b, s in zip(pairs, bulk.tolist(), one, strict=True):
        if s is None:
            assert np.isnan(b), (i, j, b)
        else:
            assert b == pytest.approx(s, abs=1e-12), (i, j)


def test_max_candidates_compares_a_report_with_the_nearest_reports_in_date_first() -> None:
    import dataclasses

    claims = (("killed", 4, "soldiers", "official"),)
    first = mention(
        article("Four soldiers killed near Teguey in an attack on the army post.", D), date=D, claims=claims
    )
    # Two protests in the same region two days later, at Ayorou: nearer in date to `late`.
    others = [
        mention(
            article(f"Protesters marched in Ayorou against the closure of the market, day {k}.", D, f"O{k}"),
            date=D + dt.timedelta(days=2),
            place=AYOROU,
            event_type="Protests",
            sub="Peaceful protest",
            actors=(),
        )
        for k in range(2)
    ]
    late = mention(
        article("Attack on the army post near Teguey: four soldiers killed.", D, "L"),
        date=D + dt.timedelta(days=3),
        claims=claims,
    )
    mentions = [first, *others, late]
    pair = sorted([first.key, late.key])
    assert pair in _groups(fuse(mentions))
    capped = dataclasses.replace(load_fuse_config(), max_candidates=2)
    # `late` is scored against the two protests only, so it never meets `first`.
    assert pair not in _groups(fuse(mentions, config=capped))
    assert load_fuse_config().max_candidates == 200


def test_two_reports_naming_only_the_same_region_share_the_region_not_a_place() -> None:
    from vigil.fuse import _features, _Scorer, _stop_words

    cfg = load_fuse_config()
    scorer = _Scorer(cfg)

    def feat(text: str, place, geo: GeoPrecision, toponym: str):  # noqa: ANN001, ANN202
        m = mention(article(text, D), date=D, place=place, geo=geo, toponym=toponym)
        return _features(m, cfg, _stop_words(), True, {})

    region = [
        feat(f"Attack in Tillaberi region, report {k}.", TILLABERI, GeoPrecision.REGION, "Tillabéri")
        for k in (1, 2)
    ]
    assert scorer.place_score(*region) == cfg.place["same_admin1"]
    # A place the gazetteer lacks, named alike in both reports: the name is all there is.
    unknown = [feat(f"Attack at Kourki, report {k}.", None, GeoPrecision.NEAR, "Kourki") for k in (1, 2)]
    assert scorer.place_score(*unknown) == cfg.place["same_toponym"]
