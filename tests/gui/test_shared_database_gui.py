"""The window on a shared PostgreSQL database: connect, remember, and what it leaves to IT."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy.engine import make_url

from kvds_desktop.store.location import shown
from tests.gui.conftest import Harness


def test_connect_to_a_shared_database_and_open_it_next_time(
    make_harness: Callable[..., Harness], pg_url: str
) -> None:
    h = make_harness("en")
    h.dialogs.texts.append(pg_url)
    h.window.act_connect.trigger()
    assert h.dialogs.errors == []
    db = h.controller.db
    assert db is not None and db.is_server
    # the first person on a new server becomes its coordinator, and the window says so
    assert h.window.database_label.text() == (
        f"Shared database: {shown(make_url(pg_url))} · kvds, coordinator, all municipalities"
    )
    # files-only work is not offered: IT backs the server up
    assert not h.window.act_backup.isEnabled()
    assert not h.window.act_encrypt.isEnabled()
    assert h.window.act_refresh.isEnabled()
    saved = json.loads(h.paths.settings_file.read_text(encoding="utf-8"))
    assert saved["database"] == pg_url
    assert "password" not in saved["database"]
    h.controller.close_database()

    again = make_harness("en")
    again.controller.start()
    assert again.controller.db is not None and again.controller.db.is_server
    assert again.dialogs.errors == []


def test_a_wrong_address_is_explained_and_the_open_database_stays(
    make_harness: Callable[..., Harness],
) -> None:
    h = make_harness("nl")
    h.dialogs.texts.append("mysql://anna@server/kvds")
    h.window.act_connect.trigger()
    assert h.controller.db is None
    title, text = h.dialogs.errors[-1]
    assert title == "De database kan niet worden geopend"
    assert "postgresql+psycopg://" in text and "Traceback" not in text


def test_a_server_that_does_not_answer_is_explained(
    make_harness: Callable[..., Harness], pg_url: str
) -> None:
    h = make_harness("en")
    dead = make_url(pg_url).set(port=1).render_as_string(hide_password=False)
    h.dialogs.texts.append(dead)
    h.window.act_connect.trigger()
    assert h.controller.db is None
    _title, text = h.dialogs.errors[-1]
    assert "cannot be reached" in text and "127.0.0.1:1" in text
    saved = h.paths.settings_file
    assert not saved.exists() or "127.0.0.1:1" not in saved.read_text(encoding="utf-8")


def test_backup_on_a_shared_database_says_it_is_done_on_the_server(
    make_harness: Callable[..., Harness], pg_url: str
) -> None:
    h = make_harness("en")
    assert h.controller.open_database(pg_url)
    h.controller.make_backup()
    _title, text = h.dialogs.infos[-1]
    assert "IT backs it up" in text
