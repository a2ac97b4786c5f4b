"""The permission matrix: what each role may change, and what a scope covers."""

from __future__ import annotations

import pytest

from kvds_desktop.domain.access import WRITES, Area, Role, Scope, may_change, parse_role, restricted


def test_coordinator_changes_everything() -> None:
    assert all(may_change(Role.COORDINATOR, area) for area in Area)


def test_municipality_is_read_only() -> None:
    assert not any(may_change(Role.MUNICIPALITY, area) for area in Area)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.TEACHER, {Area.NOTES, Area.ATTENDANCE, Area.LESSONS, Area.PROGRESS}),
        (Role.JOB_COACH, {Area.NOTES, Area.WORK}),
    ],
)
def test_teacher_and_job_coach_change_their_own_areas(role: Role, allowed: set[Area]) -> None:
    assert {area for area in Area if may_change(role, area)} == allowed
    assert not may_change(role, Area.CANDIDATES)
    assert not may_change(role, Area.USERS)


def test_every_role_has_a_row() -> None:
    assert set(WRITES) == set(Role)


@pytest.mark.parametrize(
    ("text", "role"),
    [("coordinator", Role.COORDINATOR), ("Job-Coach", Role.JOB_COACH),
     ("job coach", Role.JOB_COACH), (" TEACHER ", Role.TEACHER),
     ("municipality", Role.MUNICIPALITY), ("admin", None), ("", None)],
)  # fmt: skip
def test_parse_role(text: str, role: Role | None) -> None:
    assert parse_role(text) is role


def test_scope() -> None:
    everywhere, druten = Scope.of(None), Scope.of("Druten")
    assert everywhere.everything and everywhere.covers("Wijchen") and everywhere.names() == ()
    assert druten.covers("Druten") and not druten.covers("Wijchen")
    assert not druten.covers(None)
    assert druten.covers_all(["Druten", "Druten"]) and not druten.covers_all(["Druten", "Wijchen"])
    assert Scope.of("") == everywhere
    assert druten.names() == ("Druten",)


def test_restricted() -> None:
    assert not restricted(Role.COORDINATOR, Scope())
    assert restricted(Role.COORDINATOR, Scope.of("Druten"))
    assert restricted(Role.TEACHER, Scope())


def test_a_refusal_names_the_area_and_the_role_in_the_users_language() -> None:
    from kvds_desktop.i18n import Translator
    from kvds_desktop.services.access_guard import AccessDenied, require_change

    with pytest.raises(AccessDenied) as refused:
        require_change(Role.JOB_COACH, "attendance_mark")
    dutch = refused.value.render(Translator.for_language("nl")._)
    assert "U mag aanwezigheid niet wijzigen: uw rol is jobcoach." in dutch
    english = refused.value.render(Translator.for_language("en")._)
    assert "You may not change attendance: your role is job coach." in english
