"""Matching: places and travel times, the hard rules with their reasons, score and rankings.

A constructed world (one group in Druten with lessons on Monday and Wednesday, a second
group from 7 December with lessons on Friday) holds candidates and opportunities made
so that each opportunity fails exactly one rule for Amal; the pilot data is checked
pair by pair against the lessons table, read independently of the matching code.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator, load_catalog
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.demo.names import ORGANISATIONS, VILLAGES
from kvds_desktop.services.work import matching
from kvds_desktop.services.work.pairs import RULES, PairCheck, ScoreWeights
from kvds_desktop.services.work.places import Places, place_key
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Opportunity, Organisation, Placement, WorkProfile
from tests.unit.scheduling_world import ACTOR, GROUP_START, World

TODAY = date(2026, 11, 28)  # a Saturday
NEXT_GROUP = date(2026, 12, 7)  # a Monday: the Friday group starts
EN = Translator.for_language("en")
# The reasons are new message ids; until the lead translates them, the Dutch test uses
# the real catalogue (weekday, skill, level and status names) plus these lines.
DUTCH_REASONS = {
    "free on {days}": "vrij op {days}",
    "lessons on {days}": "les op {days}",
    "already working on {days}": "werkt al op {days}",
    "not available on {days}": "niet beschikbaar op {days}",
    "{items} and {last}": "{items} en {last}",
    "{skill} {level} < {required}": "{skill} {level} < {required}",
    "{skill} not assessed, {required} needed": "{skill} niet gemeten, {required} nodig",
    "driving licence needed": "rijbewijs nodig",
    "missing {certificates}": "mist {certificates}",
    "{minutes} min {transport} (more than {max})": "{minutes} min {transport} (meer dan {max})",
    "by bike": "met de fiets",
    "travel time unknown: {place} is not a known place": "reistijd onbekend: {place} is onbekend",
    "{needed} hours a week, only {available} available":
        "{needed} uur per week, maar {available} beschikbaar",
    "the only place is taken": "de enige plek is bezet",
    "opportunity not active": "plek niet actief",
    "ended on {end}": "beëindigd op {end}",
    "available only from {available}, starts {start}":
        "pas beschikbaar vanaf {available}, begint {start}",
    "candidate is {status}": "kandidaat is {status}",
}  # fmt: skip
NL = Translator("nl", {**load_catalog("nl"), **DUTCH_REASONS})


# --- places and travel time ---------------------------------------------------------------


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


def test_travel_minutes_between_known_places(places: Places) -> None:
    bike = places.travel_minutes("Druten", "Wijchen", "fiets")
    assert bike is not None and 35 <= bike <= 65  # 12 km as the crow flies
    assert places.travel_minutes("Wijchen", "Druten", "fiets") == bike
    car = places.travel_minutes("Druten", "Wijchen", "auto")
    ov = places.travel_minutes("Druten", "Wijchen", "ov")
    walk = places.travel_minutes("Druten", "Wijchen", "lopen")
    assert car is not None and ov is not None and walk is not None
    assert car < ov < bike < walk
    assert 20 <= car <= 35
    near = places.travel_minutes("Puiflijk", "Druten", "fiets")
    assert near is not None and 5 <= near <= 20
    far = places.travel_minutes("Druten", "Nijmegen", "fiets")
    assert far is not None and far > bike


def test_same_place_takes_a_fixed_time(places: Places) -> None:
    expected = {"fiets": 10, "lopen": 10, "auto": 8, "ov": 15}
    for transport, minutes in expected.items():
        assert places.travel_minutes("Wijchen", "wijchen", transport) == minutes


def test_place_names_ignore_case_accents_and_districts(places: Places) -> None:
    assert place_key("  Beneden-LEEUWEN ") == "beneden leeuwen"
    found = places.find("Nijmegen-Dukenburg")
    assert found is not None and found.name == "Nijmegen"
    assert places.find("DRÜTEN") == places.find("Druten")
    assert places.find("Beneden Leeuwen") == places.find("Beneden-Leeuwen")
    assert places.find("Wijchen centrum") == places.find("Wijchen")
    municipality = places.find("West Maas en Waal")
    assert municipality is not None and municipality.municipality == "West Maas en Waal"
    assert places.find("Atlantis") is None
    assert places.find("") is None
    assert places.travel_minutes("Atlantis", "Druten", "fiets") is None
    with pytest.raises(ValueError):
        places.travel_minutes("Druten", "Wijchen", "paard")


def test_every_place_of_the_demo_data_is_known(places: Places) -> None:
    names = {village for villages in VILLAGES.values() for village, _code in villages}
    names |= {city for _name, _sector, city in ORGANISATIONS} | {"Tiel"}
    assert [name for name in sorted(names) if places.find(name) is None] == []


# --- a constructed world --------------------------------------------------------------------


@dataclass
class MatchWorld:
    """The world's database, its candidates by first name and opportunities by title."""

    world: World
    people: dict[str, str]
    opportunities: dict[str, str]

    @property
    def db(self) -> Database:
        return self.world.db


def _candidate(world: World, first: str, *, available_from: date, status: str = "actief",
               group: str, days: str = "2,4,5") -> str:  # fmt: skip
    uid = world.candidate(first, "Haddad")
    svc.add_member(world.db, group, uid, GROUP_START, ACTOR)
    with world.db.session() as session:
        conn = session.connection()
        conn.execute(
            text("UPDATE candidate SET city = 'Druten', status = :status,"
                 " registration_date = '2024-11-05' WHERE uid = :uid"),
            {"status": status, "uid": uid},
        )  # fmt: skip
        cid = conn.execute(
            text("SELECT id FROM candidate WHERE uid = :uid"), {"uid": uid}
        ).scalar_one()
        session.add(
            WorkProfile(
                candidate_id=cid, available_days=days, hours_per_week=16,
                available_from=available_from, transport="fiets", max_travel_minutes=30,
                driving_licence=False, certificates="VCA basis, EHBO", sector_wishes="horeca",
                work_history="kok in een restaurant", work_years=6, education_years=8,
            )
        )  # fmt: skip
    for skill, level in (("spreken", "a2"), ("luisteren", "a2"), ("lezen", "a1"),
                         ("schrijven", "a1")):  # fmt: skip
        world.assess(uid, skill, level, date(2026, 10, 1))
    return uid


BASE: dict[str, Any] = {
    "kind": "vrijwilligerswerk", "sector": "horeca", "days": "2", "hours_per_week": 12,
    "required_level": "a1", "skill_levels": "spreken=a2", "certificates": "VCA",
    "driving_licence_required": False, "start_date": date(2026, 9, 1), "end_date": None,
    "places": 2, "active": True,
}  # fmt: skip
# title -> (changes to BASE, organisation city)
CASES: dict[str, tuple[dict[str, Any], str]] = {
    "Basis": ({}, "Druten"),
    "Bouw": ({"sector": "bouw"}, "Druten"),
    "Start januari": ({"start_date": date(2027, 1, 4)}, "Druten"),
    "Lesdag": ({"days": "1,2"}, "Druten"),
    "Nieuwe groep": ({"days": "2,5"}, "Druten"),
    "Werkdag": ({"days": "2,4"}, "Druten"),
    "Zaterdag": ({"days": "2,6"}, "Druten"),
    "Spreken B1": ({"skill_levels": "spreken=b1"}, "Druten"),
    "Gesprekken": ({"skill_levels": "gesprekken=a1"}, "Druten"),
    "Rijbewijs": ({"driving_licence_required": True}, "Druten"),
    "VCA VOL": ({"certificates": "VCA VOL"}, "Druten"),
    "Ver weg": ({}, "Nijmegen"),
    "Onbekend": ({}, "Atlantis"),
    "Veel uren": ({"hours_per_week": 24}, "Druten"),
    "Vol": ({"places": 1}, "Druten"),
    "Eigen plek": ({"places": 1}, "Druten"),
    "Afgelopen": ({"end_date": date(2026, 11, 27)}, "Druten"),
    "Niet actief": ({"active": False}, "Druten"),
}
# title -> (the rule that fails for Amal, its reason in English, in Dutch)
FAILS: dict[str, tuple[str, str, str]] = {
    "Lesdag": ("days", "lessons on Mon", "les op ma"),
    "Nieuwe groep": ("days", "lessons on Fri", "les op vr"),
    "Werkdag": ("days", "already working on Thu", "werkt al op do"),
    "Zaterdag": ("days", "not available on Sat", "niet beschikbaar op za"),
    "Spreken B1": ("level", "speaking A2 < B1", "spreken A2 < B1"),
    "Gesprekken": ("level", "conversation not assessed, A1 needed",
                   "gesprekken niet gemeten, A1 nodig"),
    "Rijbewijs": ("licence", "driving licence needed", "rijbewijs nodig"),
    "VCA VOL": ("certificates", "missing VCA VOL", "mist VCA VOL"),
    "Onbekend": ("travel", "travel time unknown: Atlantis is not a known place",
                 "reistijd onbekend: Atlantis is onbekend"),
    "Veel uren": ("hours", "24 hours a week, only 16 available",
                  "24 uur per week, maar 16 beschikbaar"),
    "Vol": ("places", "the only place is taken", "de enige plek is bezet"),
    "Afgelopen": ("period", "ended on 27 Nov 2026", "beëindigd op 27 nov 2026"),
    "Niet actief": ("period", "opportunity not active", "plek niet actief"),
}  # fmt: skip
RUNNING = [title for title in CASES if title not in ("Afgelopen", "Niet actief")]


def _place(world: World, candidate: str, opportunity: str | None, days: str) -> None:
    """An active placement of ``candidate`` (uid) on ``opportunity`` (uid, or none)."""
    with world.db.session() as session:
        conn = session.connection()
        candidate_id = conn.execute(
            text("SELECT id FROM candidate WHERE uid = :uid"), {"uid": candidate}
        ).scalar_one()
        opportunity_id = conn.execute(
            text("SELECT id FROM opportunity WHERE uid = :uid"), {"uid": opportunity}
        ).scalar()
        session.add(
            Placement(candidate_id=candidate_id, opportunity_id=opportunity_id,
                      organisation_id=1, kind="vrijwilligerswerk", start_date=date(2026, 10, 1),
                      days=days, stage="geplaatst")
        )  # fmt: skip


def _opportunities(world: World) -> dict[str, str]:
    found: dict[str, str] = {}
    with Session(world.db.engine) as session:
        orgs: dict[str, int] = {}
        for city in ("Druten", "Nijmegen", "Atlantis"):
            org = Organisation(name=f"Werkgever {city}", sector="horeca", city=city)
            session.add(org)
            session.flush()
            assert org.id is not None
            orgs[city] = org.id
        for title, (changes, city) in CASES.items():
            opportunity = Opportunity(organisation_id=orgs[city], title=title, city=city,
                                      **{**BASE, **changes})  # fmt: skip
            session.add(opportunity)
            session.flush()
            found[title] = opportunity.uid
        session.commit()
    return found


@pytest.fixture(scope="module")
def mw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MatchWorld]:
    """Amal and Bilal (later available) in DRU-A (Mon, Wed) and from 7 December in
    DRU-VR (Fri); Amal works on Thursdays; Chaya is paused; Dawit holds the only place
    of "Vol"; Eva has no work profile; Fenna holds the only place of "Eigen plek" (Tue)."""
    world = World.create(tmp_path_factory.mktemp("matching"))
    group = world.group("DRU-A")
    world.slot(group, 1, time(9, 0), time(11, 30))
    world.slot(group, 3, time(9, 0), time(11, 30))
    friday = world.group("DRU-VR", start=NEXT_GROUP)
    world.slot(friday, 5, time(9, 0), time(11, 30), valid_from=NEXT_GROUP)
    world.generate(GROUP_START, TODAY + timedelta(days=60), today=GROUP_START)
    people = {
        "Amal": _candidate(world, "Amal", available_from=date(2026, 10, 1), group=group),
        "Bilal": _candidate(world, "Bilal", available_from=date(2027, 2, 1), group=group),
        "Chaya": _candidate(world, "Chaya", available_from=date(2026, 10, 1), group=group,
                            status="gepauzeerd"),
        "Dawit": world.candidate("Dawit", "Tesfaye"),
        "Eva": world.candidate("Eva", "Visser"),
        "Fenna": _candidate(world, "Fenna", available_from=date(2026, 10, 1), group=group),
    }  # fmt: skip
    svc.add_member(world.db, friday, people["Amal"], NEXT_GROUP, ACTOR)
    svc.add_member(world.db, friday, people["Bilal"], NEXT_GROUP, ACTOR)
    opportunities = _opportunities(world)
    _place(world, people["Amal"], None, "4")
    _place(world, people["Dawit"], opportunities["Vol"], "1")
    _place(world, people["Fenna"], opportunities["Eigen plek"], "2")
    yield MatchWorld(world, people, opportunities)
    world.close()


def _pairs(mw: MatchWorld, who: str, titles: list[str] | None = None) -> dict[str, PairCheck]:
    uids = None if titles is None else [mw.opportunities[t] for t in titles]
    pairs = matching.check_pairs(
        mw.db, today=TODAY, candidate_uids=[mw.people[who]], opportunity_uids=uids
    )
    return {p.opportunity_title: p for p in pairs}


def test_feasible_pairs_and_their_reasons(mw: MatchWorld) -> None:
    pairs = _pairs(mw, "Amal")
    assert sorted(pairs) == sorted(RUNNING)  # ended and inactive ones are left out
    assert {p.organisation for p in pairs.values()} >= {"Werkgever Druten", "Werkgever Nijmegen"}
    feasible = sorted(title for title, pair in pairs.items() if pair.feasible)
    assert feasible == ["Basis", "Bouw", "Start januari"]
    basis = pairs["Basis"]
    assert [matching.render_reason(r, EN) for r in basis.results] == [
        "free on Tue",
        "speaking A2 >= A2",
        "no driving licence needed",
        "has VCA",
        "10 min by bike (at most 30)",
        "12 hours a week, 16 available",
        "2 of 2 places left",
        "runs now, available",
    ]
    start = pairs["Start januari"].results[-1]
    assert matching.render_reason(start, EN) == "starts 4 Jan 2027, available by then"
    assert start.render(lambda message: message) == "starts 2027-01-04, available by then"


@pytest.mark.parametrize("title", sorted(FAILS))
def test_each_rule_fails_alone_with_its_reason(mw: MatchWorld, title: str) -> None:
    rule, english, dutch = FAILS[title]
    pair = _pairs(mw, "Amal", [title])[title]
    assert not pair.feasible
    assert pair.score == 0.0 and pair.score_parts == {}
    assert [r.rule for r in pair.failed] == [rule]
    assert matching.render_reason(pair.failed[0], EN) == english
    assert matching.render_reason(pair.failed[0], NL) == dutch


def test_travel_too_far_names_minutes_transport_and_maximum(mw: MatchWorld, places: Places) -> None:
    pair = _pairs(mw, "Amal", ["Ver weg"])["Ver weg"]
    assert [r.rule for r in pair.failed] == ["travel"]
    minutes = places.travel_minutes("Druten", "Nijmegen", "fiets")
    assert pair.failed[0].params == {"minutes": minutes, "transport": "fiets", "max": 30}
    assert matching.render_reason(pair.failed[0], EN) == f"{minutes} min by bike (more than 30)"
    assert matching.render_reason(pair.failed[0], NL) == f"{minutes} min met de fiets (meer dan 30)"


def test_two_weekdays_read_with_and(mw: MatchWorld) -> None:
    pair = _pairs(mw, "Chaya", ["Werkdag"])["Werkdag"]  # Chaya does not work on Thursday
    assert matching.render_reason(pair.results[0], EN) == "free on Tue and Thu"
    assert matching.render_reason(pair.results[0], NL) == "vrij op di en do"


@pytest.mark.parametrize(
    ("who", "english", "dutch"),
    [
        ("Bilal", "available only from 1 Feb 2027, starts 28 Nov 2026",
         "pas beschikbaar vanaf 1 feb 2027, begint 28 nov 2026"),
        ("Chaya", "candidate is paused", "kandidaat is gepauzeerd"),
    ],
)  # fmt: skip
def test_the_candidate_side_of_the_period(
    mw: MatchWorld, who: str, english: str, dutch: str
) -> None:
    """Bilal is available from February; Chaya is paused, so only checked when asked."""
    everyone = matching.check_pairs(mw.db, today=TODAY)
    assert {p.candidate_name for p in everyone} == {"Amal Haddad", "Bilal Haddad", "Fenna Haddad"}
    pair = _pairs(mw, who, ["Basis"])["Basis"]
    assert [r.rule for r in pair.failed] == ["period"]
    assert matching.render_reason(pair.failed[0], EN) == english
    assert matching.render_reason(pair.failed[0], NL) == dutch


def test_the_holder_of_a_place_keeps_it(mw: MatchWorld) -> None:
    """Dawit has no work profile: he is never matched, but his placement takes the place.
    Fenna's own placement neither takes her place nor her day from her."""
    assert matching.check_pairs(mw.db, today=TODAY, candidate_uids=[mw.people["Dawit"]]) == []
    free = matching.free_places(mw.db, TODAY)
    assert (free[mw.opportunities["Vol"]], free[mw.opportunities["Basis"]]) == (0, 2)
    pairs = _pairs(mw, "Fenna", ["Eigen plek", "Basis"])
    own = pairs["Eigen plek"]
    assert own.feasible
    assert [matching.render_reason(r, EN) for r in (own.results[0], own.results[6])] == [
        "free on Tue", "the only place is free",
    ]  # fmt: skip
    assert [matching.render_reason(r, EN) for r in pairs["Basis"].failed] == [
        "already working on Tue"
    ]
    feasible = matching.feasible_pairs(mw.db, today=TODAY)
    assert (mw.people["Fenna"], mw.opportunities["Eigen plek"]) in {
        (p.candidate_uid, p.opportunity_uid) for p in feasible
    }


def test_score_prefers_the_wished_sector_and_adds_up(mw: MatchWorld) -> None:
    pairs = _pairs(mw, "Amal")
    basis, bouw = pairs["Basis"], pairs["Bouw"]
    assert 0 < bouw.score < basis.score <= 100
    assert basis.score_parts["sector"] > 0
    assert bouw.score_parts["sector"] == 0
    assert sum(basis.score_parts.values()) == pytest.approx(basis.score, abs=0.1)
    only_travel = ScoreWeights(sector=0, experience=0, education=0, travel=1, benefit=0)
    pairs = matching.check_pairs(mw.db, today=TODAY, weights=only_travel,
                                 candidate_uids=[mw.people["Amal"]],
                                 opportunity_uids=[mw.opportunities["Basis"]])  # fmt: skip
    assert pairs[0].score == pytest.approx(100 * (1 - 10 / 30), abs=0.1)
    with pytest.raises(UserError):
        matching.check_pairs(mw.db, today=TODAY, weights=ScoreWeights(travel=-1))


def test_rankings_put_feasible_pairs_first(mw: MatchWorld) -> None:
    ranked = matching.rank_for_candidate(mw.db, mw.people["Amal"], today=TODAY)
    assert {p.opportunity_title for p in ranked[:3]} == {"Basis", "Bouw", "Start januari"}
    assert [p.score for p in ranked[:3]] == sorted((p.score for p in ranked[:3]), reverse=True)
    assert all(not p.feasible for p in ranked[3:])
    assert [len(p.failed) for p in ranked[3:]] == sorted(len(p.failed) for p in ranked[3:])
    assert len(matching.rank_for_candidate(mw.db, mw.people["Amal"], today=TODAY, limit=2)) == 2
    for_basis = matching.rank_for_opportunity(mw.db, mw.opportunities["Basis"], today=TODAY)
    assert [(p.candidate_name, p.feasible) for p in for_basis] == [
        ("Amal Haddad", True), ("Bilal Haddad", False), ("Fenna Haddad", False),
    ]  # fmt: skip
    with pytest.raises(UserError):
        matching.rank_for_candidate(mw.db, mw.people["Eva"], today=TODAY)  # no work profile
    with pytest.raises(UserError):
        matching.rank_for_candidate(mw.db, "no-such-uid", today=TODAY)
    with pytest.raises(UserError):
        matching.rank_for_opportunity(mw.db, "no-such-uid", today=TODAY)


def test_feasible_pairs_are_the_feasible_checked_pairs(mw: MatchWorld) -> None:
    checked = {
        (p.candidate_uid, p.opportunity_uid): p for p in matching.check_pairs(mw.db, today=TODAY)
    }
    feasible = matching.feasible_pairs(mw.db, today=TODAY)
    assert {(p.candidate_uid, p.opportunity_uid) for p in feasible} == {
        key for key, pair in checked.items() if pair.feasible
    }
    for pair in feasible:
        assert pair == checked[(pair.candidate_uid, pair.opportunity_uid)]


# --- the pilot data -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pilot(pilot_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("pilot-matching") / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    yield db
    db.close()


def _lesson_weekdays(db: Database, today: date) -> dict[str, set[int]]:
    """Per candidate uid: weekdays with a lesson (not cancelled) in the coming four weeks,
    in a group the candidate belongs to on that day; straight from the tables."""
    found: dict[str, set[int]] = {}
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT c.uid, l.lesson_date FROM lesson l"
                " JOIN group_membership m ON m.group_id = l.group_id"
                " JOIN candidate c ON c.id = m.candidate_id"
                " WHERE l.cancelled = 0 AND l.lesson_date BETWEEN :start AND :end"
                " AND m.start_date <= l.lesson_date"
                " AND (m.end_date IS NULL OR m.end_date >= l.lesson_date)"
            ),
            {"start": today.isoformat(), "end": (today + timedelta(days=27)).isoformat()},
        )
        for uid, day in rows:
            found.setdefault(uid, set()).add(date.fromisoformat(str(day)[:10]).isoweekday())
    return found


def test_pilot_feasible_pairs_never_clash_with_lessons(pilot: Database) -> None:
    pairs = matching.check_pairs(pilot, today=TODAY)
    assert len(pairs) > 1000
    with pilot.engine.connect() as conn:
        days = {
            uid: {int(d) for d in (value or "").split(",") if d.strip()}
            for uid, value in conn.execute(text("SELECT uid, days FROM opportunity"))
        }
    lessons = _lesson_weekdays(pilot, TODAY)
    assert len(lessons) > 50  # the check below is not empty
    assert any(p.feasible for p in pairs)
    for pair in pairs:
        assert tuple(r.rule for r in pair.results) == RULES
        clash = days[pair.opportunity_uid] & lessons.get(pair.candidate_uid, set())
        if pair.feasible:
            assert not clash, pair
            assert 0 < pair.score <= 100
        else:
            assert pair.failed and pair.score == 0
            assert all(matching.render_reason(r, EN) for r in pair.failed)
        if clash:  # and the other way round: a lesson on one of its days always fails
            assert not pair.results[0].passed, pair
        for result in pair.results:
            matching.render_reason(result, NL)  # every parameter is filled in


def test_pilot_feasible_pairs_match_the_full_check(pilot: Database) -> None:
    checked = matching.check_pairs(pilot, today=TODAY)
    feasible = matching.feasible_pairs(pilot, today=TODAY)
    assert feasible == [p for p in checked if p.feasible]
    capacity = matching.free_places(pilot, TODAY)
    for pair in feasible:
        assert capacity[pair.opportunity_uid] > 0
