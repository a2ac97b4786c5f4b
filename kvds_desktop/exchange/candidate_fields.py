"""The fields of a candidate list: header recognition, mappings and value parsing.

The same Dutch header names are used for the export, so an exported file imports
again as "unchanged". Values are normalised to the app's stored form (dates
``jjjj-mm-dd``, the codes of :mod:`kvds_desktop.domain.enums`) so that a value from
the file and the value in the app can be compared as strings.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from kvds_desktop.domain import bsn
from kvds_desktop.domain.enums import Doelgroep, Gender, Law, Level, Route
from kvds_desktop.errors import N_, UserError
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import ImportMapping

IGNORE = "ignore"
MAPPING_KIND = "candidates"


@dataclass(frozen=True)
class FieldSpec:
    """One importable field: its name, the header it is exported under, its synonyms."""

    name: str
    header: str
    kind: str  # text, klantnummer, bsn, date, law, route, level, gender, doelgroep, ...
    synonyms: tuple[str, ...] = ()


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("klantnummer", "klantnummer", "klantnummer",
              ("cliëntnummer", "clientnummer", "klant_referentie", "klantreferentie",
               "klantnr", "clientnr", "cliëntnr", "klant id", "client id")),
    FieldSpec("bsn", "bsn", "bsn", ("burgerservicenummer", "bsn-nummer", "sofinummer")),
    FieldSpec("voornamen", "voornamen", "text", ("voornaam",)),
    FieldSpec("tussenvoegsel", "tussenvoegsel", "text",
              ("voorvoegsel", "tussenvoegsels", "voorvoegsels")),
    FieldSpec("achternaam", "achternaam", "text", ("geslachtsnaam", "familienaam")),
    FieldSpec("birth_date", "geboortedatum", "date", ("geb. datum", "gebdatum")),
    FieldSpec("gender", "geslacht", "gender"),
    FieldSpec("nationality", "nationaliteit", "text"),
    FieldSpec("phone", "telefoon", "phone",
              ("telefoonnummer", "tel", "tel.nr", "mobiel", "mobiel nummer")),
    FieldSpec("email", "e-mail", "text", ("email", "e-mailadres", "emailadres")),
    FieldSpec("address", "adres", "text", ("woonadres", "straat en huisnummer")),
    FieldSpec("postcode", "postcode", "postcode"),
    FieldSpec("city", "woonplaats", "text", ("plaats",)),
    FieldSpec("municipality", "gemeente", "text"),
    FieldSpec("klantmanager", "klantmanager", "text",
              ("inkomensconsulent", "regievoerder", "consulent", "casemanager")),
    FieldSpec("klantmanager_email", "e-mail klantmanager", "text",
              ("e-mailadres klantmanager", "klantmanager e-mail", "e-mail inkomensconsulent",
               "e-mail regievoerder", "e-mail consulent")),
    FieldSpec("law", "wet", "law", ("wet inburgering", "inburgeringswet")),
    FieldSpec("doelgroep", "doelgroep", "doelgroep"),
    FieldSpec("pip_date", "datum pip", "date",
              ("dagtekening pip", "pip datum", "datum eerste pip", "dagtekening eerste pip")),
    FieldSpec("route", "leerroute", "route", ("route",)),
    FieldSpec("target_level", "streefniveau", "level", ("niveau",)),
    FieldSpec("lbt_date", "datum lbt", "date", ("lbt datum", "datum leerbaarheidstoets")),
    FieldSpec("lbt_outcome", "uitkomst lbt", "text",
              ("lbt uitkomst", "resultaat lbt", "uitslag lbt")),
    FieldSpec("obligation_start", "datum start inburgeringsplicht", "date",
              ("start inburgeringsplicht", "startdatum inburgeringsplicht",
               "datum inburgeringsplicht")),
    FieldSpec("aandachtspunten", "aandachtspunten", "text", ("bijzonderheden",)),
)  # fmt: skip
FIELD_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
DATE_FIELDS = frozenset(spec.name for spec in FIELDS if spec.kind == "date")


def header_key(text: str) -> str:
    """The form in which headers are compared: no accents, case, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


SYNONYMS: dict[str, str] = {}
for _spec in FIELDS:
    for _text in (_spec.name, _spec.header, *_spec.synonyms):
        SYNONYMS.setdefault(header_key(_text), _spec.name)


@dataclass(frozen=True)
class HeaderMatch:
    """Which column holds which field, and which headers were not understood.

    ``columns`` maps a column index to a field name; the first column wins when a
    field appears twice (the later ones are listed in ``duplicates``).
    """

    columns: dict[int, str]
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        """Whether some column holds field ``name``."""
        return name in self.columns.values()

    def missing_required(self) -> list[str]:
        """The required fields no column holds (klantnummer/bsn count as one)."""
        missing = [name for name in ("voornamen", "achternaam") if not self.has(name)]
        if not self.has("klantnummer") and not self.has("bsn"):
            missing.append("klantnummer/bsn")
        return missing


def recognise(headers: Sequence[str], mapping: Mapping[str, str] | None = None) -> HeaderMatch:
    """Match the header texts to fields: the explicit ``mapping`` first, then the synonyms.

    ``mapping`` is ``{header text: field name}``; a field name "" or "ignore" ignores
    the column. Header texts are compared case-, space-, punctuation- and accent-
    insensitively.
    """
    explicit = {header_key(text): _checked_field(name) for text, name in (mapping or {}).items()}
    columns: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    ignored: list[str] = []
    taken: set[str] = set()
    for index, text in enumerate(headers):
        key = header_key(text)
        if not key:
            continue
        name = explicit[key] if key in explicit else SYNONYMS.get(key)
        if name == "":
            ignored.append(text)
        elif name is None:
            unknown.append(text)
        elif name in taken:
            duplicates.append(text)
        else:
            taken.add(name)
            columns[index] = name
    return HeaderMatch(columns, unknown, duplicates, ignored)


def _checked_field(name: str) -> str:
    """A mapping target as a field name, "" for ignore; unknown names are refused."""
    cleaned = name.strip()
    if cleaned.casefold() in ("", IGNORE):
        return ""
    if cleaned in SPECS:
        return cleaned
    by_key = SYNONYMS.get(header_key(cleaned))
    if by_key is not None:
        return by_key
    raise UserError(
        N_("The column mapping names an unknown field {field}. Known fields: {fields}."),
        field=name,
        fields=", ".join((*FIELD_NAMES, IGNORE)),
    )


def validate_mapping(mapping: Mapping[str, Any]) -> dict[str, str]:
    """A mapping with every target checked and written as a field name ("" = ignore)."""
    result: dict[str, str] = {}
    for header, target in mapping.items():
        if not isinstance(target, str):
            raise UserError(
                N_("The column mapping names an unknown field {field}. Known fields: {fields}."),
                field=str(target),
                fields=", ".join((*FIELD_NAMES, IGNORE)),
            )
        checked = _checked_field(target)
        result[str(header)] = checked or IGNORE
    return result


def load_mapping(path: Path) -> dict[str, str]:
    """Read a TOML mapping file with a ``[columns]`` table of ``"header" = "field"``."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise UserError(N_("The file {path} does not exist."), path=str(path)) from exc
    except OSError as exc:
        raise UserError(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(
            N_("The mapping file {path} is not valid TOML: {reason}"),
            path=str(path),
            reason=str(exc),
        ) from exc
    columns = document.get("columns", document)
    if not isinstance(columns, dict):
        raise UserError(
            N_('The mapping file {path} needs a [columns] table of "header" = "field" lines.'),
            path=str(path),
        )
    return validate_mapping(columns)


# --- named mappings (the GUI's "remember this mapping") -----------------------------


def save_named_mapping(db: Database, name: str, mapping: Mapping[str, str]) -> None:
    """Store ``mapping`` under ``name`` (replacing one of the same name)."""
    name = name.strip()
    if not name:
        raise UserError(N_("Give the column mapping a name."))
    text = json.dumps(validate_mapping(mapping), ensure_ascii=False, sort_keys=True)
    with db.session() as session:
        found = session.exec(select(ImportMapping).where(ImportMapping.name == name)).first()
        row = found if found is not None else ImportMapping(name=name, kind=MAPPING_KIND)
        row.mapping_json = text
        row.kind = MAPPING_KIND
        session.add(row)


def load_named_mapping(db: Database, name: str) -> dict[str, str]:
    """The mapping stored under ``name``."""
    with db.session() as session:
        found = session.exec(select(ImportMapping).where(ImportMapping.name == name)).first()
    if found is None:
        raise UserError(N_("There is no saved column mapping called {name}."), name=name)
    data = json.loads(found.mapping_json or "{}")
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def list_named_mappings(db: Database) -> list[str]:
    """The names of the stored candidate mappings, sorted."""
    with db.session() as session:
        rows = session.exec(
            select(ImportMapping.name).where(ImportMapping.kind == MAPPING_KIND)
        ).all()
    return sorted((str(row) for row in rows), key=str.casefold)


def delete_named_mapping(db: Database, name: str) -> None:
    """Forget the mapping stored under ``name`` (nothing happens when there is none)."""
    with db.session() as session:
        session.connection().execute(delete(ImportMapping).where(col(ImportMapping.name) == name))


# --- values -----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a value or a row cannot be imported: a message id and its parameters."""

    message_id: str
    params: dict[str, Any]


class ValueProblem(ValueError):
    """A value that cannot be read; carries the message for the row's rejection."""

    def __init__(self, message_id: str, **params: Any) -> None:
        super().__init__(message_id)
        self.problem = Problem(message_id, params)


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")
_DECIMAL_ZERO = re.compile(r"^(\d+)\.0+$")

LAWS = {"wi2013": Law.WI2013, "2013": Law.WI2013, "wetinburgering2013": Law.WI2013,
        "wi2021": Law.WI2021, "2021": Law.WI2021, "wetinburgering2021": Law.WI2021,
        "geen": Law.NONE, "nvt": Law.NONE}  # fmt: skip
ROUTES = {"b1": Route.B1, "b1route": Route.B1, "onderwijs": Route.ONDERWIJS,
          "onderwijsroute": Route.ONDERWIJS, "z": Route.Z, "zroute": Route.Z,
          "zelfredzaamheidsroute": Route.Z, "zelfredzaamheid": Route.Z,
          "wi2013": Route.WI2013, "participatie": Route.PARTICIPATIE}  # fmt: skip
GENDERS = {"m": Gender.MAN, "man": Gender.MAN, "male": Gender.MAN, "mannelijk": Gender.MAN,
           "v": Gender.VROUW, "vrouw": Gender.VROUW, "female": Gender.VROUW, "f": Gender.VROUW,
           "vrouwelijk": Gender.VROUW, "x": Gender.ONBEKEND, "o": Gender.ONBEKEND,
           "onbekend": Gender.ONBEKEND, "anders": Gender.ONBEKEND}  # fmt: skip
LEVELS = {header_key(level.value): level for level in Level}
DOELGROEPEN = {"statushouder": Doelgroep.STATUSHOUDER, "asielmigrant": Doelgroep.STATUSHOUDER,
               "asiel": Doelgroep.STATUSHOUDER, "gezinsmigrant": Doelgroep.GEZINSMIGRANT,
               "gezinsmigratie": Doelgroep.GEZINSMIGRANT, "gezinsvormer": Doelgroep.GEZINSMIGRANT,
               "gezinshereniger": Doelgroep.GEZINSMIGRANT,
               "participatie": Doelgroep.PARTICIPATIE,
               "participatiewet": Doelgroep.PARTICIPATIE}  # fmt: skip

# How codes are written in an export (the import reads these back to the same codes).
LAW_LABELS = {Law.WI2013.value: "Wi2013", Law.WI2021.value: "Wi2021", Law.NONE.value: "geen"}
ROUTE_LABELS = {Route.B1.value: "B1", Route.ONDERWIJS.value: "onderwijs", Route.Z.value: "Z",
                Route.WI2013.value: "Wi2013", Route.PARTICIPATIE.value: "participatie"}  # fmt: skip
GENDER_LABELS = {Gender.MAN.value: "M", Gender.VROUW.value: "V", Gender.ONBEKEND.value: ""}
LEVEL_LABELS = {level.value: level.value.replace("alfa_", "Alfa ").upper().replace("ALFA", "Alfa")
                for level in Level}  # fmt: skip


def parse_date(text: str, *, row: int, column: str) -> str:
    """A date from dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj or jjjj-mm-dd, as ``jjjj-mm-dd``."""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            raise ValueProblem(
                N_("Row {row}: {value} in column {column} is not a date (use dd-mm-jjjj or "
                   "jjjj-mm-dd)."),
                row=row, value=text, column=column,
            )  # fmt: skip
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueProblem(
            N_("Row {row}: {value} in column {column} is not an existing date."),
            row=row, value=text, column=column,
        ) from None  # fmt: skip


def parse_bsn(text: str, *, row: int) -> str:
    """A BSN as 9 digits; a number that lost its leading zero gets it back."""
    match = _DECIMAL_ZERO.match(text)
    raw = "".join(ch for ch in (match.group(1) if match else text) if ch not in " .-")
    compact = bsn.normalise(raw) if raw.isdigit() else raw
    if not compact or not compact.isdigit() or len(compact) != 9:
        raise ValueProblem(N_("Row {row}: the BSN {value} does not have 9 digits."),
                           row=row, value=text)  # fmt: skip
    if not bsn.is_valid(compact):
        raise ValueProblem(N_("Row {row}: the BSN {value} fails the 11-check."),
                           row=row, value=text)  # fmt: skip
    return str(compact)


def parse_klantnummer(text: str) -> str:
    """A klantnummer without the ``.0`` a spreadsheet may have added."""
    compact = text.strip()
    match = _DECIMAL_ZERO.match(compact)
    return match.group(1) if match else compact


def parse_phone(text: str) -> str:
    """A phone number; a Dutch number a spreadsheet read as a number gets its 0 back."""
    compact = parse_klantnummer(text)
    if compact.isdigit() and len(compact) == 9 and not compact.startswith("0"):
        return "0" + compact
    return compact


def parse_postcode(text: str) -> str:
    """A Dutch postcode as "1234 AB"; anything else is kept as written."""
    match = _POSTCODE.match(text.strip())
    return f"{match.group(1)} {match.group(2).upper()}" if match else text.strip()


def _vocabulary(
    text: str, table: Mapping[str, Any], message_id: str, *, row: int, column: str
) -> str:
    found = table.get(header_key(text))
    if found is None:
        raise ValueProblem(message_id, row=row, value=text, column=column)
    return str(found.value)


# The closed vocabularies of the import: how values are looked up, and what a row that
# holds an unknown value is told.
VOCABULARIES: dict[str, tuple[Mapping[str, Any], str]] = {
    "law": (LAWS, N_("Row {row}: {value} in column {column} is not a known law (use Wi2013 or "
                     "Wi2021).")),
    "route": (ROUTES, N_("Row {row}: {value} in column {column} is not a known learning route "
                         "(use B1, onderwijs or Z).")),
    "level": (LEVELS, N_("Row {row}: {value} in column {column} is not a known language level "
                         "(for example A2, B1 or Alfa C).")),
    "gender": (GENDERS, N_("Row {row}: {value} in column {column} is not a known gender (use "
                           "M, V or X).")),
    "doelgroep": (DOELGROEPEN, N_("Row {row}: {value} in column {column} is not a known target "
                                  "group (use statushouder, gezinsmigrant or participatie).")),
}  # fmt: skip


def parse_value(name: str, text: str, *, row: int, column: str) -> str:
    """The stored form of ``text`` for field ``name`` ("" stays "").

    Raises:
        ValueProblem: the text cannot be read as a value of the field.
    """
    text = text.strip()
    if not text:
        return ""
    kind = SPECS[name].kind
    if kind == "date":
        return parse_date(text, row=row, column=column)
    if kind == "bsn":
        return parse_bsn(text, row=row)
    if kind == "klantnummer":
        return parse_klantnummer(text)
    if kind == "phone":
        return parse_phone(text)
    if kind == "postcode":
        return parse_postcode(text)
    if kind in VOCABULARIES:
        table, message_id = VOCABULARIES[kind]
        return _vocabulary(text, table, message_id, row=row, column=column)
    return text


def export_text(name: str, value: str) -> str:
    """How a stored value is written in an export file (readable, and read back the same)."""
    if name == "law":
        return LAW_LABELS.get(value, value)
    if name == "route":
        return ROUTE_LABELS.get(value, value)
    if name == "gender":
        return GENDER_LABELS.get(value, value)
    if name == "target_level":
        return LEVEL_LABELS.get(value, value)
    return value
