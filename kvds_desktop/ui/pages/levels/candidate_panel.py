"""One candidate on the Niveaus & examens page: chart, assessments, exams, modules.

The buttons under it record a new assessment, an exam attempt, an exemption or
progress on MAP, ONA and PVT, each in a form that stays open on a mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit, QTableWidgetItem, QWidget

import kvds_desktop.services.progress.exams as exams
import kvds_desktop.services.progress.modules as modules
from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import (
    AssessmentMethod,
    ExamPartKind,
    ExamResult,
    Exemption,
    Level,
    Skill,
)
from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.progress_words import forecast_text, level_text, month_text
from kvds_desktop.services import progress
from kvds_desktop.services.audit import Actor
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import DateField, FormDialog, choice_box
from kvds_desktop.ui.pages.levels.chart import ChartData
from kvds_desktop.ui.pages.levels.view import LevelsPage


def _fill(table: Any, rows: list[list[str]]) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


class CandidatePanel:
    """The right-hand side of the group tab."""

    def __init__(
        self,
        page: LevelsPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        changed: Callable[[], None],
        print_report: Callable[[str, str], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.today = today
        self.actor = actor
        self.status = status
        self.changed = changed
        self.print_report = print_report
        self.db: Database | None = None
        self.candidate_uid: str | None = None
        self.name = ""
        page.add_assessment.clicked.connect(self.add_assessment)
        page.exam_attempt.clicked.connect(self.add_exam_attempt)
        page.exemption.clicked.connect(self.set_exemption)
        page.module_entry.clicked.connect(self.add_module_item)
        page.print_report.clicked.connect(
            lambda: self.candidate_uid and self.print_report(self.candidate_uid, self.name)
        )
        self._enable()

    def set_translator(self, tr: Translator) -> None:
        """Speak another language from now on."""
        self.tr = tr
        self.show_candidate(self.candidate_uid)

    def set_database(self, db: Database | None) -> None:
        """Work on ``db``."""
        self.db = db
        self.show_candidate(None)

    def _enable(self) -> None:
        on = self.db is not None and self.candidate_uid is not None
        for button in (
            self.page.add_assessment, self.page.exam_attempt, self.page.exemption,
            self.page.module_entry, self.page.print_report,
        ):  # fmt: skip
            button.setEnabled(on)

    # -- showing -------------------------------------------------------------------------
    def show_candidate(self, uid: str | None) -> None:
        """Show the candidate ``uid`` (None: nobody)."""
        self.candidate_uid = uid
        p, tr = self.page, self.tr
        self._enable()
        if self.db is None or uid is None:
            p.person.setText(tr._("Choose a member of the group."))
            p.outlook.setText("")
            p.chart.set_data(ChartData(empty_text=tr._("No candidate chosen.")))
            for table in (p.assessments, p.exams):
                table.setRowCount(0)
            p.modules.setText("")
            return
        today = self.today()
        try:
            person = progress.candidate_progress(self.db, uid, today)
            history = progress.assessment_history(self.db, uid)
            parts = exams.exam_overview(self.db, uid)
            module = modules.module_overview(self.db, uid, today)
        except UserError as exc:
            self.dialogs.error(tr._("The candidate cannot be shown"), exc.render(tr._))
            return
        self.name = person.name
        route = tr._(labels.label(labels.ROUTE, person.route)) if person.route else "–"
        p.person.setText(
            tr._("{name} · route {route} · target {target} · term ends {end}").format(
                name=person.name, route=route, target=level_text(tr, person.target),
                end=month_text(tr, person.term_end),
            )
        )  # fmt: skip
        lines = [forecast_text(tr, f, person.term_end) for f in person.forecasts]
        hours = tr._("{hours} hours of lessons followed, {person} in person.").format(
            hours=tr.number(round(person.hours_followed)),
            person=tr.number(round(person.hours_in_person)),
        )
        if person.afschalen_possible:
            hours += " " + tr._("Afschalen to A2 is possible (600 hours, half in person).")
        p.outlook.setText("\n".join([*lines, hours]))
        p.chart.set_data(self._chart(person, history, today))
        _fill(
            p.assessments,
            [
                [a.day.isoformat(), tr._(labels.label(labels.SKILL, a.skill)),
                 level_text(tr, a.level), tr._(labels.label(labels.METHOD, a.instrument)),
                 a.assessor]
                for a in reversed(history)
            ],
        )  # fmt: skip
        _fill(p.exams, [self._exam_cells(part) for part in parts])
        p.modules.setText(self._module_text(module))

    def _chart(self, person: Any, history: list[Any], today: date) -> ChartData:
        tr = self.tr
        series: dict[str, list[tuple[date, str]]] = {}
        for a in history:
            series.setdefault(a.skill, []).append((a.day, a.level))
        return ChartData(
            series=series,
            skill_labels={s.value: tr._(labels.label(labels.SKILL, s.value)) for s in Skill},
            level_labels={lv.value: level_text(tr, lv.value) for lv in Level},
            forecasts={f.skill: f.reach_date for f in person.forecasts
                       if f.reach_date is not None and f.outlook.value in ("on_track", "late")},
            target=person.target,
            target_label=tr._("target {level}").format(level=level_text(tr, person.target)),
            term_end=person.term_end,
            term_end_label=tr._("term ends"),
            today=today,
            empty_text=tr._("No levels measured yet."),
        )  # fmt: skip

    def _exam_cells(self, part: Any) -> list[str]:
        tr = self.tr
        last = part.attempts[-1] if part.attempts else None
        result = tr._(labels.label(labels.EXAM_RESULT, last.result)) if last else "–"
        if last is not None:
            result += f" ({last.day.isoformat()})"
        exemption = (
            tr._(labels.label(labels.EXEMPTION, part.exemption))
            if part.exemption and part.exemption != Exemption.NONE
            else "–"
        )
        return [
            tr._(labels.label(labels.EXAM_PART, part.part)),
            level_text(tr, part.target_level),
            str(len(part.attempts)),
            result,
            exemption,
        ]

    def _module_text(self, module: Any) -> str:
        tr = self.tr
        lines = []
        if module.kind:
            done = sum(1 for t in module.themes if t.completed_on)
            lines.append(
                tr._("{module}: {hours} of {needed} practical hours; {done} of {total} "
                     "themes done; final interview: {interview}.").format(
                    module=module.kind, hours=tr.number(round(module.practical_hours, 1)),
                    needed=tr.number(module.hours_needed), done=done, total=len(module.themes),
                    interview=module.final_interview.isoformat() if module.final_interview
                    else tr._("not yet"),
                )
            )  # fmt: skip
        lines.append(
            tr._("PVT signed: {day}.").format(
                day=module.pvt_signed.isoformat() if module.pvt_signed else tr._("not yet")
            )
        )
        if module.z_language_needed and (module.z_language_hours or module.z_participation_hours):
            lines.append(
                tr._("Z-route: {language} of {language_needed} language hours, "
                     "{participation} of {participation_needed} participation hours.").format(
                    language=tr.number(round(module.z_language_hours)),
                    language_needed=tr.number(module.z_language_needed),
                    participation=tr.number(round(module.z_participation_hours)),
                    participation_needed=tr.number(module.z_participation_needed),
                )
            )  # fmt: skip
        return "\n".join(lines)

    # -- recording -----------------------------------------------------------------------
    def _form(self, title: str) -> tuple[FormDialog, QFormLayout, QWidget]:
        dialog = FormDialog(title, self.tr, self.page.window())
        body = QWidget()
        form = QFormLayout(body)
        return dialog, form, body

    def _run(self, dialog: FormDialog, body: QWidget, done: str) -> None:
        dialog.finish_layout(body)
        if dialog.exec():
            self.status(done)
            self.changed()
            self.show_candidate(self.candidate_uid)

    def add_assessment(self) -> None:
        """Record one measured level."""
        if self.db is None or self.candidate_uid is None:
            return
        db, uid, tr = self.db, self.candidate_uid, self.tr
        dialog, form, body = self._form(tr._("Add assessment"))
        skills = [(s.value, labels.label(labels.SKILL, s.value)) for s in Skill]
        levels = [(lv.value, labels.label(labels.LEVEL, lv.value)) for lv in Level]
        methods = [(m.value, labels.label(labels.METHOD, m.value)) for m in AssessmentMethod]
        dialog.add(form, "skill", tr._("Skill"), choice_box(skills, Skill.LEZEN.value, tr))
        dialog.add(form, "level", tr._("Level"), choice_box(levels, Level.A1.value, tr))
        dialog.add(form, "day", tr._("Date"), DateField(self.today()))
        dialog.add(form, "instrument", tr._("How"),
                   choice_box(methods, AssessmentMethod.PROGRESS_TEST.value, tr))  # fmt: skip
        dialog.add(form, "assessor", tr._("By"), QLineEdit(self.actor.name))

        def submit(values: dict[str, Any]) -> None:
            _need_date(values)
            progress.record_assessment(
                db, candidate_uid=uid, skill=values["skill"], level=values["level"],
                day=values["day"], instrument=values["instrument"],
                assessor=values["assessor"], actor=self.actor, today=self.today(),
            )  # fmt: skip

        dialog.submit = submit
        self._run(dialog, body, tr._("The level was saved."))

    def add_exam_attempt(self) -> None:
        """Record an exam attempt with its result."""
        if self.db is None or self.candidate_uid is None:
            return
        db, uid, tr = self.db, self.candidate_uid, self.tr
        dialog, form, body = self._form(tr._("Exam attempt"))
        parts = [(k.value, labels.label(labels.EXAM_PART, k.value)) for k in ExamPartKind]
        results = [(r.value, labels.label(labels.EXAM_RESULT, r.value)) for r in ExamResult]
        levels = [(lv.value, labels.label(labels.LEVEL, lv.value)) for lv in Level]
        dialog.add(form, "part", tr._("Part"), choice_box(parts, ExamPartKind.LEZEN.value, tr))
        dialog.add(form, "day", tr._("Date"), DateField(self.today()))
        dialog.add(form, "result", tr._("Result"),
                   choice_box(results, ExamResult.PASSED.value, tr))  # fmt: skip
        dialog.add(form, "level", tr._("Level"), choice_box(levels, None, tr, empty=True))

        def submit(values: dict[str, Any]) -> None:
            _need_date(values)
            exams.record_exam_attempt(
                db, candidate_uid=uid, part=values["part"], day=values["day"],
                result=values["result"], level=values["level"], actor=self.actor,
                today=self.today(),
            )  # fmt: skip

        dialog.submit = submit
        self._run(dialog, body, tr._("The exam attempt was saved."))

    def set_exemption(self) -> None:
        """Record a vrijstelling or ontheffing of an exam part (or clear it)."""
        if self.db is None or self.candidate_uid is None:
            return
        db, uid, tr = self.db, self.candidate_uid, self.tr
        dialog, form, body = self._form(tr._("Exemption"))
        parts = [(k.value, labels.label(labels.EXAM_PART, k.value)) for k in ExamPartKind]
        kinds = [(e.value, labels.label(labels.EXEMPTION, e.value)) for e in Exemption]
        dialog.add(form, "part", tr._("Part"), choice_box(parts, ExamPartKind.LEZEN.value, tr))
        dialog.add(form, "kind", tr._("Exemption"),
                   choice_box(kinds, Exemption.VRIJSTELLING.value, tr))  # fmt: skip
        dialog.add(form, "day", tr._("Date"), DateField(self.today()))
        dialog.add(form, "reason", tr._("Reason"), QLineEdit())

        def submit(values: dict[str, Any]) -> None:
            _need_date(values)
            exams.set_exemption(
                db, candidate_uid=uid, part=values["part"], exemption=values["kind"],
                day=values["day"], reason=values["reason"], actor=self.actor,
            )  # fmt: skip

        dialog.submit = submit
        self._run(dialog, body, tr._("The exemption was saved."))

    def add_module_item(self) -> None:
        """Practical hours, a theme or result card done, the final interview, the PVT."""
        if self.db is None or self.candidate_uid is None:
            return
        db, uid, tr = self.db, self.candidate_uid, self.tr
        dialog, form, body = self._form(tr._("MAP / ONA / PVT"))
        overview = modules.module_overview(db, uid, self.today())
        kind = (overview.kind or "").lower()
        items: list[tuple[Any, str]] = []
        if kind:
            items += [((kind, modules.PRACTICAL_HOURS), N_("practical hours (add)"))]
            items += [((kind, t.item), t.item.replace("_", " ")) for t in overview.themes]
            items += [((kind, modules.FINAL_INTERVIEW), N_("final interview"))]
        if overview.pvt_applies:
            items += [(("pvt", modules.PVT_STATEMENT), N_("PVT signed"))]
        if not items:
            self.dialogs.info(
                tr._("MAP / ONA / PVT"), tr._("No MAP, ONA or PVT applies to this route.")
            )
            return
        dialog.add(form, "item", tr._("What"), choice_box(items, items[0][0], tr))
        dialog.add(form, "done", tr._("Done on"), DateField(self.today()))
        hours = QLineEdit()
        hours.setPlaceholderText("0")
        dialog.add(form, "hours", tr._("Practical hours to add"), hours)

        def submit(values: dict[str, Any]) -> None:
            module, item = values["item"]
            try:
                amount = float((values["hours"] or "0").replace(",", "."))
            except ValueError:
                raise UserError(N_("Hours must be a number, like 4 or 2,5.")) from None
            if item == modules.PRACTICAL_HOURS and amount <= 0:
                raise UserError(N_("Give the practical hours to add."))
            modules.record_module_item(
                db, candidate_uid=uid, module=module, item=item,
                hours=amount if item == modules.PRACTICAL_HOURS else 0,
                completed_on=values["done"] if item != modules.PRACTICAL_HOURS else None,
                actor=self.actor, today=self.today(),
            )  # fmt: skip

        dialog.submit = submit
        self._run(dialog, body, tr._("Saved."))


def _need_date(values: dict[str, Any]) -> None:
    if values.get("day") is None:
        raise UserError(N_("Give a date (dd-mm-jjjj)."))
