"""Regrouping: moves between the groups of a location that narrow the spread of levels.

:func:`propose_regrouping` reads a location's groups, their members' latest levels and
the coming weeks' timetable, and lets a small mixed-integer program (HiGHS) choose the
moves; :func:`apply_move` makes one of them after checking it again.
"""

from kvds_desktop.services.regroup.apply import apply_move
from kvds_desktop.services.regroup.bands import band_misfit, band_range, fits_band
from kvds_desktop.services.regroup.proposal import (
    HORIZON_DAYS,
    Move,
    MoveReason,
    RegroupProposal,
    propose_regrouping,
)

__all__ = [
    "HORIZON_DAYS",
    "Move",
    "MoveReason",
    "RegroupProposal",
    "apply_move",
    "band_misfit",
    "band_range",
    "fits_band",
    "propose_regrouping",
]
