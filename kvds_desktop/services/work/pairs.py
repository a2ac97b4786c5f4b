"""What matching hands around: one candidate against one opportunity, rule by rule.

The rules (:mod:`.matching`) fill :class:`PairCheck`; the proposal (:mod:`.proposal`)
uses only the feasible ones; the screens and the CLI word every :class:`RuleResult`
through its English message id and parameters, so every reason reads in the user's
language ("free on Tue and Thu; speaking A2 >= A2; 25 min by bike; 1 of 2 places left").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The hard rules, in the order they are checked and shown.
RULE_DAYS = "days"  # the opportunity's days fall on the candidate's days without lessons
RULE_LEVEL = "level"  # Dutch level per skill at least the minimum
RULE_LICENCE = "licence"  # driving licence when required
RULE_CERTIFICATES = "certificates"  # the certificates the opportunity asks for
RULE_TRAVEL = "travel"  # travel time within the candidate's maximum
RULE_HOURS = "hours"  # the candidate's available hours cover the opportunity's
RULE_PLACES = "places"  # a place is still free
RULE_PERIOD = "period"  # the opportunity runs, and the candidate is available from its start
RULES = (RULE_DAYS, RULE_LEVEL, RULE_LICENCE, RULE_CERTIFICATES, RULE_TRAVEL, RULE_HOURS,
         RULE_PLACES, RULE_PERIOD)  # fmt: skip


@dataclass(frozen=True)
class RuleResult:
    """One rule for one pair: passed or not, and why in a message id with parameters."""

    rule: str
    passed: bool
    message_id: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def render(self, gettext: Callable[[str], str]) -> str:
        """The reason in the language of ``gettext``."""
        text = gettext(self.message_id)
        return text.format(**self.params) if self.params else text


@dataclass(frozen=True)
class ScoreWeights:
    """How much each part of the score counts (Settings can change them; 0 switches off)."""

    sector: float = 3.0  # the opportunity's sector is among the candidate's wishes
    experience: float = 2.0  # work experience in that sector or for years
    education: float = 1.0  # years of education
    travel: float = 2.0  # shorter travel scores higher
    benefit: float = 2.0  # longer on benefit goes first (the pilot's aim: shorter)


@dataclass(frozen=True)
class PairCheck:
    """One candidate against one opportunity: every rule, feasibility, and the score."""

    candidate_uid: str
    candidate_name: str
    opportunity_uid: str
    opportunity_title: str
    organisation: str
    results: tuple[RuleResult, ...]
    score: float  # 0..100 for feasible pairs; 0 for infeasible ones
    score_parts: dict[str, float] = field(default_factory=dict, hash=False)

    @property
    def feasible(self) -> bool:
        """Whether every hard rule passed."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        """The rules that failed (empty for a feasible pair)."""
        return tuple(r for r in self.results if not r.passed)
