"""A group's level band ("A1-A2", "Alfa A-Alfa C", "Alfa") and how well a candidate fits it.

A band is read as a range of steps on the level ladder (Alfa A is step 0, C1 step 7).
A candidate's fit is counted in steps: per skill, how far the latest level lies below
the band's lowest or above its highest level, summed over the skills. A band that
cannot be read (empty, free text) fits everyone: it puts no limit on regrouping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kvds_desktop.domain.enums import Level, level_rank

BAND_TOLERANCE = 1  # a candidate more steps outside a band on any skill does not fit it
_ALFA = (level_rank(Level.ALFA_A), level_rank(Level.ALFA_C))
_TOKENS = {level.value.replace("_", ""): level_rank(level) for level in Level}


def band_range(level_band: str) -> tuple[int, int] | None:
    """The lowest and highest step of a band, or None when the text is no band.

    ``"A1-A2"`` is (3, 4), ``"Alfa A-Alfa C"`` (0, 2), ``"Alfa"`` (0, 2), ``"B1"`` (5, 5);
    dashes, slashes and "tot" separate the ends; case and spaces do not matter.
    """
    parts = [p for p in re.split(r"[-–/]|\btot\b", level_band.casefold()) if p.strip()]
    if not parts:
        return None
    steps: list[int] = []
    for part in parts:
        token = re.sub(r"[\s_+]", "", part)
        if token == "alfa":
            steps.extend(_ALFA)
        elif token in _TOKENS:
            steps.append(_TOKENS[token])
        else:
            return None
    return min(steps), max(steps)


def steps_outside(ranks: Mapping[str, int], band: tuple[int, int] | None) -> dict[str, int]:
    """Per skill, the steps a level lies outside the band (0 inside it or without a band)."""
    if band is None:
        return {skill: 0 for skill in ranks}
    low, high = band
    return {skill: max(0, low - rank, rank - high) for skill, rank in ranks.items()}


def band_misfit(ranks: Mapping[str, int], band: tuple[int, int] | None) -> int:
    """The steps outside the band summed over the skills: 0 is a perfect fit."""
    return sum(steps_outside(ranks, band).values())


def fits_band(
    ranks: Mapping[str, int], band: tuple[int, int] | None, tolerance: int = BAND_TOLERANCE
) -> bool:
    """Whether no skill lies more than ``tolerance`` steps outside the band."""
    return all(steps <= tolerance for steps in steps_outside(ranks, band).values())
