"""The language progress commands: record a level, show progress, export the progress report.

``kvds assess``, ``kvds progress`` and ``kvds export progress``. A candidate is named by
uid or client number, a group by its name; skills and levels by their codes or labels
(``lezen``, ``reading``, ``b1``, ``B1``, ``"Alfa A"``) in any case. Registered by
:mod:`kvds_desktop.cli`; the commands share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of as _actor
from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.cli_options import json_option as _json_option
from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import AssessmentMethod, Skill
from kvds_desktop.domain.progress import Outlook
from kvds_desktop.exchange.candidate_export import export_format
from kvds_desktop.exchange.files import check_target
from kvds_desktop.exchange.progress_export import export_progress
from kvds_desktop.reports.progress_words import (
    AT_RISK,
    forecast_text,
    level_text,
    month_text,
    outlook_text,
    why_text,
)
from kvds_desktop.services import progress
from kvds_desktop.services.audit import record_export
from kvds_desktop.services.candidates import find_candidate
from kvds_desktop.services.scheduling import find_group

if TYPE_CHECKING:
    from kvds_desktop.cli import Context
    from kvds_desktop.i18n import Translator

EXIT_OK = 0


# -- kvds assess ---------------------------------------------------------------------------


def _assess(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    skill = progress.skill_code(a.skill, tr.gettext)
    level = progress.level_code(a.level, tr.gettext)
    instrument = progress.instrument_code(a.instrument, tr.gettext)
    actor = _actor(ctx)
    db = ctx.open()
    try:
        row = progress.record_assessment(
            db, candidate_uid=find_candidate(db, a.candidate), skill=skill, level=level,
            day=a.day or ctx.today, instrument=instrument,
            assessor=actor.name if a.assessor is None else a.assessor, note=a.note or "",
            actor=actor, today=ctx.today, now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        db.close()
    data = {
        "uid": row.uid,
        "candidate": row.candidate_uid,
        "skill": row.skill,
        "level": row.level,
        "date": row.day.isoformat(),
        "instrument": row.instrument,
        "assessor": row.assessor,
        "note": row.note,
    }
    text = tr._("Level {level} for {skill} saved ({date}, {instrument}).").format(
        level=level_text(tr, row.level),
        skill=tr._(labels.label(labels.SKILL, row.skill)),
        date=row.day.isoformat(),
        instrument=tr._(labels.label(labels.METHOD, row.instrument)),
    )
    ctx.emit(data, text)
    return EXIT_OK


# -- kvds progress -------------------------------------------------------------------------


def _forecast_json(f: Any) -> dict[str, Any]:
    return {
        "skill": f.skill,
        "latest": f.latest,
        "target": f.target,
        "outlook": f.outlook.value,
        "reach_date": f.reach_date.isoformat() if f.reach_date else None,
        "steps_per_year": round(f.steps_per_year, 3) if f.steps_per_year is not None else None,
        "points": f.points,
    }


def _row_json(row: progress.CandidateProgress) -> dict[str, Any]:
    return {
        "candidate_uid": row.candidate_uid,
        "name": row.name,
        "klantnummer": row.klantnummer,
        "law": row.law,
        "route": row.route,
        "target": row.target,
        "target_source": row.target_source,
        "term_end": row.term_end.isoformat() if row.term_end else None,
        "hours_followed": row.hours_followed,
        "hours_in_person": row.hours_in_person,
        "afschalen_possible": row.afschalen_possible,
        "worst": row.worst.value,
        "at_risk": row.at_risk,
        "groups": list(row.groups),
        "forecasts": [_forecast_json(f) for f in row.forecasts],
    }


def _reason(tr: Translator, row: progress.CandidateProgress) -> str:
    """Why the worst outlook is what it is, in words."""
    if row.worst is Outlook.NO_TARGET:
        return tr._("The route has no language target.")
    if row.worst in AT_RISK:
        return why_text(tr, row.forecasts, row.term_end)
    worst = [f for f in row.forecasts if f.outlook is row.worst and f.skill != Skill.GESPREKKEN]
    return "; ".join(forecast_text(tr, f, row.term_end) for f in worst)


def _row_text(tr: Translator, row: progress.CandidateProgress) -> list[str]:
    route = tr._(labels.label(labels.ROUTE, row.route)) if row.route else "–"
    source = tr._("from the PIP") if row.target_source == "pip" else tr._("from the route")
    head = tr._("{name} ({number}) · route {route} · target {target} ({source}) · "
                "term ends {end}").format(
        name=row.name, number=row.klantnummer or "–", route=route,
        target=level_text(tr, row.target), source=source, end=month_text(tr, row.term_end),
    )  # fmt: skip
    hours = tr._("{hours} hours of lessons followed, {person} in person.").format(
        hours=tr.number(round(row.hours_followed)), person=tr.number(round(row.hours_in_person))
    )
    if row.afschalen_possible:
        hours += " " + tr._("Afschalen to A2 is possible (600 hours, half in person).")
    lines = [head, "  " + hours]
    lines += ["  " + forecast_text(tr, f, row.term_end) for f in row.forecasts]
    outlook = tr._("Outlook: {outlook}.").format(outlook=outlook_text(tr, row.worst))
    reason = _reason(tr, row)
    lines.append("  " + (f"{outlook} {reason}" if reason else outlook))
    return lines


def _progress(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        if not a.group:
            row = progress.candidate_progress(db, find_candidate(db, a.candidate), ctx.today)
            ctx.emit(_row_json(row), "\n".join(_row_text(tr, row)))
            return EXIT_OK
        group = progress.group_progress(db, find_group(db, a.group), ctx.today)
    finally:
        db.close()
    data = {
        "group_uid": group.group_uid,
        "group_name": group.group_name,
        "location": group.location,
        "level_band": group.level_band,
        "spread": group.spread,
        "at_risk": [r.candidate_uid for r in group.at_risk],
        "rows": [_row_json(r) for r in group.rows],
    }
    ctx.emit(data, _group_text(tr, group))
    return EXIT_OK


def _group_text(tr: Translator, group: progress.GroupProgress) -> str:
    spread = ", ".join(
        f"{tr._(labels.label(labels.SKILL, skill))} {steps}"
        for skill, steps in group.spread.items()
    )
    lines = [
        tr._("{group} ({location}, {band}): {count} members").format(
            group=group.group_name, location=group.location, band=group.level_band or "–",
            count=len(group.rows),
        ),
        tr._("Spread of levels (steps between highest and lowest): {parts}.").format(
            parts=spread or "–"
        ),
    ]  # fmt: skip
    risky = group.at_risk
    lines.append(
        tr.ngettext(
            "{n} member will not reach the target before the term ends:",
            "{n} members will not reach the target before the term ends:",
            len(risky),
        ).format(n=len(risky))
    )
    lines += [
        f"  {r.name} ({outlook_text(tr, r.worst)}): {why_text(tr, r.forecasts, r.term_end)}"
        for r in risky
    ]
    for row in group.rows:
        lines += ["", *_row_text(tr, row)]
    return "\n".join(lines)


# -- kvds export progress ------------------------------------------------------------------


def _export(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    out = Path(a.out).expanduser()
    kind = export_format(out)  # refuse a wrong extension or place before reading anything
    check_target(out)
    db = ctx.open()
    try:
        if a.group:
            rows = list(progress.group_progress(db, find_group(db, a.group), ctx.today).rows)
        else:
            rows = progress.progress_rows(db, today=ctx.today)
        count = export_progress([progress.export_row(r) for r in rows], out, language=tr.language)
        record_export(db, _actor(ctx), "progress", str(out), count=count)
    finally:
        db.close()
    data = {"path": str(out), "format": kind, "rows": count, "group": a.group}
    ctx.emit(data, tr._("{count} candidates written to {path}.").format(count=count, path=out))
    return EXIT_OK


def add_commands(
    command: Callable[[str, str], argparse.ArgumentParser],
    exports: argparse._SubParsersAction[argparse.ArgumentParser] | None = None,
) -> None:
    """Add ``assess`` and ``progress``; with ``exports`` (the ``kvds export`` kind chooser)
    also ``export progress``."""
    assess = command("assess", "record a measured language level")
    assess.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    assess.add_argument("--skill", required=True, metavar="SKILL", help="lezen, reading, ...")
    assess.add_argument("--level", required=True, metavar="LEVEL", help='b1, B1, "Alfa A", ...')
    assess.add_argument("--date", dest="day", type=_date, metavar="DATE", help="default: today")
    assess.add_argument(
        "--instrument",
        default=AssessmentMethod.PROGRESS_TEST.value,
        metavar="HOW",
        help="observatie, plaatsingstoets, voortgangstoets (default) or examen",
    )
    assess.add_argument("--assessor", metavar="NAME", help="who measured (default: you)")
    assess.add_argument("--note", metavar="TEXT")
    assess.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    assess.set_defaults(run=_assess)

    show = command("progress", "forecast per skill against the target and the term end")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--candidate", metavar="REF", help="id or client number")
    which.add_argument("--group", metavar="NAME", help="every current member of a group")
    show.set_defaults(run=_progress)

    if exports is not None:
        export = _json_option(
            exports.add_parser("progress", help="export the progress report (CSV or XLSX)")
        )
        export.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx")
        export.add_argument("--group", metavar="NAME", help="only this group (default: all)")
        export.set_defaults(run=_export)
