"""The progress report of one candidate: the facts gathered and put into the reader's words.

Attendance is summed over the last three months and since the start of the term; the
advice follows from the outlook per skill and the afschalen rule, in plain sentences a
klantmanager can act on.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import desc, select

from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import Exemption, Level, Skill
from kvds_desktop.domain.progress import Outlook
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.progress_report import ProgressReport, progress_report_pdf
from kvds_desktop.reports.progress_words import forecast_text, level_text
from kvds_desktop.services.attendance import figures_for_candidate
from kvds_desktop.services.attendance.common import CANDIDATE, TABLES
from kvds_desktop.services.candidates import candidate_detail
from kvds_desktop.services.progress import assessment_history, candidate_progress
from kvds_desktop.services.progress.exams import ExamPartRow, exam_overview
from kvds_desktop.services.progress.modules import ModuleOverview, module_overview
from kvds_desktop.store.database import Database

NOTE = TABLES["candidate_note"]
RECENT_DAYS = 91


def _last_note(db: Database, candidate_uid: str) -> tuple[datetime, str, str] | None:
    with db.engine.connect() as conn:
        row = conn.execute(
            select(NOTE.c.written_at, NOTE.c.author, NOTE.c.text)
            .select_from(NOTE.join(CANDIDATE, CANDIDATE.c.id == NOTE.c.candidate_id))
            .where(CANDIDATE.c.uid == candidate_uid)
            .order_by(desc(NOTE.c.written_at))
            .limit(1)
        ).first()
    return (row[0], row[1] or "", row[2] or "") if row is not None else None


def _exam_row(tr: Translator, part: ExamPartRow) -> tuple[str, ...]:
    last = part.attempts[-1] if part.attempts else None
    result = tr._(labels.label(labels.EXAM_RESULT, last.result)) if last else "–"
    if last is not None:
        result += f", {tr.date(last.day, 'short')}"
    exempt = (
        tr._(labels.label(labels.EXEMPTION, part.exemption))
        if part.exemption and part.exemption != Exemption.NONE
        else "–"
    )
    return (
        tr._(labels.label(labels.EXAM_PART, part.part)),
        level_text(tr, part.target_level),
        str(len(part.attempts)),
        result,
        exempt,
    )


def _module_lines(tr: Translator, module: ModuleOverview) -> tuple[str, ...]:
    lines = []
    if module.kind:
        done = sum(1 for t in module.themes if t.completed_on)
        interview = tr.date(module.final_interview, "short") if module.final_interview else None
        lines.append(
            tr._("{module}: {hours} of {needed} practical hours; {done} of {total} themes "
                 "done; final interview: {interview}.").format(
                module=module.kind.upper(), hours=tr.number(round(module.practical_hours, 1)),
                needed=tr.number(module.hours_needed), done=done, total=len(module.themes),
                interview=interview or tr._("not yet"))
        )  # fmt: skip
    if module.pvt_applies:
        lines.append(
            tr._("PVT signed: {day}.").format(
                day=tr.date(module.pvt_signed, "short") if module.pvt_signed else tr._("not yet")
            )
        )
    if module.z_route:
        lines.append(
            tr._("Z-route: {language} of {language_needed} language hours, {participation} of "
                 "{participation_needed} participation hours.").format(
                language=tr.number(round(module.z_language_hours)),
                language_needed=tr.number(module.z_language_needed),
                participation=tr.number(round(module.z_participation_hours)),
                participation_needed=tr.number(module.z_participation_needed))
        )  # fmt: skip
    return tuple(lines)


def _advice(tr: Translator, worst: Outlook, afschalen: bool, target: str | None,
            rate: float | None) -> tuple[str, ...]:  # fmt: skip
    lines = []
    if worst is Outlook.NO_TARGET:
        lines.append(tr._("The route has no language target; follow participation and work."))
    elif worst is Outlook.REACHED:
        lines.append(tr._("The target level is reached on every skill: plan the exams."))
    elif worst is Outlook.ON_TRACK:
        lines.append(tr._("On course for {target} before the term ends: continue as planned.")
                     .format(target=level_text(tr, target)))  # fmt: skip
    elif worst is Outlook.UNKNOWN:
        lines.append(tr._("Too few measurements for a forecast: plan a progress test."))
    else:
        lines.append(tr._("{target} will not be reached before the term ends at this pace: "
                          "discuss extra support or a change of plan in the progress "
                          "conversation.").format(target=level_text(tr, target)))  # fmt: skip
        if afschalen and target == Level.B1.value:
            lines.append(tr._("Afschalen to A2 is possible (600 hours followed, at least half "
                              "in person): consider it in a new PIP version."))  # fmt: skip
    if rate is not None and rate < 0.8:
        lines.append(tr._("Attendance over the last three months is {rate}: discuss what "
                          "keeps the candidate away.").format(rate=tr.percent(rate)))  # fmt: skip
    return tuple(lines)


def progress_report(
    db: Database, *, candidate_uid: str, tr: Translator, today: date, now: datetime
) -> ProgressReport:
    """The report's content for ``candidate_uid``, seen from ``today``.

    Raises:
        UserError: the candidate does not exist.
    """
    person = candidate_progress(db, candidate_uid, today)
    detail = candidate_detail(db, candidate_uid, today)
    history = assessment_history(db, candidate_uid)
    parts = exam_overview(db, candidate_uid)
    module = module_overview(db, candidate_uid, today)
    recent = figures_for_candidate(db, candidate_uid, today - timedelta(days=RECENT_DAYS), today)
    note = _last_note(db, candidate_uid)
    series: dict[str, list[tuple[date, str]]] = {}
    for a in history:
        series.setdefault(a.skill, []).append((a.day, a.level))
    route = tr._(labels.label(labels.ROUTE, person.route)) if person.route else "–"
    facts = (
        (tr._("Client number"), person.klantnummer or "–"),
        (tr._("Law"), tr._(labels.label(labels.LAW, person.law)) if person.law else "–"),
        (tr._("Route"), route),
        (tr._("Target level"), level_text(tr, person.target)),
        (tr._("Location"), detail.location or "–"),
        (tr._("Group"), ", ".join(person.groups) or "–"),
        (tr._("Klantmanager"), detail.klantmanager or "–"),
        (tr._("Term ends"), tr.date(person.term_end) if person.term_end else "–"),
        (tr._("Hours followed"), tr._("{hours} ({person} in person)").format(
            hours=tr.number(round(person.hours_followed)),
            person=tr.number(round(person.hours_in_person)))),
    )  # fmt: skip
    attendance = (
        (tr._("Last three months"), tr.percent(recent.rate) if recent.marked else "–"),
        (tr._("Lessons marked"), tr.number(recent.marked)),
        (tr._("Hours offered / followed"), f"{tr.number(round(recent.hours_offered, 1))} / "
                                           f"{tr.number(round(recent.hours_followed, 1))}"),
        (tr._("Absent with notice"), tr.number(recent.excused_absences)),
        (tr._("Absent without notice"), tr.number(recent.unexcused_absences)),
        (tr._("Late"), tr.number(recent.late_count)),
    )  # fmt: skip
    conversation = (
        tr._("{day}, {author}: {text}").format(
            day=tr.date(note[0].date(), "long"), author=note[1] or "–", text=note[2])
        if note is not None
        else tr._("No conversation recorded yet.")
    )  # fmt: skip
    return ProgressReport(
        title=tr._("Progress report"),
        name=person.name,
        facts=facts,
        series=series,
        skill_labels={s.value: tr._(labels.label(labels.SKILL, s.value)) for s in Skill},
        level_labels={lv.value: level_text(tr, lv.value) for lv in Level},
        target=person.target,
        term_end=person.term_end,
        today=today,
        forecasts=person.forecasts,
        forecast_lines=tuple(forecast_text(tr, f, person.term_end) for f in person.forecasts),
        exams=tuple(_exam_row(tr, p) for p in parts),
        exam_headers=(
            tr._("Part"),
            tr._("Target"),
            tr._("Attempts"),
            tr._("Last result"),
            tr._("Exemption"),
        ),
        modules=_module_lines(tr, module),
        attendance=attendance,
        advice=_advice(
            tr,
            person.worst,
            person.afschalen_possible,
            person.target,
            recent.rate if recent.marked else None,
        ),
        conversation=conversation,
        footer=tr._("printed on {date}").format(date=tr.date(now.date(), "long")),
        headings={
            "levels": tr._("Language levels per skill"),
            "exams": tr._("Exams"),
            "modules": tr._("MAP, ONA and PVT"),
            "attendance": tr._("Attendance"),
            "advice": tr._("Forecast and advice"),
            "conversation": tr._("Last progress conversation"),
        },
    )


def progress_report_pdf_bytes(
    db: Database, *, candidate_uid: str, tr: Translator, today: date, now: datetime
) -> bytes:
    """The progress report of ``candidate_uid`` as PDF bytes (at most two pages)."""
    report = progress_report(db, candidate_uid=candidate_uid, tr=tr, today=today, now=now)
    return progress_report_pdf(report, tr)
