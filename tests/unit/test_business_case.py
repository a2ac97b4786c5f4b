"""The business case: costs per period, assumptions, cost per candidate and outflow,
benefit months saved, on constructed numbers and on the pilot demo."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from kvds_desktop.errors import UserError
from kvds_desktop.services import business_case as bc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.scheduling.common import AUDIT
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database

ACTOR = Actor("coordinator", "laptop")
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
DEFAULTS = tuple(bc.AssumptionRow(k, v, n, True) for k, (v, n) in bc.DEFAULTS.items())


def _cost(municipality: str, category: str, amount: float, first: date, last: date) -> bc.CostRow:
    return bc.CostRow("u", municipality, "", category, first, last, amount, "")


def _saving(municipality: str, kind: str, day: date, benefit: str = "geen") -> bc.OutflowSaving:
    return bc.OutflowSaving(municipality, kind, day, date(2022, 1, 1), benefit)


def test_a_cost_counts_for_its_days_inside_the_period() -> None:
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert bc.cost_in_period(36_500, *year, date(2026, 1, 1), date(2026, 1, 10)) == 1000
    assert bc.cost_in_period(36_500, *year, date(2025, 1, 1), date(2027, 12, 31)) == 36_500
    assert bc.cost_in_period(36_500, *year, date(2027, 1, 1), date(2027, 1, 31)) == 0


def test_months_saved_run_from_outflow_to_the_baseline_capped_at_the_period_end() -> None:
    def months(saving: bc.OutflowSaving, end: date, years: float = 5.0) -> float:
        return bc.months_saved(saving, period_end=end, baseline_years=years, partial_share=0.5)

    # benefit since 2022-01-01, baseline 5 years: off benefit anyway on 2027-01-01
    job = _saving("Druten", "betaald_werk", date(2026, 7, 1))
    assert months(job, date(2026, 12, 31)) == pytest.approx(183 / bc.DAYS_PER_MONTH)
    assert months(job, date(2030, 1, 1)) == pytest.approx(184 / bc.DAYS_PER_MONTH)  # baseline
    assert months(job, date(2030, 1, 1), years=3) == 0  # baseline passed before the outflow
    partial = _saving("Druten", "bbl", date(2026, 7, 1), "gedeeltelijk")
    assert months(partial, date(2026, 12, 31)) == pytest.approx(183 / bc.DAYS_PER_MONTH / 2)
    assert months(_saving("Druten", "betaald_werk", date(2026, 7, 1), "volledig"),
                  date(2026, 12, 31)) == 0  # fmt: skip
    assert months(_saving("Druten", "verhuisd", date(2026, 7, 1)), date(2026, 12, 31)) == 0


def test_compute_case_shares_shared_costs_by_candidates_served() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    costs = [
        _cost("", "personeel", 120_000, start, end),  # shared: Druten 1/4, Wijchen 3/4
        _cost("Druten", "huisvesting", 10_000, start, end),
        _cost("Wijchen", "aanbieder", 30_000, start, end),
    ]
    savings = [
        _saving("Druten", "betaald_werk", date(2026, 12, 1)),
        _saving("Wijchen", "gestopt", date(2026, 6, 1)),
        _saving("Wijchen", "opleiding_studiefinanciering", date(2026, 12, 1)),
    ]
    case = bc.compute_case(start=start, end=end, costs=costs, served={"Druten": 10, "Wijchen": 30},
                           savings=savings, assumptions=DEFAULTS)  # fmt: skip
    druten, wijchen = case.per_municipality
    assert (druten.municipality, wijchen.municipality) == ("Druten", "Wijchen")
    assert dict(druten.costs_by_category)["personeel"] == pytest.approx(30_000)
    assert druten.total_cost == pytest.approx(40_000)
    assert druten.cost_per_candidate == pytest.approx(4_000)
    assert druten.cost_per_outflow == pytest.approx(40_000)
    assert wijchen.total_cost == pytest.approx(120_000)
    assert wijchen.cost_per_outflow == pytest.approx(60_000)
    assert wijchen.outflows == 2 and wijchen.outflows_off_benefit == 1  # a stop saves nothing
    month = 30 / bc.DAYS_PER_MONTH  # 1 Dec to 31 Dec
    assert druten.benefit_months_saved == pytest.approx(month)
    assert druten.amount_saved == pytest.approx(month * 1400)
    total = case.total
    assert total.total_cost == pytest.approx(160_000)
    assert total.candidates_served == 40 and total.outflows == 3
    assert total.cost_per_candidate == pytest.approx(4_000)
    assert total.amount_saved == pytest.approx(2 * month * 1400)
    served = {"Druten": 10, "Wijchen": 30}
    only = bc.compute_case(
        start=start,
        end=end,
        costs=costs,
        served=served,
        savings=savings,
        assumptions=DEFAULTS,
        municipality="Druten",
    )
    assert only.total == druten


def test_no_candidates_and_no_outflow_give_no_ratio() -> None:
    case = bc.compute_case(start=date(2026, 1, 1), end=date(2026, 1, 31), costs=[], served={},
                           savings=[], assumptions=DEFAULTS)  # fmt: skip
    assert case.total.cost_per_candidate is None and case.total.cost_per_outflow is None
    assert case.total.total_cost == 0 and case.per_municipality == ()


@pytest.fixture
def db(pilot_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "pilot.sqlite"
    shutil.copyfile(pilot_file, path)
    database = Database.open(path)
    with database.engine.begin() as conn:  # start from no costs: the tests enter their own
        conn.execute(delete(migrate.METADATA.tables["cost_entry"]))
    yield database
    database.close()


def test_costs_are_saved_listed_changed_deleted_and_audited(db: Database) -> None:
    row = bc.save_cost(db, municipality="Druten", location="Druten", category="huisvesting",
                       period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                       amount_eur=36_000, note="huur", actor=ACTOR, now=NOW)  # fmt: skip
    assert row.location == "Druten" and row.amount_eur == 36_000
    assert bc.list_costs(db, start=date(2026, 6, 1), end=date(2026, 6, 30)) == [row]
    assert bc.list_costs(db, start=date(2027, 1, 1), end=None) == []
    changed = bc.save_cost(db, municipality="Druten", location=None, category="huisvesting",
                           period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                           amount_eur=38_000, note="", actor=ACTOR, now=NOW,
                           uid=row.uid)  # fmt: skip
    assert changed.amount_eur == 38_000 and changed.location == ""
    assert bc.find_cost(db, row.uid[:8]) == row.uid
    bc.delete_cost(db, row.uid, actor=ACTOR, now=NOW)
    assert bc.list_costs(db) == []
    with db.engine.connect() as conn:
        actions = conn.execute(
            select(AUDIT.c.action).where(AUDIT.c.record_uid == row.uid).order_by(AUDIT.c.id)
        ).scalars().all()  # fmt: skip
    assert actions == ["cost.add", "cost.update", "cost.delete"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "snoep"}, "Unknown cost category"),
        ({"amount_eur": -1.0}, "negative"),
        ({"period_end": date(2025, 1, 1)}, "ends before it starts"),
        ({"location": "Nijmegen"}, "No location"),
    ],
)
def test_a_wrong_cost_is_refused(db: Database, changes: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "municipality": "", "location": None, "category": "overig",
        "period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31),
        "amount_eur": 100.0, "note": "", **changes,
    }  # fmt: skip
    with pytest.raises(UserError, match=message):
        bc.save_cost(db, actor=ACTOR, now=NOW, **values)  # type: ignore[arg-type]


def test_assumptions_have_defaults_and_can_be_changed(db: Database) -> None:
    found = {a.key: a for a in bc.get_assumptions(db)}
    assert found[bc.BENEFIT_PER_MONTH].value == 1400 and found[bc.BENEFIT_PER_MONTH].is_default
    assert "assumption" in found[bc.BENEFIT_PER_MONTH].note.lower()
    assert found[bc.BASELINE_YEARS].value == 5
    row = bc.set_assumption(db, bc.BENEFIT_PER_MONTH, 1250, actor=ACTOR, now=NOW)
    assert row.value == 1250 and not row.is_default
    with pytest.raises(UserError, match="between"):
        bc.set_assumption(db, bc.PARTIAL_SHARE, 2, actor=ACTOR, now=NOW)
    with pytest.raises(UserError, match="Unknown assumption"):
        bc.set_assumption(db, "inflation", 2, actor=ACTOR, now=NOW)


def test_business_case_on_the_pilot(db: Database) -> None:
    bc.save_cost(db, municipality="", location=None, category="personeel",
                 period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                 amount_eur=365_000, note="", actor=ACTOR, now=NOW)  # fmt: skip
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    case = bc.business_case(db, start=start, end=end)
    assert case.total.total_cost == pytest.approx(181 * 1000)
    assert {f.municipality for f in case.per_municipality} == {"Druten", "Wijchen"}
    assert sum(f.total_cost for f in case.per_municipality) == pytest.approx(181 * 1000)
    assert case.total.candidates_served == sum(f.candidates_served for f in case.per_municipality)
    assert case.total.outflows == sum(f.outflows for f in case.per_municipality) > 0
    assert case.total.amount_saved == pytest.approx(case.total.benefit_months_saved * 1400)
    druten = bc.business_case(db, start=start, end=end, municipality="Druten")
    assert druten.total == case.per_municipality[0]
    with pytest.raises(UserError):
        bc.business_case(db, start=end, end=start)
