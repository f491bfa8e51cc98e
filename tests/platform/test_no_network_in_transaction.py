"""LINE is never called while a database transaction is open: a photo is fetched before the event's transaction, and
the staff rich-menu links are read, made at LINE, then recorded in separate transactions."""

from __future__ import annotations

import contextlib
import io
import threading

from PIL import Image

from services import richmenu, staff

_open = threading.local()


def _watch_transactions(monkeypatch, rt) -> list[str]:
    """Records each LINE call made while this thread has a transaction open."""
    calls_inside: list[str] = []
    real = rt.db.transaction

    @contextlib.contextmanager
    def transaction():
        _open.depth = getattr(_open, "depth", 0) + 1
        try:
            with real() as session:
                yield session
        finally:
            _open.depth -= 1

    monkeypatch.setattr(rt.db, "transaction", transaction)
    for line in {id(rt.line): rt.line, id(rt.worker.line): rt.worker.line}.values():
        for name in ("get_message_content", "link_rich_menu", "unlink_rich_menu", "list_rich_menus",
                     "create_rich_menu"):
            original = getattr(line, name)

            def spy(*args, _original=original, _name=name, **kwargs):
                if getattr(_open, "depth", 0):
                    calls_inside.append(_name)
                return _original(*args, **kwargs)

            monkeypatch.setattr(line, name, spy)
    return calls_inside


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_is_fetched_before_the_events_transaction(monkeypatch, rt, chat):
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.says("ติดต่อเจ้าหน้าที่")
    calls_inside = _watch_transactions(monkeypatch, rt)
    somsri.sends_image(_jpeg())
    assert calls_inside == []
    from models.support import SupportMessage
    with rt.db.transaction() as session:
        assert session.query(SupportMessage).filter(SupportMessage.image_id.is_not(None)).count() == 1


def test_staff_menu_links_are_made_with_no_transaction_open(monkeypatch, rt, line, clock):
    richmenu.deploy_all(rt.line)
    uid = line.add_user("เจ้าหน้าที่ใหม่")["userId"]
    with rt.db.transaction() as session:
        staff.grant(session, "U" + "a" * 32, uid, clock(), admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
    calls_inside = _watch_transactions(monkeypatch, rt)
    assert richmenu.sync_staff_links(rt.db, rt.line, clock(), rt.settings.ADMIN_LINE_USER_IDS)["linked"] >= 1
    assert calls_inside == []
    assert richmenu.sync_staff_links(rt.db, rt.line, clock(), rt.settings.ADMIN_LINE_USER_IDS) == {
        "linked": 0, "unlinked": 0}
