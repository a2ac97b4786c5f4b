"""The ``kvds users`` commands: who may work in a shared (regional) database.

``kvds users list [--json]`` shows every user; ``kvds users add LOGIN --role ROLE
[--municipality NAME] [--name "Display Name"]`` lets a server user in, ``kvds users
change LOGIN [--role ROLE] [--municipality NAME | --all-municipalities] [--name ...]``
changes them and ``kvds users remove LOGIN`` deactivates them. Roles: coordinator,
teacher, job_coach, municipality (read-only); without a municipality a user works for
all of them. Only a coordinator of every municipality manages users. Registered by
:mod:`kvds_desktop.cli`; the commands share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of, json_option
from kvds_desktop.domain.access import Role
from kvds_desktop.services import users
from kvds_desktop.services.users import UserRow

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
ROLES = ", ".join(role.value for role in Role)


def _line(ctx: Context, row: UserRow) -> str:
    where = row.municipality or ctx.tr._("all municipalities")
    state = "" if row.active else " " + ctx.tr._("(removed)")
    return f"{row.login:<20} {row.role:<13} {where:<20} {row.display_name}{state}"


def _list(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = users.list_users(db)
    finally:
        db.close()
    lines = [_line(ctx, row) for row in rows] or [ctx.tr._("No users yet.")]
    ctx.emit([row.as_json() for row in rows], "\n".join(lines))
    return EXIT_OK


def _add(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        row = users.add_user(db, a.login, a.role, actor_of(ctx), municipality=a.municipality,
                             display_name=a.name or "")  # fmt: skip
    finally:
        db.close()
    ctx.emit(row.as_json(), ctx.tr._("Added: {user}").format(user=_line(ctx, row).strip()))
    return EXIT_OK


def _change(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        row = users.change_user(
            db,
            a.login,
            actor_of(ctx),
            role=a.role,
            municipality=a.municipality,
            every_municipality=a.all_municipalities,
            display_name=a.name,
        )
    finally:
        db.close()
    ctx.emit(row.as_json(), ctx.tr._("Changed: {user}").format(user=_line(ctx, row).strip()))
    return EXIT_OK


def _remove(ctx: Context) -> int:
    db = ctx.open()
    try:
        row = users.remove_user(db, ctx.args.login, actor_of(ctx))
    finally:
        db.close()
    text = ctx.tr._("{login} can no longer work in this database.").format(login=row.login)
    ctx.emit(row.as_json(), text)
    return EXIT_OK


def add_commands(command: Callable[[str, str], argparse.ArgumentParser], *_: Any) -> None:
    """Add ``kvds users list|add|change|remove``."""
    group = command("users", "who may work in a shared database, with role and municipality")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = json_option(actions.add_parser("list", help="every user"))
    listing.set_defaults(run=_list)
    add = json_option(actions.add_parser("add", help="let a server user in"))
    add.add_argument("login", metavar="LOGIN", help="the user name on the server")
    add.add_argument("--role", required=True, metavar="ROLE", help=ROLES)
    add.add_argument("--municipality", metavar="NAME", help="default: all municipalities")
    add.add_argument("--name", metavar="TEXT", help="the name people know them by")
    add.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    add.set_defaults(run=_add)
    change = json_option(actions.add_parser("change", help="change a user's role or place"))
    change.add_argument("login", metavar="LOGIN")
    change.add_argument("--role", metavar="ROLE", help=ROLES)
    place = change.add_mutually_exclusive_group()
    place.add_argument("--municipality", metavar="NAME")
    place.add_argument("--all-municipalities", action="store_true")
    change.add_argument("--name", metavar="TEXT")
    change.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    change.set_defaults(run=_change)
    remove = json_option(actions.add_parser("remove", help="stop a user working here"))
    remove.add_argument("login", metavar="LOGIN")
    remove.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    remove.set_defaults(run=_remove)
