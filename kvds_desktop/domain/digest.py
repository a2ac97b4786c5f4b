"""What a klantmanager's digest holds about one candidate: plain values, no BSN.

Made by :mod:`kvds_desktop.services.digest`, written as a table by
:mod:`kvds_desktop.exchange.digest_export` and drawn as a PDF by
:mod:`kvds_desktop.reports.digest_report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SKILLS: tuple[str, ...] = ("lezen", "luisteren", "spreken", "schrijven")


@dataclass(frozen=True)
class DigestRow:
    """One candidate in a klantmanager's digest (plain values, no BSN)."""

    candidate_uid: str
    klantnummer: str
    name: str
    municipality: str
    law: str
    route: str
    hours_offered: float
    hours_followed: float
    hours_excused: float
    hours_unexcused: float
    rate: float | None  # 0..1 over the marked lessons; None when nothing is marked
    signals: tuple[str, ...]  # translated signal texts
    target: str  # a Level code, "" without a target
    levels: tuple[str, ...]  # latest Level code per SKILLS, "" when not assessed
    outlook: str  # an Outlook code (the worst over the exam skills)
    term_end: date | None
    placements: tuple[str, ...]  # "organisation (kind, stage, from start)"
    outflows: tuple[str, ...]  # "kind date employer"
