"""Checking what a person typed into a candidate's record, field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kvds_desktop.domain import bsn
from kvds_desktop.domain.enums import Doelgroep, Gender, Law, Level, Route
from kvds_desktop.errors import N_, UserError

# Fields the record form edits, with their kind: text, date, int or a closed vocabulary.
EDITABLE_FIELDS: dict[str, str] = {
    "klantnummer": "text",
    "bsn": "bsn",
    "voornamen": "text",
    "tussenvoegsel": "text",
    "achternaam": "text",
    "birth_date": "date",
    "gender": "gender",
    "nationality": "text",
    "phone": "text",
    "email": "email",
    "address": "text",
    "postcode": "postcode",
    "city": "text",
    "municipality": "text",
    "location_id": "int",
    "klantmanager_id": "int",
    "law": "law",
    "doelgroep": "doelgroep",
    "route": "route",
    "target_level": "level",
    "registration_date": "date",
    "obligation_start": "date",
    "lbt_date": "date",
    "lbt_outcome": "text",
    "aandachtspunten": "text",
    "participatieladder": "int",
}
REQUIRED = ("voornamen", "achternaam", "municipality", "law", "registration_date")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
_CHOICES: dict[str, frozenset[str]] = {
    "gender": frozenset(g.value for g in Gender),
    "law": frozenset(v.value for v in Law),
    "doelgroep": frozenset(v.value for v in Doelgroep),
    "route": frozenset(v.value for v in Route),
    "level": frozenset(v.value for v in Level),
}


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field, as a message id with parameters."""

    field: str
    message: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self, gettext: Any) -> str:
        """The problem in the user's language."""
        return str(gettext(self.message)).format(**dict(self.params))


class Invalid(UserError):
    """One or more fields of a form are wrong; nothing was saved."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(N_("Some fields need attention; nothing was saved."))
        self.problems = problems

    def render(self, gettext: Any) -> str:
        """All problems, one per line."""
        lines = [str(gettext(self.message_id))]
        lines += ["• " + problem.text(gettext) for problem in self.problems]
        return "\n".join(lines)


def _check(field: str, kind: str, value: Any, today: date) -> FieldProblem | None:
    if value in (None, ""):
        return None
    if kind == "bsn" and not bsn.is_valid(str(value)):
        return FieldProblem(
            field, N_("The BSN {value} fails the 11-check."), (("value", str(value)),)
        )
    if kind == "email" and not _EMAIL.match(str(value)):
        return FieldProblem(
            field, N_("{value} is not an e-mail address."), (("value", str(value)),)
        )
    if kind == "postcode" and not _POSTCODE.match(str(value).strip()):
        return FieldProblem(
            field, N_("{value} is not a Dutch postcode (1234 AB)."), (("value", str(value)),)
        )
    if kind == "date":
        if not isinstance(value, date):
            return FieldProblem(field, N_("Not a date."))
        if value > today and field != "registration_date":
            return FieldProblem(field, N_("This date lies in the future."))
    if kind in _CHOICES and str(value) not in _CHOICES[kind]:
        return FieldProblem(
            field, N_("{value} is not one of the choices."), (("value", str(value)),)
        )
    return None


def validate(values: Mapping[str, Any], today: date, *, partial: bool = False) -> dict[str, Any]:
    """Return the cleaned values, or raise :class:`Invalid` listing every problem.

    With ``partial`` only the given fields are checked (an edit); otherwise the
    required fields must be present (a new record).
    """
    problems: list[FieldProblem] = []
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        kind = EDITABLE_FIELDS.get(field)
        if kind is None:
            raise ValueError(f"not an editable candidate field: {field}")
        if isinstance(value, str):
            value = value.strip()
        if kind == "bsn":
            value = bsn.normalise(value) if value else None
        if kind == "postcode" and value:
            value = str(value).upper().replace(" ", "")
            value = f"{value[:4]} {value[4:]}" if len(value) == 6 else value
        problem = _check(field, kind, value, today)
        if problem:
            problems.append(problem)
        cleaned[field] = (
            None if value == "" and kind in ("bsn", "date", "int", "route", "level") else value
        )
    for field in REQUIRED:
        missing = (field not in cleaned) if not partial else False
        if missing or (field in cleaned and cleaned[field] in (None, "")):
            problems.append(FieldProblem(field, N_("This field is required.")))
    birth = cleaned.get("birth_date")
    if isinstance(birth, date) and (today.year - birth.year) < 14:
        problems.append(
            FieldProblem("birth_date", N_("The birth date makes this person too young."))
        )
    if problems:
        raise Invalid(problems)
    return cleaned
