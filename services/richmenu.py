"""The account's rich menus: the citizens' default one and the staff variant (linked per staff member).

`deploy` creates a menu through the Messaging API, uploads its picture, makes the citizens' one the default and
removes older copies with the same name. `sync_staff_links` links the staff variant to every active staff
member and unlinks those whose rights were revoked (run by the scheduler and by `manage.py richmenu link-staff`).
`line` is bot.line_client.LineClient (or anything with the same rich menu methods).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from flex_templates.richmenu import Area, Cell, message, render_image, rich_menu_object
from models.citizens import StaffMenuLink
from models.platform import StaffMember
from texts import citizens as citizens_texts
from texts import market as market_texts
from texts import platform as platform_texts
from texts import projects as projects_texts
from texts import surveys as surveys_texts
from texts import trainings as trainings_texts

log = logging.getLogger(__name__)

CITIZEN_MENU_NAME = "kk-citizen-v1"
STAFF_MENU_NAME = "kk-staff-v1"

GREEN, BLUE, ORANGE, TEAL, PURPLE, SLATE, RED = ("#059669", "#2563EB", "#EA580C", "#0D9488", "#7C3AED",
                                                 "#475569", "#DC2626")


def _area(copy: tuple[str, str], icon: str, color: str, word: str) -> Area:
    return Area(copy[0], copy[1], icon, color, message(word))


def citizen_cells() -> tuple[Cell, ...]:
    """The six cells every follower sees; each sends a word that works just as well typed."""
    return (
        Cell((_area(citizens_texts.MENU_NEWS, "news", GREEN, projects_texts.WORD_PROJECTS),)),
        Cell((_area(citizens_texts.MENU_TRAINING, "training", BLUE, trainings_texts.WORD_TRAININGS),)),
        Cell((_area(citizens_texts.MENU_MARKET, "market", ORANGE, market_texts.WORD_CATALOG),)),
        Cell((_area(citizens_texts.MENU_SHARE, "share", TEAL, citizens_texts.WORD_SHARE_EARN),)),
        Cell((_area(citizens_texts.MENU_SURVEY, "survey", PURPLE, surveys_texts.WORD_SURVEYS),)),
        Cell((_area(citizens_texts.MENU_MY_DATA, "person", SLATE, citizens_texts.WORD_MY_DATA),
              _area(citizens_texts.MENU_HELP, "help", GREEN, platform_texts.WORD_HELP))),
    )


def staff_cells() -> tuple[Cell, ...]:
    """The staff variant: the citizens' menu with the announcement flow and the console sign-in."""
    cells = list(citizen_cells())
    cells[3] = Cell((_area(citizens_texts.MENU_ANNOUNCE, "news", RED, projects_texts.WORD_ANNOUNCE),))
    cells[5] = Cell((_area(citizens_texts.MENU_MY_DATA, "person", SLATE, citizens_texts.WORD_MY_DATA),
                     _area(citizens_texts.MENU_CONSOLE, "staff", RED, platform_texts.WORD_STAFF_LOGIN)))
    return tuple(cells)


@dataclass(frozen=True)
class MenuSpec:
    name: str
    chat_bar_text: str
    cells: tuple[Cell, ...]

    def request(self) -> dict:
        return rich_menu_object(self.name, self.chat_bar_text, self.cells)

    def image(self) -> bytes:
        """The menu's picture; drawn once per process (about 0.3 s each, and every emulator start deploys both)."""
        key = json.dumps(self.request(), sort_keys=True, ensure_ascii=False)
        with _IMAGES_LOCK:
            found = _IMAGES.get(key)
        if found is None:
            found = render_image(self.cells)
            with _IMAGES_LOCK:
                _IMAGES[key] = found
        return found


_IMAGES: dict[str, bytes] = {}
_IMAGES_LOCK = threading.Lock()


def menus() -> dict[str, MenuSpec]:
    return {
        "citizen": MenuSpec(CITIZEN_MENU_NAME, citizens_texts.MENU_CHAT_BAR, citizen_cells()),
        "staff": MenuSpec(STAFF_MENU_NAME, citizens_texts.MENU_CHAT_BAR_STAFF, staff_cells()),
    }


def image_type(data: bytes) -> str:
    return "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"


def deploy(line: Any, variant: str) -> str:
    """Creates the menu, uploads its picture, sets the citizens' one as default; returns the new menu id."""
    spec = menus()[variant]
    old = [m["richMenuId"] for m in line.list_rich_menus() if m.get("name") == spec.name]
    image = spec.image()
    menu_id = line.create_rich_menu(spec.request())
    line.upload_rich_menu_image(menu_id, image, image_type(image))
    if variant == "citizen":
        line.set_default_rich_menu(menu_id)
    for stale in old:
        # Replaced copies: the default (or each staff link) already points at the new one.
        try:
            line.delete_rich_menu(stale)
        except Exception:  # noqa: BLE001 - a leftover menu is harmless; never fail the deploy for it
            log.warning("could not delete old rich menu %s", stale)
    return menu_id


def deploy_all(line: Any, variants: tuple[str, ...] = ("citizen", "staff")) -> dict[str, str]:
    """Deploys each variant (the citizens' one becomes the default); returns variant -> new menu id. Link the staff
    menu afterwards with `sync_staff_links(..., menu_id=ids["staff"], force=True)`."""
    return {variant: deploy(line, variant) for variant in variants}


def current_menu_id(line: Any, variant: str) -> str | None:
    """The id of the deployed menu of a variant (the newest with its name), or None."""
    name = menus()[variant].name
    found = [m["richMenuId"] for m in line.list_rich_menus() if m.get("name") == name]
    return found[-1] if found else None


def sync_staff_links(db: Any, line: Any, now: datetime, admin_ids: tuple[str, ...] = (),
                     menu_id: str | None = None, force: bool = False) -> dict[str, int]:
    """Links the staff menu to active staff who lack it and unlinks revoked staff. Running twice does nothing
    the second time. `force` relinks everyone (after a new staff menu was deployed).

    `db` is the app's Database: who needs what is read in one short transaction, LINE is called with none open
    (on SQLite a transaction holds the one writer lock for as long as LINE takes), and what LINE did is recorded
    in a second one. A change of rights in between is picked up by the next run."""
    with db.transaction() as session:
        active = set(session.scalars(select(StaffMember.line_user_id).where(StaffMember.active.is_(True))))
        active |= set(admin_ids)
        links = {row.line_user_id: row.rich_menu_id for row in session.scalars(select(StaffMenuLink))}
    to_unlink = [uid for uid in links if uid not in active]
    to_link = [uid for uid in sorted(active) if force or uid not in links or
               (menu_id is not None and links[uid] != menu_id)]
    if not to_link and not to_unlink:
        return {"linked": 0, "unlinked": 0}
    for uid in to_unlink:
        try:
            line.unlink_rich_menu(uid)
        except Exception:  # noqa: BLE001 - already unlinked or blocked: forget the link either way
            log.warning("could not unlink the staff rich menu for one former staff member")
    linked: list[str] = []
    if to_link:
        menu_id = menu_id or current_menu_id(line, "staff")
        for uid in to_link if menu_id is not None else ():  # no staff menu deployed yet: nothing to link
            try:
                line.link_rich_menu(uid, menu_id)
            except Exception:  # noqa: BLE001 - e.g. the person blocked the account; the next scan tries again
                log.warning("could not link the staff rich menu for one staff member")
                continue
            linked.append(uid)
    with db.transaction() as session:
        if to_unlink:
            session.execute(delete(StaffMenuLink).where(StaffMenuLink.line_user_id.in_(to_unlink)))
        rows = {row.line_user_id: row for row in session.scalars(
            select(StaffMenuLink).where(StaffMenuLink.line_user_id.in_(linked)))} if linked else {}
        for uid in linked:
            row = rows.get(uid)
            if row is None:
                session.add(StaffMenuLink(line_user_id=uid, rich_menu_id=menu_id, linked_at=now))
            else:
                row.rich_menu_id, row.linked_at = menu_id, now
    return {"linked": len(linked), "unlinked": len(to_unlink)}
