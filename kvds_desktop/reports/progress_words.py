"""Levels, outlooks and forecasts in words, for the screens and the progress report alike."""

from __future__ import annotations

from datetime import date

from kvds_desktop.domain import labels
from kvds_desktop.domain.progress import Forecast, Outlook
from kvds_desktop.i18n import Translator

OUTLOOK_ORDER = (
    Outlook.LATE, Outlook.STALLED, Outlook.UNKNOWN, Outlook.ON_TRACK, Outlook.REACHED,
    Outlook.NO_TARGET,
)  # fmt: skip
AT_RISK = frozenset({Outlook.LATE, Outlook.STALLED})


def level_text(tr: Translator, level: str | None) -> str:
    """A level as people write it (A2, Alfa B); a dash for none."""
    return tr._(labels.label(labels.LEVEL, level)) if level else "–"


def month_text(tr: Translator, day: date | None) -> str:
    """'mrt 2028' / 'Mar 2028'; a dash for none."""
    return tr.date(day, "MMM yyyy") if day else "–"


def outlook_text(tr: Translator, outlook: Outlook) -> str:
    """The outlook in a word or two."""
    words = {
        Outlook.REACHED: tr._("target reached"),
        Outlook.ON_TRACK: tr._("on course"),
        Outlook.LATE: tr._("late"),
        Outlook.STALLED: tr._("no progress"),
        Outlook.UNKNOWN: tr._("too few measurements"),
        Outlook.NO_TARGET: tr._("no language target"),
    }
    return words[outlook]


def forecast_text(tr: Translator, forecast: Forecast, term_end: date | None) -> str:
    """One skill's outlook in a sentence: where it stands, how fast, when, against the end."""
    skill = tr._(labels.label(labels.SKILL, forecast.skill))
    now = level_text(tr, forecast.latest)
    target = level_text(tr, forecast.target)
    if forecast.outlook is Outlook.REACHED:
        return tr._("{skill}: {level}, target {target} reached").format(
            skill=skill, level=now, target=target
        )
    if forecast.outlook is Outlook.UNKNOWN:
        return tr._("{skill}: {level}; too few measurements for a forecast").format(
            skill=skill, level=now
        )
    if forecast.outlook is Outlook.NO_TARGET:
        return f"{skill}: {now}"
    pace = tr._("{steps} steps a year").format(
        steps=tr.number(round(forecast.steps_per_year or 0.0, 1))
    )
    if forecast.outlook is Outlook.STALLED:
        return tr._("{skill}: {level}, no rise; {target} not in sight").format(
            skill=skill, level=now, target=target
        )
    text = tr._("{skill}: {level}, {pace}; {target} around {when}").format(
        skill=skill, level=now, pace=pace, target=target,
        when=month_text(tr, forecast.reach_date),
    )  # fmt: skip
    if forecast.outlook is Outlook.LATE and term_end is not None:
        text += " " + tr._("(term ends {end})").format(end=month_text(tr, term_end))
    return text


def why_text(tr: Translator, forecasts: tuple[Forecast, ...], term_end: date | None) -> str:
    """The skills that hold a candidate back, worst first (empty when none does)."""
    worst = [f for f in forecasts if f.outlook in AT_RISK]
    worst.sort(key=lambda f: OUTLOOK_ORDER.index(f.outlook))
    return "; ".join(forecast_text(tr, f, term_end) for f in worst)
