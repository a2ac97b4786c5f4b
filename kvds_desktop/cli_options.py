"""What the ``kvds`` commands share: dates as people type them, ``--json``, the actor."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from kvds_desktop.domain.dates import parse_date
from kvds_desktop.services.audit import Actor

if TYPE_CHECKING:
    from kvds_desktop.cli import Context


def date_arg(text: str) -> date:
    """An argparse type: a date as jjjj-mm-dd or dd-mm-jjjj."""
    try:
        parsed = parse_date(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date (jjjj-mm-dd or dd-mm-jjjj): {text!r}")
    return parsed


def json_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give ``parser`` the ``--json`` switch (machine-readable output on stdout)."""
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )
    return parser


def actor_of(ctx: Context) -> Actor:
    """The person in the audit trail: ``--actor`` when given, else the logged-in user."""
    current = Actor.current()
    name = getattr(ctx.args, "actor", None)
    return Actor(name, current.device) if name else current
