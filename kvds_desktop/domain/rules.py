"""Rules of the integration law as pure functions of dates.

Every function takes the dates it needs; none reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

PIP_DEADLINE_DAYS = 70  # 10 weeks after registration
TERM_YEARS = 3
ROUTE_SWITCH_MONTHS = 18


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by whole months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate_day))
        except ValueError:
            continue
    raise ValueError(f"cannot move {day} by {months} months")  # pragma: no cover


def pip_deadline(registration: date) -> date:
    """The last day on which the first PIP must be decided (10 weeks after registration)."""
    return registration + timedelta(days=PIP_DEADLINE_DAYS)


def term_start(first_pip: date) -> date:
    """The integration term starts the day after the date of the first PIP."""
    return first_pip + timedelta(days=1)


def term_end(start: date, extension_months: int = 0) -> date:
    """The last day of the 3-year term, moved by any extensions."""
    return add_months(start, TERM_YEARS * 12 + extension_months) - timedelta(days=1)


def route_switch_deadline(start: date) -> date:
    """The last day a route switch is still possible (18 months after the term start)."""
    return add_months(start, ROUTE_SWITCH_MONTHS) - timedelta(days=1)
