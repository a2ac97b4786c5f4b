"""The shared progress rules on constructed trajectories: targets, forecasts, afschalen, spread."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kvds_desktop.domain.progress import (
    DAYS_PER_YEAR,
    FORECAST_WINDOW_DAYS,
    LevelPoint,
    Outlook,
    can_afschalen,
    forecast_skill,
    spread,
    target_for_route,
    worst_outlook,
)

TODAY = date(2026, 11, 28)
DEC_1 = date(2025, 12, 1)
HALF_YEAR_LATER = DEC_1 + timedelta(days=182)  # 2026-06-01


def _points(*pairs: tuple[date, str]) -> list[LevelPoint]:
    return [LevelPoint(day, level) for day, level in pairs]


# -- targets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "override", "expected"),
    [
        ("b1", None, "b1"),
        ("onderwijs", None, "b1"),
        ("z", None, "a1"),
        ("wi2013", None, "a2"),
        ("participatie", None, None),
        (None, None, None),
        ("no-such-route", None, None),
        ("b1", "a2", "a2"),  # afschalen: the PIP's target wins
        ("participatie", "a1", "a1"),
        ("b1", "b9", "b1"),  # a target that is no level is ignored
        ("b1", "", "b1"),
    ],
)
def test_the_target_comes_from_the_plan_else_the_route(
    route: str | None, override: str | None, expected: str | None
) -> None:
    found = target_for_route(route, override)
    assert (found.value if found else None) == expected


# -- forecasts -----------------------------------------------------------------------------


def test_a_steady_rise_reaching_b1_before_the_term_end_is_on_track_with_the_date() -> None:
    # A1 -> A2 in 182 days: one step per 182 days, so B1 another 182 days after A2.
    points = _points((DEC_1, "a1"), (HALF_YEAR_LATER, "a2"))
    f = forecast_skill("lezen", points, "b1", date(2028, 1, 1), TODAY)
    assert f.outlook is Outlook.ON_TRACK
    assert f.reach_date == DEC_1 + timedelta(days=364)  # 2026-11-30
    assert f.latest == "a2" and f.target == "b1" and f.points == 2
    assert f.steps_per_year == pytest.approx(DAYS_PER_YEAR / 182)


def test_the_line_is_least_squares_through_every_point() -> None:
    origin = date(2026, 1, 1)
    points = _points(
        (origin, "alfa_c"),
        (origin + timedelta(days=100), "a2"),  # above the line
        (origin + timedelta(days=200), "a2"),
        (origin + timedelta(days=300), "b1"),
    )
    # ranks 2, 4, 4, 5 at x = 0, 100, 200, 300: slope 0.009 / day, intercept 2.4
    f = forecast_skill("spreken", points, "b2", None, origin + timedelta(days=300))
    assert f.outlook is Outlook.ON_TRACK
    assert f.steps_per_year == pytest.approx(0.009 * DAYS_PER_YEAR)
    assert f.reach_date == origin + timedelta(days=round((6 - 2.4) / 0.009))  # day 400


def test_a_slow_rise_that_reaches_b1_after_the_term_end_is_late() -> None:
    points = _points((DEC_1, "a1"), (HALF_YEAR_LATER, "a2"))
    reach = DEC_1 + timedelta(days=364)
    late = forecast_skill("lezen", points, "b1", reach - timedelta(days=1), TODAY)
    assert late.outlook is Outlook.LATE and late.reach_date == reach
    on_the_day = forecast_skill("lezen", points, "b1", reach, TODAY)
    assert on_the_day.outlook is Outlook.ON_TRACK  # reaching it on the last day is in time


def test_without_a_term_end_a_rise_is_never_late() -> None:
    points = _points((date(2020, 1, 1), "alfa_a"), (date(2020, 6, 1), "alfa_a"))
    points += _points((TODAY - timedelta(days=400), "alfa_a"), (TODAY, "alfa_b"))
    f = forecast_skill("lezen", points, "c1", None, TODAY)
    assert f.outlook is Outlook.ON_TRACK and f.reach_date is not None


@pytest.mark.parametrize(
    ("first", "second", "slope"),
    [("a1", "a1", 0.0), ("a2", "a1", -DAYS_PER_YEAR / 182)],
    ids=["flat", "falling"],
)
def test_flat_or_falling_levels_are_stalled(first: str, second: str, slope: float) -> None:
    f = forecast_skill("schrijven", _points((DEC_1, first), (HALF_YEAR_LATER, second)), "b1",
                       date(2028, 1, 1), TODAY)  # fmt: skip
    assert f.outlook is Outlook.STALLED
    assert f.reach_date is None
    assert f.steps_per_year == pytest.approx(slope)
    assert f.latest == second


def test_one_assessment_or_two_on_one_day_give_no_forecast() -> None:
    one = forecast_skill("lezen", _points((DEC_1, "a1")), "b1", date(2028, 1, 1), TODAY)
    assert (one.outlook, one.latest, one.points, one.reach_date) == (
        Outlook.UNKNOWN, "a1", 1, None,
    )  # fmt: skip
    same_day = _points((DEC_1, "a1"), (DEC_1, "a2"))
    assert forecast_skill("lezen", same_day, "b1", None, TODAY).outlook is Outlook.UNKNOWN
    nothing = forecast_skill("lezen", [], "b1", None, TODAY)
    assert (nothing.outlook, nothing.latest, nothing.points) == (Outlook.UNKNOWN, None, 0)


def test_a_target_already_reached_is_reached_on_the_day_it_was_measured() -> None:
    points = _points((HALF_YEAR_LATER, "b2"), (DEC_1, "a2"))  # any order: latest by date
    f = forecast_skill("luisteren", points, "b1", date(2026, 1, 1), TODAY)
    assert (f.outlook, f.latest, f.reach_date) == (Outlook.REACHED, "b2", HALF_YEAR_LATER)
    exactly = forecast_skill("luisteren", _points((DEC_1, "a2")), "a2", None, TODAY)
    assert exactly.outlook is Outlook.REACHED


def test_a_line_that_should_have_reached_the_target_already_is_forecast_for_today() -> None:
    early = _points((date(2025, 1, 6), "a1"), (date(2025, 1, 16), "a2"))
    f = forecast_skill("lezen", early, "b1", date(2027, 1, 1), TODAY)
    assert (f.outlook, f.reach_date) == (Outlook.ON_TRACK, TODAY)


def test_points_outside_the_two_year_window_are_ignored_for_the_line() -> None:
    old = TODAY - timedelta(days=FORECAST_WINDOW_DAYS + 1)
    recent = _points((TODAY - timedelta(days=300), "a1"), (TODAY - timedelta(days=10), "a1"))
    # With the old Alfa A the line would rise; inside the window it is flat.
    f = forecast_skill("lezen", [LevelPoint(old, "alfa_a"), *recent], "b1", None, TODAY)
    assert (f.outlook, f.points, f.latest) == (Outlook.STALLED, 2, "a1")
    edge = TODAY - timedelta(days=FORECAST_WINDOW_DAYS)  # the window's first day counts
    g = forecast_skill("lezen", [LevelPoint(edge, "alfa_a"), *recent], "b1", None, TODAY)
    assert g.outlook is Outlook.ON_TRACK and g.points == 3
    only_old = forecast_skill(
        "lezen", [LevelPoint(old, "alfa_a"), LevelPoint(TODAY, "a1")], "b1", None, TODAY
    )
    assert (only_old.outlook, only_old.points, only_old.latest) == (Outlook.UNKNOWN, 1, "a1")


def test_future_points_and_unknown_levels_are_ignored() -> None:
    points = _points((DEC_1, "a1"), (TODAY + timedelta(days=1), "b1"), (HALF_YEAR_LATER, "x9"))
    f = forecast_skill("lezen", points, "b1", None, TODAY)
    assert (f.outlook, f.latest, f.points) == (Outlook.UNKNOWN, "a1", 1)


def test_without_a_target_there_is_no_outlook_but_the_latest_level() -> None:
    f = forecast_skill("lezen", _points((DEC_1, "a1"), (HALF_YEAR_LATER, "a2")), None, None, TODAY)
    assert (f.outlook, f.latest, f.target, f.reach_date) == (Outlook.NO_TARGET, "a2", None, None)


def test_the_worst_outlook_orders_late_stalled_unknown_on_track_reached() -> None:
    order = [Outlook.LATE, Outlook.STALLED, Outlook.UNKNOWN, Outlook.ON_TRACK, Outlook.REACHED]
    for index, outlook in enumerate(order):
        assert worst_outlook(order[index:]) is outlook
        assert worst_outlook(list(reversed(order[index:]))) is outlook
    assert worst_outlook([]) is Outlook.NO_TARGET
    assert worst_outlook(["reached", "on_track"]) is Outlook.ON_TRACK


# -- afschalen and spread ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("followed", "in_person", "allowed"),
    [
        (600.0, 300.0, True),  # both boundaries met exactly
        (599.75, 599.75, False),  # just short of 600 hours
        (600.0, 299.75, False),  # just short of half in person
        (1000.0, 500.0, True),
        (1000.0, 499.0, False),  # half of all hours, not of the 600
        (0.0, 0.0, False),
    ],
)
def test_afschalen_needs_600_hours_half_in_person(
    followed: float, in_person: float, allowed: bool
) -> None:
    assert can_afschalen(followed, in_person) is allowed


@pytest.mark.parametrize(
    ("levels", "steps"),
    [
        ([], 0),
        (["a2"], 0),
        (["alfa_a", "b1"], 5),
        (["a1", "", "a2", "a1"], 1),
        (["c1", "alfa_a"], 7),
    ],
)
def test_spread_counts_the_steps_between_highest_and_lowest(levels: list[str], steps: int) -> None:
    assert spread(levels) == steps
