"""Dates as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from kvds_desktop.domain.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30-11-2026", date(2026, 11, 30)),
        ("3-2-1990", date(1990, 2, 3)),
        ("03/02/1990", date(1990, 2, 3)),
        ("2026-11-30", date(2026, 11, 30)),
        ("  ", None),
    ],
)
def test_the_forms_people_use(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2026", "30-11", "morgen", "2026-13-01"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)
