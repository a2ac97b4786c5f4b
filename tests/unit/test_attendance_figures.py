"""Figures and signal rules on hand-made lessons with known hours and marks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.services import attendance as att
from tests.unit.scheduling_world import ACTOR
from tests.unit.test_attendance_world import MON_1, MON_2, NOW, WED_1, AttendanceWorld, aw

__all__ = ["aw"]


def _figures_world(aw: AttendanceWorld) -> None:
    aw.mark(MON_1, "Amal", "L", minutes=30)
    aw.mark(WED_1, "Amal", "A")
    aw.mark(MON_2, "Amal", "M", reason="ziek")
    aw.mark(MON_1, "Bilal", "Z")
    aw.mark(WED_1, "Bilal", "E", minutes=60)


def test_figures_of_a_candidate_count_hours_and_subtract_minutes(aw: AttendanceWorld) -> None:
    _figures_world(aw)
    f = att.figures_for_candidate(aw.db, aw.people["Amal"], MON_1, MON_2)
    assert (f.lessons, f.present, f.late_count, f.excused_absences, f.unexcused_absences,
            f.unmarked) == (3, 2, 1, 1, 0, 0)  # fmt: skip
    assert f.rate == pytest.approx(2 / 3)
    assert f.hours_offered == pytest.approx(2.5 + 2 + 2.5)
    assert f.hours_followed == pytest.approx(2.0 + 2.0)  # 30 minutes late
    assert (f.hours_excused, f.hours_unexcused) == (pytest.approx(2.5), 0)
    assert f.by_category == {"taal": pytest.approx((5.0, 2.0)),
                             "participatie": pytest.approx((2.0, 2.0))}  # fmt: skip
    assert f.online_hours_followed == pytest.approx(2.0)
    assert f.in_person_hours_followed == pytest.approx(2.0)
    assert f.z_route_language_hours == pytest.approx(2.0)
    assert f.z_route_participation_hours == pytest.approx(2.0)


def test_figures_of_a_group_has_one_row_per_member(aw: AttendanceWorld) -> None:
    _figures_world(aw)
    rows = att.figures_for_group(aw.db, aw.group, MON_1, MON_2)
    assert [r.name for r in rows] == ["Chaya Berhane", "Amal Haddad", "Bilal Nasser"]
    chaya, amal, bilal = rows
    assert (chaya.lessons, chaya.unmarked, chaya.rate, chaya.hours_followed) == (3, 3, 0.0, 0.0)
    assert amal == att.figures_for_candidate(aw.db, aw.people["Amal"], MON_1, MON_2)
    assert (bilal.present, bilal.unexcused_absences, bilal.unmarked) == (1, 1, 1)
    assert bilal.rate == pytest.approx(0.5)
    assert bilal.hours_followed == pytest.approx(1.0)  # left an hour early
    assert bilal.hours_unexcused == pytest.approx(2.5)


def test_figures_refuse_a_reversed_period(aw: AttendanceWorld) -> None:
    with pytest.raises(UserError):
        att.figures_for_group(aw.db, aw.group, MON_2, MON_1)


AT = date(2026, 9, 30)


def _signals_world(aw: AttendanceWorld, until: date = date(2026, 10, 7)) -> None:
    """Bilal misses 28 and 30 September unexcused; Chaya is ill from 23 September on."""
    special = {
        (date(2026, 9, 28), "Bilal"): ("Z", ""), (AT, "Bilal"): ("Z", ""),
        (date(2026, 9, 23), "Chaya"): ("M", "ziek"), (date(2026, 9, 28), "Chaya"): ("M", "ziek"),
        (AT, "Chaya"): ("M", "ziek"),
    }  # fmt: skip
    day = MON_1
    while day <= until:
        if day.isoweekday() in (1, 3):
            for (when, who), (code, reason) in special.items():
                if when == day:
                    aw.mark(day, who, code, reason=reason)
            att.mark_rest_present(aw.db, lesson_uid=aw.lesson(day), actor=ACTOR, now=NOW)
        day += timedelta(days=1)


def _fired(signals: list[att.SignalRow], aw: AttendanceWorld) -> set[tuple[str, str]]:
    names = {uid: first for first, uid in aw.people.items()}
    return {(names[s.candidate_uid], s.rule_kind) for s in signals}


def test_signals_follow_the_default_rules_and_say_which_fired(aw: AttendanceWorld) -> None:
    _signals_world(aw)
    assert att.find_signals(aw.db, AT) == []  # no rules yet
    assert att.ensure_default_rules(aw.db, ACTOR) == 3
    assert att.ensure_default_rules(aw.db, ACTOR) == 0
    rules = {r.kind: r for r in att.list_rules(aw.db)}
    signals = att.find_signals(aw.db, AT)
    assert _fired(signals, aw) == {
        ("Bilal", "rate"), ("Bilal", "unexcused"), ("Chaya", "rate"), ("Chaya", "consecutive"),
    }  # fmt: skip
    for s in signals:
        assert s.rule_uid == rules[s.rule_kind].uid
        assert s.message_id == att.signals.MESSAGES[s.rule_kind]
        assert s.message_id.format(**s.params)
        assert (s.klantmanager, s.municipality, s.period_key) == (
            "Hanneke Dijkstra", "Druten", "2026-W40",
        )  # fmt: skip
    by = {(s.candidate_uid, s.rule_kind): s for s in signals}
    assert by[(aw.people["Bilal"], "unexcused")].params == {"count": 2, "weeks": 4, "threshold": 2}
    assert by[(aw.people["Bilal"], "rate")].params["rate"] == 75.0
    assert by[(aw.people["Chaya"], "consecutive")].params == {"count": 3, "threshold": 3}


def test_a_sent_signal_is_recorded_and_not_repeated(aw: AttendanceWorld) -> None:
    _signals_world(aw)
    att.ensure_default_rules(aw.db, ACTOR)
    unexcused = next(r for r in att.list_rules(aw.db) if r.kind == "unexcused")
    att.mark_signal_sent(
        aw.db, candidate_uid=aw.people["Bilal"], rule_uid=unexcused.uid, period_key="2026-W40",
        on=AT, actor=ACTOR,
    )  # fmt: skip
    same_week = att.find_signals(aw.db, AT)
    sent = [s for s in same_week if s.sent_on is not None]
    assert [(s.candidate_uid, s.rule_kind, s.sent_on) for s in sent] == [
        (aw.people["Bilal"], "unexcused", AT)
    ]
    next_week = att.find_signals(aw.db, date(2026, 10, 7))
    assert (aw.people["Bilal"], "unexcused") not in {
        (s.candidate_uid, s.rule_kind) for s in next_week
    }  # at most once per 4 weeks
    att.save_rule(
        aw.db, id=unexcused.id, municipality="", kind="unexcused", threshold=2, min_lessons=0,
        window_weeks=4, max_repeats=2, active=True, actor=ACTOR,
    )  # fmt: skip
    again = att.find_signals(aw.db, date(2026, 10, 7))
    repeat = [s for s in again if s.rule_kind == "unexcused"]
    assert [(s.candidate_uid, s.sent_on, s.period_key) for s in repeat] == [
        (aw.people["Bilal"], None, "2026-W41")
    ]


def test_a_municipality_rule_replaces_the_general_rule_of_its_kind(aw: AttendanceWorld) -> None:
    _signals_world(aw)
    att.ensure_default_rules(aw.db, ACTOR)
    own = att.save_rule(
        aw.db, id=None, municipality="Druten", kind="rate", threshold=50, min_lessons=8,
        window_weeks=4, max_repeats=1, active=True, actor=ACTOR,
    )  # fmt: skip
    assert own in {r.id for r in att.list_rules(aw.db)}
    assert _fired(att.find_signals(aw.db, AT), aw) == {("Bilal", "unexcused"),
                                                       ("Chaya", "consecutive")}  # fmt: skip


def test_only_active_candidates_get_signals(aw: AttendanceWorld) -> None:
    from sqlalchemy import text

    _signals_world(aw)
    att.ensure_default_rules(aw.db, ACTOR)
    with aw.db.session() as session:
        session.connection().execute(
            text("UPDATE candidate SET status = 'gepauzeerd' WHERE uid = :u"),
            {"u": aw.people["Chaya"]},
        )
    assert {who for who, _kind in _fired(att.find_signals(aw.db, AT), aw)} == {"Bilal"}


@pytest.mark.parametrize(
    ("kind", "threshold", "window", "repeats"),
    [("often", 3, 4, 1), ("rate", 0, 4, 1), ("rate", 120, 4, 1), ("unexcused", 1.5, 4, 1),
     ("consecutive", 3, 0, 1), ("consecutive", 3, 4, 0)],
)  # fmt: skip
def test_invalid_rules_are_refused(
    aw: AttendanceWorld, kind: str, threshold: float, window: int, repeats: int
) -> None:
    with pytest.raises(UserError):
        att.save_rule(
            aw.db, id=None, municipality="", kind=kind, threshold=threshold, min_lessons=0,
            window_weeks=window, max_repeats=repeats, active=True, actor=ACTOR,
        )  # fmt: skip
