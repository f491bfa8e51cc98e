"""The real app in emulator mode (no LINE credentials): the rich menus are there from the start, "ทำให้เป็นผู้ดูแล"
makes a simulated user an admin (and only in emulator mode), simulated users survive a restart, and
`manage.py richmenu deploy` reaches the running app at its own HOST:PORT."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import manage
from services import richmenu, staff
from services.errors import PermissionDenied
from tests.browser.support import serve
from tests.conftest import _wipe


@contextmanager
def emulated_app(database_url: str, instance: str, port: int = 5999, **extra: Any) -> Iterator[Any]:
    """`python app.py` without LINE credentials, as create_app builds it (no server unless the test serves it)."""
    from app import create_app

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": instance, "HOST": "127.0.0.1", "PORT": port,
                      "RUN_WORKERS": False, "RUN_SCHEDULER": False, "MIGRATE": False, "SECRET_KEY": "emulated",
                      "TESTING": True, **extra})
    try:
        yield app
    finally:
        rt = app.extensions["kk"]
        rt.stop()
        rt.db.dispose()


@pytest.fixture
def fresh(database_url, tmp_path):
    _wipe(database_url)
    return database_url, str(tmp_path / "instance")


def _menus_by_name(store) -> dict[str, str]:
    return {m["name"]: menu_id for menu_id, m in store.rich_menus().items()}


def test_rich_menus_are_deployed_at_start(fresh):
    with emulated_app(*fresh) as app:
        store = app.extensions["kk"].emulator
        menus = _menus_by_name(store)
        assert set(menus) == {richmenu.CITIZEN_MENU_NAME, richmenu.STAFF_MENU_NAME}
        assert store.default_rich_menu_id == menus[richmenu.CITIZEN_MENU_NAME]
        assert all(store.rich_menu_image(menu_id) for menu_id in menus.values())
        assert [r for r in store.requests("/v2/bot/*") if r.status >= 400] == []


def test_make_admin_in_the_simulator_makes_an_admin_who_survives_a_restart(fresh):
    with emulated_app(*fresh) as app:
        client = app.test_client()
        user_id = client.post("/simulator/api/users", json={"displayName": "สมหญิง ผู้ทดลอง"}).get_json()["user"]["userId"]
        answer = client.post(f"/simulator/api/users/{user_id}/make-admin")
        assert answer.status_code == 200, answer.get_json()
        assert "เป็นผู้ดูแลระบบแล้ว" in answer.get_json()["message"]
        rt = app.extensions["kk"]
        with rt.db.transaction() as session:
            assert staff.role_of(session, user_id) == "admin"
            member = next(m for m in staff.list_staff(session) if m.line_user_id == user_id)
            assert (member.label, member.granted_by) == ("สมหญิง ผู้ทดลอง", "simulator")
    with emulated_app(*fresh) as app:  # a restart: same instance folder, same database
        client = app.test_client()
        users = client.get("/simulator/api/users").get_json()["users"]
        assert [(u["userId"], u["displayName"], u["role"]) for u in users] == [(user_id, "สมหญิง ผู้ทดลอง", "admin")]
        store = app.extensions["kk"].emulator
        # The staff menu deployed at this start is linked to the admin made before it.
        assert store.user_rich_menu(user_id) == _menus_by_name(store)[richmenu.STAFF_MENU_NAME]


def test_make_admin_is_refused_outside_emulator_mode(app, client, rt, clock):
    # Connected to LINE, the simulator is not there at all...
    assert client.post("/simulator/api/users/U" + "1" * 32 + "/make-admin").status_code == 404
    assert client.get("/simulator").status_code == 404
    # ...and the rule refuses on its own too.
    with rt.db.transaction() as session:
        with pytest.raises(PermissionDenied):
            staff.grant_simulated_admin(session, "U" + "1" * 32, clock(), emulated=False)
        assert staff.role_of(session, "U" + "1" * 32) is None


def test_staff_made_in_the_simulator_get_the_staff_menu_at_once(fresh):
    site = serve()
    try:
        with emulated_app(*fresh, port=site.server.server_port, RUN_WORKERS=True) as app:
            site.server.app = app
            client = app.test_client()
            user_id = client.post("/simulator/api/users", json={"displayName": "สมชาย"}).get_json()["user"]["userId"]
            store = app.extensions["kk"].emulator
            assert store.effective_rich_menu(user_id) == store.default_rich_menu_id
            assert client.post(f"/simulator/api/users/{user_id}/make-admin").status_code == 200
            staff_menu = _menus_by_name(store)[richmenu.STAFF_MENU_NAME]
            deadline = time.monotonic() + 10
            while store.user_rich_menu(user_id) != staff_menu and time.monotonic() < deadline:
                time.sleep(0.05)
            assert store.user_rich_menu(user_id) == staff_menu
    finally:
        site.stop()


def test_manage_richmenu_deploy_talks_to_the_app_at_its_own_host_and_port(fresh, capsys):
    database_url, instance = fresh
    site = serve()
    port = site.server.server_port
    try:
        with emulated_app(database_url, instance, port=port) as app:
            site.server.app = app
            store = app.extensions["kk"].emulator
            at_start = set(store.rich_menus())
            config = {"DATABASE_URL": database_url, "INSTANCE_PATH": instance, "HOST": "127.0.0.1", "PORT": port,
                      "MIGRATE": False, "SECRET_KEY": "emulated"}
            assert manage.main(["richmenu", "deploy"], config=config) == 0
            assert "ตั้งเป็นเมนูเริ่มต้นแล้ว" in capsys.readouterr().out
            menus = _menus_by_name(store)
            assert set(menus) == {richmenu.CITIZEN_MENU_NAME, richmenu.STAFF_MENU_NAME}
            assert not set(menus.values()) & at_start  # replaced in the running app's emulator
            assert store.default_rich_menu_id == menus[richmenu.CITIZEN_MENU_NAME]
    finally:
        site.stop()
    # Nothing listening at that address: one clear line that names it.
    assert manage.main(["richmenu", "deploy"], config={**config, "LINE_TIMEOUT_SECONDS": 1.0}) == 1
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}" in out and "python app.py" in out
