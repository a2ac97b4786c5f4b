"""Turning a candidate's record into the texts of the detail view, in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from kvds_desktop.domain import labels
from kvds_desktop.domain.deadlines import Deadline
from kvds_desktop.i18n import Translator
from kvds_desktop.services.candidates import CandidateDetail
from kvds_desktop.ui.pages.candidates.detail_view import CandidateDetailView


def _d(value: date | None, tr: Translator) -> str:
    return tr.date(value, "long") if value else ""


def _yes(value: object, tr: Translator) -> str:
    return tr._("yes") if value else tr._("no")


def _days(codes: str, tr: Translator) -> str:
    days = [int(c) for c in codes.split(",") if c.strip().isdigit()]
    return ", ".join(tr._(labels.WEEKDAYS_SHORT[d]) for d in days if d in labels.WEEKDAYS_SHORT)


def fill_record(
    view: CandidateDetailView,
    detail: CandidateDetail,
    tr: Translator,
    reason: Callable[[Deadline, Translator], str],
    free_days: Sequence[date] = (),
) -> None:
    """Fill every section of ``view`` from ``detail``; ``free_days`` are this week's days
    without lessons (for volunteer work or an internship)."""
    v = detail.values
    view.name.setText(detail.name)
    status = tr._(labels.label(labels.STATUS, detail.status))
    bits = [
        b for b in (v.get("klantnummer"), status, detail.location or v.get("municipality")) if b
    ]
    view.subtitle.setText(" · ".join(str(b) for b in bits))
    view.bsn_button.setEnabled(detail.has_bsn)
    view.pip_button.setEnabled(v.get("law") == "wi2021")
    view.extend_button.setEnabled(detail.term_start is not None)
    if detail.deadlines:
        view.deadlines.setText("\n".join("⚑ " + reason(d, tr) for d in detail.deadlines))
        view.deadlines.setVisible(True)
    else:
        view.deadlines.setVisible(False)
    address = " ".join(p for p in (v.get("address"), v.get("postcode"), v.get("city")) if p)
    view.person.fill(
        tr._("Person"),
        [
            (tr._("Birth date"), _d(v.get("birth_date"), tr)),
            (tr._("Gender"), tr._(labels.label(labels.GENDER, v.get("gender")))),
            (tr._("Nationality"), v.get("nationality") or ""),
            (tr._("BSN"), detail.bsn_masked),
            (tr._("Phone"), v.get("phone") or ""),
            (tr._("E-mail"), v.get("email") or ""),
            (tr._("Address"), address),
            (tr._("Municipality"), v.get("municipality") or ""),
            (tr._("Klantmanager"), detail.klantmanager),
        ],
    )
    pips = "\n".join(
        tr._("{version}. {date}: {route}{reason}").format(
            version=p["version"],
            date=_d(p["decision_date"], tr),
            route=tr._(labels.label(labels.ROUTE, p["route"])),
            reason=f" ({p['reason']})" if p["reason"] else "",
        )
        for p in detail.pip_versions
    )
    extensions = "\n".join(
        tr._("{months} months on {date}: {reason}").format(
            months=e["months"], date=_d(e["decided_on"], tr), reason=e["reason"]
        )
        for e in detail.extensions
    )
    groups = "\n".join(
        f"{g['name']}: {_d(g['start_date'], tr)} – {_d(g['end_date'], tr) or tr._('now')}"
        for g in detail.groups
    )
    term = ""
    if detail.term_start:
        term = f"{_d(detail.term_start, tr)} – {_d(detail.term_end, tr)}"
    lbt = " · ".join(p for p in (_d(v.get("lbt_date"), tr), v.get("lbt_outcome") or "") if p)
    view.integration.fill(
        tr._("Integration"),
        [
            (tr._("Law"), tr._(labels.label(labels.LAW, v.get("law")))),
            (tr._("Target group"), tr._(labels.label(labels.DOELGROEP, v.get("doelgroep")))),
            (tr._("Learning route"), tr._(labels.label(labels.ROUTE, v.get("route")))),
            (tr._("Target level"), tr._(labels.label(labels.LEVEL, v.get("target_level")))),
            (tr._("Registered on"), _d(v.get("registration_date"), tr)),
            (tr._("Learnability test (LBT)"), lbt),
            (tr._("PIP versions"), pips),
            (tr._("Integration term"), term),
            (tr._("Extensions"), extensions),
            (tr._("Groups"), groups),
        ],
    )
    w = detail.work_profile
    view.work.fill(
        tr._("Work profile"),
        [
            (
                tr._("Days without lessons this week"),
                ", ".join(tr.date(day, "EEE d MMM") for day in free_days),
            ),
            (tr._("Available on"), _days(str(w.get("available_days") or ""), tr)),
            (tr._("Hours per week"), str(w.get("hours_per_week") or "")),
            (tr._("Transport"), str(w.get("transport") or "")),
            (tr._("Maximum travel time (minutes)"), str(w.get("max_travel_minutes") or "")),
            (tr._("Driving licence"), _yes(w.get("driving_licence"), tr) if w else ""),
            (
                tr._("Education"),
                " · ".join(
                    str(x) for x in (w.get("education_summary"), w.get("education_country")) if x
                ),
            ),
            (tr._("Work experience"), str(w.get("work_history") or "")),
            (tr._("Sectors wished"), str(w.get("sector_wishes") or "")),
            (
                tr._("Consent to share with employers"),
                _yes(w.get("employer_consent"), tr) if w else "",
            ),
        ],
    )
    view.attention.fill(
        tr._("Points of attention"),
        [
            (tr._("Points of attention"), v.get("aandachtspunten") or ""),
            (tr._("Participation ladder (1-6)"), str(v.get("participatieladder") or "")),
        ],
    )
    view.notes.fill(
        tr._("Notes"),
        [
            (
                tr.datetime(n["written_at"], "short") + (f"\n{n['author']}" if n["author"] else ""),
                n["text"],
            )
            for n in detail.notes[:20]
        ]
        or [(tr._("Notes"), "")],
    )
    view.history.fill(
        tr._("Status history"),
        [
            (
                _d(h["effective_date"], tr),
                tr._(labels.label(labels.STATUS, h["status"]))
                + (f" — {h['reason']}" if h["reason"] else ""),
            )
            for h in detail.status_history
        ],
    )
