"""The municipalities' outflow targets of the pilot's wider aim.

Wijchen 180 and Druten 75 extra, lasting outflows between 1 January 2019 and 1 January
2022 (DOMAIN.md, "The pilot in numbers"). Outflow toward a target is outflow to paid work
(with or without support, BBL) or to education, dated inside that window.
"""

from __future__ import annotations

from datetime import date

from kvds_desktop.domain.enums import OutflowKind

MUNICIPAL_TARGETS: dict[str, int] = {"Wijchen": 180, "Druten": 75}
TARGET_START = date(2019, 1, 1)
TARGET_END = date(2021, 12, 31)  # up to 1 January 2022
TARGET_KINDS: frozenset[str] = frozenset(
    {
        OutflowKind.BETAALD_WERK,
        OutflowKind.BETAALD_WERK_ONDERSTEUNING,
        OutflowKind.BBL,
        OutflowKind.OPLEIDING_STUDIEFINANCIERING,
    }
)


def target_of(municipalities: set[str]) -> int:
    """The summed target of the municipalities (case-insensitive; unknown ones count 0)."""
    lower = {m.lower() for m in municipalities}
    return sum(n for name, n in MUNICIPAL_TARGETS.items() if name.lower() in lower)


def counts_toward_target(kind: str | None, day: date | None, at: date) -> bool:
    """Whether an outflow of ``kind`` on ``day`` counts toward the target, seen at ``at``."""
    return kind in TARGET_KINDS and day is not None and TARGET_START <= day <= min(TARGET_END, at)
