"""The matching commands: ranked pairs with reasons, the optimal proposal, decisions,
and the organisations with their opportunities and contact log.

``kvds match --candidate REF`` or ``--opportunity ID`` ranks the best fits first with
every rule's reason (without either: the best feasible pairs overall); ``kvds match
--propose`` prints the optimal set of matches; ``--accept CANDIDATE OPPORTUNITY``
creates a proposed placement, ``--reject CANDIDATE OPPORTUNITY --reason TEXT``
overrides the proposal. ``kvds organisations``, ``kvds opportunities`` and ``kvds
contact`` list organisations and opportunities and add to the contact log. A candidate
is named by uid or client number, an opportunity by uid or the start of its title, an
organisation by uid or (the start of) its name. Registered by :mod:`kvds_desktop.cli`;
the commands share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of as _actor
from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.domain import labels
from kvds_desktop.i18n import Translator
from kvds_desktop.services.candidates import find_candidate
from kvds_desktop.services.work import matching, proposal
from kvds_desktop.services.work import organisations as orgs
from kvds_desktop.services.work.pairs import PairCheck

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- match ---------------------------------------------------------------------------


def _pair_json(tr: Translator, pair: PairCheck) -> dict[str, Any]:
    return {
        "candidate": pair.candidate_uid,
        "candidate_name": pair.candidate_name,
        "opportunity": pair.opportunity_uid,
        "title": pair.opportunity_title,
        "organisation": pair.organisation,
        "feasible": pair.feasible,
        "score": round(pair.score, 2),
        "score_parts": {k: round(v, 2) for k, v in pair.score_parts.items()},
        "reasons": [
            {"rule": r.rule, "passed": r.passed, "text": matching.render_reason(r, tr)}
            for r in pair.results
        ],
    }


def _pair_lines(tr: Translator, number: int, pair: PairCheck, by_candidate: bool) -> list[str]:
    who = f"{pair.opportunity_title} ({pair.organisation})" if by_candidate else pair.candidate_name
    score = tr.number(round(pair.score, 1)) if pair.feasible else tr._("no fit")
    head = f"{number:>3}. {score:>6}  {who}"
    reasons = "; ".join(matching.render_reason(r, tr) for r in pair.results)
    return [head, f"       {reasons}"]


def _both_lines(tr: Translator, number: int, pair: PairCheck) -> list[str]:
    score = tr.number(round(pair.score, 1))
    head = tr._("{number}. {score}  {name} → {title} ({organisation})").format(
        number=number, score=score, name=pair.candidate_name, title=pair.opportunity_title,
        organisation=pair.organisation,
    )  # fmt: skip
    reasons = "; ".join(matching.render_reason(r, tr) for r in pair.results)
    return [head, f"     {reasons}"]


def _ranked_text(tr: Translator, title: str, pairs: Sequence[PairCheck], by: bool | None) -> str:
    lines = [title]
    if not pairs:
        lines.append(tr._("Nothing to show."))
    for number, pair in enumerate(pairs, start=1):
        lines += (
            _pair_lines(tr, number, pair, by) if by is not None else _both_lines(tr, number, pair)
        )
    return "\n".join(lines)


def _rank(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        if a.candidate:
            uid = find_candidate(db, a.candidate)
            pairs = matching.rank_for_candidate(db, uid, today=ctx.today, limit=a.limit)
            name = pairs[0].candidate_name if pairs else a.candidate
            title = tr._("Opportunities for {name} on {date}, best first:")
            text = _ranked_text(tr, title.format(name=name, date=tr.date(ctx.today)), pairs, True)
        elif a.opportunity:
            uid = orgs.find_opportunity(db, a.opportunity)
            pairs = matching.rank_for_opportunity(db, uid, today=ctx.today, limit=a.limit)
            name = pairs[0].opportunity_title if pairs else a.opportunity
            title = tr._("Candidates for {title} on {date}, best first:")
            text = _ranked_text(tr, title.format(title=name, date=tr.date(ctx.today)), pairs, False)
        else:
            found = matching.feasible_pairs(db, today=ctx.today)
            found.sort(key=lambda p: (-p.score, p.candidate_name, p.opportunity_title))
            pairs = found[: max(0, a.limit)]
            title = tr._("The best {count} of {total} possible matches on {date}:").format(
                count=len(pairs), total=len(found), date=tr.date(ctx.today)
            )
            text = _ranked_text(tr, title, pairs, None)
    finally:
        db.close()
    ctx.emit({"today": ctx.today.isoformat(), "pairs": [_pair_json(tr, p) for p in pairs]}, text)
    return EXIT_OK


def _propose(ctx: Context) -> int:
    tr = ctx.tr
    db = ctx.open()
    try:
        result = proposal.propose_matches(db, today=ctx.today)
    finally:
        db.close()
    data = {
        "today": ctx.today.isoformat(),
        "total_score": round(result.total_score, 2),
        "candidates_considered": result.candidates_considered,
        "opportunities_considered": result.opportunities_considered,
        "seconds": result.seconds,
        "pairs": [_pair_json(tr, p) for p in result.pairs],
    }
    head = tr._(
        "Proposal on {date}: {count} matches, total score {total} ({candidates} candidates "
        "and {opportunities} opportunities with a possible match; {seconds} s)."
    ).format(
        date=tr.date(ctx.today), count=len(result.pairs),
        total=tr.number(round(result.total_score, 1)), candidates=result.candidates_considered,
        opportunities=result.opportunities_considered, seconds=tr.number(result.seconds),
    )  # fmt: skip
    lines = [head]
    for number, pair in enumerate(result.pairs, start=1):
        lines += _both_lines(tr, number, pair)
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def _decide(ctx: Context, accept: bool) -> int:
    a, tr = ctx.args, ctx.tr
    candidate_ref, opportunity_ref = a.accept if accept else a.reject
    db = ctx.open()
    try:
        candidate = find_candidate(db, candidate_ref)
        opportunity = orgs.find_opportunity(db, opportunity_ref)
        proposal.decide_match(
            db, candidate_uid=candidate, opportunity_uid=opportunity, accept=accept,
            reason=a.reason or "", actor=_actor(ctx), today=ctx.today, now=datetime.now(UTC),
        )  # fmt: skip
        title = next(
            (o.title for o in orgs.list_opportunities(db, today=ctx.today, include_inactive=True)
             if o.uid == opportunity), opportunity_ref,
        )  # fmt: skip
    finally:
        db.close()
    data = {
        "decision": proposal.ACCEPTED if accept else proposal.REJECTED,
        "candidate": candidate,
        "opportunity": opportunity,
        "reason": " ".join((a.reason or "").split()),
        "placement_stage": proposal.PROPOSED_STAGE if accept else None,
        "date": ctx.today.isoformat(),
    }
    if accept:
        text = tr._("Match accepted: a placement at {title} is proposed from {date}.")
    else:
        text = tr._("Match rejected: {title} will not be proposed again for this candidate.")
    ctx.emit(data, text.format(title=title, date=tr.date(ctx.today)))
    return EXIT_OK


def _match(ctx: Context) -> int:
    a = ctx.args
    if a.propose:
        return _propose(ctx)
    if a.accept or a.reject:
        return _decide(ctx, accept=bool(a.accept))
    return _rank(ctx)


# --- organisations, opportunities, contact -------------------------------------------


def _organisations(ctx: Context) -> int:
    tr = ctx.tr
    db = ctx.open()
    try:
        rows = orgs.list_organisations(db, include_inactive=ctx.args.all)
    finally:
        db.close()
    data = [
        {"uid": r.uid, "name": r.name, "kind": r.kind, "sector": r.sector, "address": r.address,
         "city": r.city, "contact_name": r.contact_name, "contact_email": r.contact_email,
         "phone": r.phone, "active": r.active, "open_opportunities": r.opportunities,
         "last_contact": _iso(r.last_contact)}
        for r in rows
    ]  # fmt: skip
    width = max((len(r.name) for r in rows), default=0)
    lines = [tr._("{count} organisations").format(count=len(rows))]
    for r in rows:
        kind = tr._(orgs.ORGANISATION_KINDS.get(r.kind, r.kind))
        extra = tr._("{count} open").format(count=r.opportunities)
        if r.last_contact is not None:
            extra += " · " + tr._("last contact {date}").format(
                date=tr.date(r.last_contact, "medium")
            )
        if not r.active:
            extra += " · " + tr._("inactive")
        lines.append(f"  {r.name:<{width}}  {kind:<24} {r.sector:<12} {r.city:<14} {extra}")
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def _days(tr: Translator, days: Sequence[int]) -> str:
    return " ".join(tr._(labels.WEEKDAYS_SHORT.get(d, str(d))) for d in days) or "–"


def _needs(tr: Translator, row: orgs.OpportunityRow) -> str:
    parts = []
    if row.required_level:
        parts.append(tr._(labels.label(labels.LEVEL, row.required_level)))
    parts += [
        f"{tr._(labels.SKILL.get(skill, skill))} {tr._(labels.label(labels.LEVEL, level))}"
        for skill, level in row.skill_levels
    ]
    if row.driving_licence_required:
        parts.append(tr._("driving licence"))
    parts += list(row.certificates)
    return ", ".join(parts)


def _opportunities(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        org_uid = orgs.find_organisation(db, a.organisation) if a.organisation else None
        rows = orgs.list_opportunities(
            db, today=ctx.today, organisation_uid=org_uid, include_inactive=a.all
        )
    finally:
        db.close()
    data = [
        {"uid": r.uid, "organisation_uid": r.organisation_uid, "organisation": r.organisation,
         "kind": r.kind, "title": r.title, "sector": r.sector, "city": r.city,
         "days": list(r.days), "hours_per_week": r.hours_per_week,
         "required_level": r.required_level,
         "skill_levels": {skill: level for skill, level in r.skill_levels},
         "driving_licence_required": r.driving_licence_required,
         "certificates": list(r.certificates), "physical_work": r.physical_work,
         "start_date": _iso(r.start_date), "end_date": _iso(r.end_date), "places": r.places,
         "taken": r.taken, "active": r.active, "description": r.description}
        for r in rows
    ]  # fmt: skip
    lines = [tr._("{count} opportunities").format(count=len(rows))]
    for r in rows:
        kind = tr._(orgs.OPPORTUNITY_KINDS.get(r.kind, r.kind))
        places = tr._("{taken} of {places} places taken").format(taken=r.taken, places=r.places)
        hours = tr._("{hours} h/week").format(hours=r.hours_per_week) if r.hours_per_week else ""
        lines.append(f"  {r.title} · {r.organisation} ({r.city}) · {kind}")
        detail = [_days(tr, r.days), hours, places, _needs(tr, r)]
        if not r.active:
            detail.append(tr._("inactive"))
        lines.append("      " + " · ".join(part for part in detail if part))
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def _contact(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    day = a.date or ctx.today
    actor = _actor(ctx)
    db = ctx.open()
    try:
        org_uid = orgs.find_organisation(db, a.organisation)
        uid = orgs.add_contact(
            db, org_uid, day, a.by or actor.name, a.with_whom, a.subject, a.note or "", actor,
            today=ctx.today, now=datetime.now(UTC),
        )  # fmt: skip
        name = next(r.organisation for r in orgs.list_contacts(db, org_uid) if r.uid == uid)
    finally:
        db.close()
    data = {"uid": uid, "organisation": org_uid, "date": day.isoformat(), "with": a.with_whom,
            "subject": a.subject}  # fmt: skip
    text = tr._("Contact with {name} at {organisation} on {date} recorded.").format(
        name=a.with_whom, organisation=name, date=tr.date(day)
    )
    ctx.emit(data, text)
    return EXIT_OK


def add_commands(command: Callable[[str, str], argparse.ArgumentParser], *_: Any) -> None:
    """Add ``kvds match``, ``organisations``, ``opportunities`` and ``contact``."""
    match = command("match", "rank candidates and opportunities, propose matches, decide")
    which = match.add_mutually_exclusive_group()
    which.add_argument("--candidate", metavar="REF", help="opportunities for one candidate")
    which.add_argument("--opportunity", metavar="ID", help="candidates for one opportunity")
    which.add_argument("--propose", action="store_true", help="the optimal set of matches")
    which.add_argument("--accept", nargs=2, metavar=("CANDIDATE", "OPPORTUNITY"),
                       help="accept a match: a proposed placement")  # fmt: skip
    which.add_argument("--reject", nargs=2, metavar=("CANDIDATE", "OPPORTUNITY"),
                       help="reject a match (needs --reason)")  # fmt: skip
    match.add_argument("--reason", metavar="TEXT", help="why (required with --reject)")
    match.add_argument("--limit", type=int, default=matching.DEFAULT_LIMIT, metavar="N")
    match.add_argument("--actor", metavar="NAME", help="who decides (default: the user)")
    match.set_defaults(run=_match)

    organisations = command("organisations", "employers, volunteer organisations, schools")
    organisations.add_argument("--all", action="store_true", help="inactive ones too")
    organisations.set_defaults(run=_organisations)

    opportunities = command("opportunities", "open volunteer work, internships and jobs")
    opportunities.add_argument("--organisation", metavar="NAME", help="of one organisation")
    opportunities.add_argument("--all", action="store_true", help="inactive and ended ones too")
    opportunities.set_defaults(run=_opportunities)

    contact = command("contact", "add a contact with an organisation to its log")
    contact.add_argument("--organisation", required=True, metavar="NAME")
    contact.add_argument("--with", dest="with_whom", required=True, metavar="NAME")
    contact.add_argument("--subject", required=True, metavar="TEXT")
    contact.add_argument("--note", metavar="TEXT")
    contact.add_argument("--date", type=_date, metavar="DATE", help="default: today")
    contact.add_argument("--by", metavar="NAME", help="who spoke to them (default: the user)")
    contact.add_argument("--actor", metavar="NAME", help=argparse.SUPPRESS)
    contact.set_defaults(run=_contact)
