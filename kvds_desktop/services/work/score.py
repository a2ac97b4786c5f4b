"""The score (0..100) of a feasible pair: who fits an opportunity best, and who goes first.

Five parts, each normalised to 0..1 and weighted by
:class:`~kvds_desktop.services.work.pairs.ScoreWeights`:

- sector: 1 when the opportunity's sector is among the candidate's sector wishes, 0 when
  it is not, 0.5 when the candidate stated no wishes (or the opportunity no sector);
- experience: half for work history in that sector (recognised by the sector's words:
  "kok in een restaurant" for horeca), half for years of work (10 years or more: full);
- education: years of education, 16 or more: full;
- travel: shorter is better, 1 - minutes / the candidate's maximum;
- benefit: months since registration, 60 (the pilot's five-year baseline) or more: full;
  longer on benefit goes first, as the pilot aims at shorter times on benefit.

The score is the weighted average times 100; ``score_parts`` holds each part's points,
which add up to the score.
"""

from __future__ import annotations

from datetime import date

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.work.pairs import ScoreWeights
from kvds_desktop.services.work.rules import CandidateFacts

PARTS = ("sector", "experience", "education", "travel", "benefit")
FULL_WORK_YEARS = 10
FULL_EDUCATION_YEARS = 16
FULL_BENEFIT_MONTHS = 60
# Words that show work history in a sector (folded, matched as the start of a word).
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "bouw": ("bouw", "stukado", "tegel", "metsel", "timmer", "schilder", "loodgieter"),
    "horeca": ("horeca", "kok", "keuken", "restaurant", "bakker", "ober", "afwas", "cafe"),
    "zorg": ("zorg", "verpleeg", "verzorg", "thuiszorg", "helpende", "arts"),
    "logistiek": ("logistiek", "chauffeur", "bezorg", "koerier", "magazijn", "orderpick"),
    "retail": ("retail", "verkoper", "winkel", "kassa", "vakkenvul", "kringloop"),
    "groen": ("groen", "boer", "tuin", "kweker", "hovenier", "landbouw"),
    "schoonmaak": ("schoonma", "glazenwas"),
    "productie": ("productie", "fabriek", "monteur", "lasser", "operator"),
    "onderwijs": ("onderwijs", "leraar", "lerares", "docent", "onderwijzer"),
}


def check_weights(weights: ScoreWeights) -> None:
    """Refuse negative weights.

    Raises:
        UserError: a weight is below zero.
    """
    if min(weights.sector, weights.experience, weights.education, weights.travel,
           weights.benefit) < 0:  # fmt: skip
        raise UserError(N_("The weights of the match score cannot be negative."))


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (0 when ``later`` comes first)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(0, months)


def sector_part(c: CandidateFacts, sector: str) -> float:
    """1 wished, 0 not wished, 0.5 without wishes or without a sector."""
    if not c.sector_wishes or not sector:
        return 0.5
    return 1.0 if any(sector == w or sector in w.split() for w in c.sector_wishes) else 0.0


def in_history(c: CandidateFacts, sector: str) -> bool:
    """Whether the candidate's work history shows work in ``sector``."""
    if not sector or not c.history:
        return False
    starts = SECTOR_WORDS.get(sector, (sector,))
    return any(word.startswith(starts) for word in c.history.split())


def parts_for(c: CandidateFacts, sector: str, minutes: int, today: date) -> dict[str, float]:
    """Each part of the score, normalised to 0..1."""
    years = min(c.work_years or 0, FULL_WORK_YEARS) / FULL_WORK_YEARS
    months = months_between(c.registration_date, today) if c.registration_date else 0
    return {
        "sector": sector_part(c, sector),
        "experience": 0.5 * in_history(c, sector) + 0.5 * years,
        "education": min(c.education_years or 0, FULL_EDUCATION_YEARS) / FULL_EDUCATION_YEARS,
        "travel": max(0.0, 1.0 - minutes / max(c.max_minutes, 1)),
        "benefit": min(months, FULL_BENEFIT_MONTHS) / FULL_BENEFIT_MONTHS,
    }


def score(
    c: CandidateFacts, sector: str, minutes: int, weights: ScoreWeights, today: date
) -> tuple[float, dict[str, float]]:
    """The score (0..100, one decimal) and each part's points (two decimals).

    All weights zero gives a score of 0.
    """
    parts = parts_for(c, sector, minutes, today)
    weight = {name: float(getattr(weights, name)) for name in PARTS}
    total = sum(weight.values())
    if total <= 0:
        return 0.0, dict.fromkeys(PARTS, 0.0)
    points = {name: 100.0 * weight[name] * parts[name] / total for name in PARTS}
    return round(sum(points.values()), 1), {name: round(v, 2) for name, v in points.items()}
