"""The merge rules as pure functions: heads, claims and what one mark should become.

Everything here depends only on the facts known for one candidate in one lesson, the
coordinator's current mark and the conflict row, never on the order files arrived in
or on a laptop's clock; the database work lives in ``state`` and ``merge``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kvds_desktop.services.attendance.common import MarkRow

MINE = "mine"
OPEN = "open"
RESOLVED = "resolved"
MERGED = "merged"

# status_code, reason, minutes: what two claims must share to agree (notes never conflict)
Value = tuple[str, str, int | None]


@dataclass(frozen=True)
class ClaimRow:
    """One source's say about a mark: a fact from a file, or the coordinator's own mark.

    ``key`` is ``"mine"`` for the coordinator's mark, else the fact's source key;
    ``label`` is the teacher's name (for ``"mine"``: who recorded the mark).
    """

    key: str
    label: str
    fact_uid: str | None
    status_code: str
    reason: str
    minutes: int | None
    note: str
    revision: int
    recorded_at: datetime | None
    file_name: str

    @property
    def value(self) -> Value:
        """What the claim says, notes left out."""
        return (self.status_code, self.reason, self.minutes)

    def to_json(self) -> dict[str, Any]:
        """The claim as ``mark_conflict.claims_json`` stores it."""
        return {
            "key": self.key, "label": self.label, "fact_uid": self.fact_uid,
            "status_code": self.status_code, "reason": self.reason, "minutes": self.minutes,
            "note": self.note, "revision": self.revision, "file_name": self.file_name,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClaimRow:
        """A claim from its stored form (missing fields get empty values)."""
        at = data.get("recorded_at")
        return cls(
            key=str(data.get("key", "")), label=str(data.get("label", "")),
            fact_uid=data.get("fact_uid"), status_code=str(data.get("status_code", "")),
            reason=str(data.get("reason", "")), minutes=data.get("minutes"),
            note=str(data.get("note", "")), revision=int(data.get("revision", 0)),
            recorded_at=datetime.fromisoformat(at) if at else None,
            file_name=str(data.get("file_name", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class CurrentMark:
    """The mark in the register with its key and how it came about (its ``origin``)."""

    id: int
    origin: str
    row: MarkRow

    @property
    def value(self) -> Value:
        """What the mark says, notes left out."""
        return (self.row.status_code, self.row.reason, self.row.minutes)


@dataclass(frozen=True)
class ConflictState:
    """A ``mark_conflict`` row as the rules need it.

    ``considered`` holds the fact uids the coordinator saw when deciding (empty until a
    decision); a differing claim among them never reopens the conflict.
    """

    id: int
    uid: str
    state: str
    kept: str
    claims: tuple[ClaimRow, ...]
    considered: frozenset[str]


@dataclass(frozen=True)
class Decision:
    """What one mark and its conflict row should become.

    ``merged``: set a merged mark from these agreeing claims (None: leave the mark);
    ``remove_merged``: delete the merged mark; ``conflict``: ``"open"`` (with
    ``claims``), ``"close"`` or ``""`` (leave it).
    """

    merged: tuple[ClaimRow, ...] | None = None
    remove_merged: bool = False
    conflict: str = ""
    claims: tuple[ClaimRow, ...] = ()


def claim_order(claim: ClaimRow) -> tuple[int, str, str]:
    """Mine first, then by source key and fact uid: the order claims are shown and stored."""
    return (0 if claim.key == MINE else 1, claim.key, claim.fact_uid or "")


def head_claims(facts: Iterable[ClaimRow]) -> tuple[ClaimRow, ...]:
    """The claims of every source: its facts at its highest revision that are not withdrawals.

    Two different facts of one source at the same revision are both claims (the
    source disagrees with itself); a head with an empty status claims nothing.
    """
    heads: dict[str, list[ClaimRow]] = {}
    for fact in facts:
        current = heads.get(fact.key)
        if current is None or fact.revision > current[0].revision:
            heads[fact.key] = [fact]
        elif fact.revision == current[0].revision:
            current.append(fact)
    claims = [fact for group in heads.values() for fact in group if fact.status_code]
    return tuple(sorted(claims, key=claim_order))


def mine_claim(mark: MarkRow) -> ClaimRow:
    """The coordinator's current mark as a claim."""
    return ClaimRow(
        key=MINE, label=mark.recorded_by, fact_uid=None, status_code=mark.status_code,
        reason=mark.reason, minutes=mark.minutes, note=mark.note, revision=0,
        recorded_at=mark.recorded_at, file_name="",
    )  # fmt: skip


def claim_signature(claims: Sequence[ClaimRow]) -> tuple[tuple[Any, ...], ...]:
    """What makes two claim lists the same for the conflict queue (times left out)."""
    return tuple(
        (c.key, c.fact_uid, c.value, c.note, c.label) for c in sorted(claims, key=claim_order)
    )


def decide(
    claims: Sequence[ClaimRow], mark: CurrentMark | None, conflict: ConflictState | None
) -> Decision:
    """What the mark of one candidate in one lesson should become.

    A mark the coordinator typed (``local``) or decided (``resolved``) is never
    changed by files: a claim that differs from it and was not considered in an
    earlier decision opens (or reopens) the conflict; otherwise an open conflict
    closes. Without such a mark the files decide alone: all agree, a merged mark;
    none claims anything, no mark; they disagree, no mark and an open conflict.
    """
    is_open = conflict is not None and conflict.state == OPEN
    if mark is not None and mark.origin != MERGED:
        considered = conflict.considered if conflict is not None else frozenset()
        unseen = [c for c in claims if c.value != mark.value and c.fact_uid not in considered]
        if unseen:
            ordered = tuple(sorted((*claims, mine_claim(mark.row)), key=claim_order))
            return Decision(conflict=OPEN, claims=ordered)
        return Decision(conflict="close" if is_open else "")
    values = {c.value for c in claims}
    if len(values) == 1:
        return Decision(merged=tuple(claims), conflict="close" if is_open else "")
    if not values:
        return Decision(remove_merged=mark is not None, conflict="close" if is_open else "")
    return Decision(remove_merged=mark is not None, conflict=OPEN, claims=tuple(claims))


def merged_fields(agreeing: Sequence[ClaimRow]) -> tuple[str, str, str]:
    """``(note, recorded_by, source)`` of a merged mark from its agreeing claims.

    The note is that of the claim with the smallest source key; the source lists
    every teacher's name once, in source-key order, and the first is the recorder.
    """
    ordered = sorted(agreeing, key=claim_order)
    labels: list[str] = []
    for claim in ordered:
        label = claim.label or claim.key
        if label not in labels:
            labels.append(label)
    return ordered[0].note, labels[0][:120], ", ".join(labels)[:200]


def claims_json(claims: Sequence[ClaimRow], considered: Iterable[str]) -> str:
    """``mark_conflict.claims_json``: the claims and the fact uids a decision considered."""
    return json.dumps(
        {"claims": [c.to_json() for c in claims], "considered": sorted(set(considered))},
        ensure_ascii=False,
        sort_keys=True,
    )


def parse_claims_json(text: str) -> tuple[tuple[ClaimRow, ...], frozenset[str]]:
    """The claims and considered fact uids from ``claims_json`` (a bare list: no decision)."""
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return (), frozenset()
    if isinstance(data, list):
        items, considered = data, []
    elif isinstance(data, dict):
        items, considered = data.get("claims", []), data.get("considered", [])
    else:
        return (), frozenset()
    claims = tuple(ClaimRow.from_json(item) for item in items if isinstance(item, dict))
    return claims, frozenset(str(uid) for uid in considered)
