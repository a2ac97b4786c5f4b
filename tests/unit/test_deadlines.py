"""The deadlines of the 2021 integration law, on fixed dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kvds_desktop.domain import rules
from kvds_desktop.domain.deadlines import CandidateFacts, DeadlineKind, deadlines_for

TODAY = date(2026, 11, 28)
BASE = CandidateFacts(
    law="wi2021",
    status="actief",
    route="b1",
    registration_date=date(2026, 10, 1),
    first_pip=None,
    term_start=None,
    term_end=None,
    map_complete=False,
    pvt_complete=False,
)


def kinds(facts: CandidateFacts, today: date = TODAY) -> list[DeadlineKind]:
    return [d.kind for d in deadlines_for(facts, today)]


def test_pip_due_ten_weeks_after_registration() -> None:
    (deadline,) = deadlines_for(BASE, TODAY)
    assert deadline.kind is DeadlineKind.PIP
    assert deadline.due == date(2026, 12, 10)
    assert deadline.days_left == 12 and not deadline.overdue
    late = deadlines_for(replace(BASE, registration_date=date(2026, 9, 1)), TODAY)[0]
    assert late.overdue and late.days_left == -18
    assert "late" in late.reason


def test_no_deadlines_for_the_2013_law_or_ended_candidacies() -> None:
    assert kinds(replace(BASE, law="wi2013")) == []
    assert kinds(replace(BASE, status="uitgestroomd")) == []


def test_route_switch_window_closing_within_two_months() -> None:
    start = date(2025, 7, 15)
    facts = replace(
        BASE, first_pip=date(2025, 7, 14), term_start=start, term_end=rules.term_end(start)
    )
    assert rules.route_switch_deadline(start) == date(2027, 1, 14)
    assert kinds(facts) == [DeadlineKind.ROUTE_SWITCH]
    assert kinds(facts, date(2026, 11, 1)) == []  # more than two months before
    assert kinds(facts, date(2027, 1, 15)) == []  # the window has closed


def test_term_ending_and_modules_missing() -> None:
    start = date(2024, 1, 2)
    facts = replace(
        BASE, first_pip=date(2024, 1, 1), term_start=start, term_end=rules.term_end(start)
    )
    assert rules.term_end(start) == date(2027, 1, 1)
    found = deadlines_for(facts, TODAY)
    assert [d.kind for d in found] == [DeadlineKind.TERM_END, DeadlineKind.MAP_PVT]
    assert found[1].modules == "MAP and PVT"
    done = replace(facts, map_complete=True, pvt_complete=True)
    assert kinds(done) == [DeadlineKind.TERM_END]
    z_route = replace(facts, route="z", pvt_complete=True)
    assert kinds(z_route) == [DeadlineKind.TERM_END]


def test_an_extension_moves_the_term_end() -> None:
    start = date(2024, 1, 2)
    facts = replace(
        BASE,
        first_pip=date(2024, 1, 1),
        term_start=start,
        term_end=rules.term_end(start, extension_months=12),
    )
    assert kinds(facts) == []
