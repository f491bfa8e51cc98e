"""Share-and-earn rules: members and their payout ID, personal links, counting clicks, codes brought into chat,
attribution of an order to the last one, and flags for clicks no orders explain.

A member is "active" only while all three hold: a Sharer row that has not left, has not been erased, and the person's
share_earn opt-in (services/consent.py). Withdrawing the opt-in from "ข้อมูลของฉัน" therefore stops a member's links
from earning at once, without this module being told.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.market import Product
from models.platform import Citizen
from models.referrals import ReferralClick, ReferralFlag, ReferralLink, ReferralTouch, Sharer
from services import catalog, consent, products, promptpay
from services.errors import DomainError, NotFound, PermissionDenied
from texts import referrals as referrals_texts

# Codes people may read aloud or retype: no 0/O or 1/I look-alikes.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_CODE_SHAPE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
CLICK_GAP = timedelta(hours=1)  # one counted click per visitor per hour (Dub's rule)
MAX_LINKS_SHOWN = 10  # "ลิงก์ของฉัน": a carousel holds 12 bubbles; keep it light on old phones


# ---- members ---------------------------------------------------------------------------------------------------------
def _sharer_row(session: Session, line_user_id: str | None) -> Sharer | None:
    if not line_user_id:
        return None
    return session.scalars(select(Sharer).where(Sharer.line_user_id == line_user_id)).one_or_none()


def _active(session: Session, sharer: Sharer | None) -> bool:
    return bool(sharer is not None and sharer.left_at is None and sharer.erased_at is None and sharer.line_user_id
                and consent.has_opt_in(session, sharer.line_user_id, consent.SHARE_EARN))


def get_sharer(session: Session, line_user_id: str | None) -> Sharer | None:
    """The person's membership if it is active now (not left, not erased, share_earn opt-in given), else None."""
    sharer = _sharer_row(session, line_user_id)
    return sharer if _active(session, sharer) else None


def join(session: Session, line_user_id: str, promptpay_id: str, now: datetime) -> Sharer:
    """Makes the person an active member with this payout ID (rejoining clears left_at); needs the opt-in first."""
    if not consent.has_opt_in(session, line_user_id, consent.SHARE_EARN):
        raise DomainError(referrals_texts.NEED_OPT_IN, code="share_earn_opt_in_required")
    cleaned = promptpay.clean_promptpay_id(promptpay_id)
    sharer = _sharer_row(session, line_user_id)
    if sharer is None:
        sharer = Sharer(line_user_id=line_user_id, joined_at=now)
        session.add(sharer)
    sharer.promptpay_id, sharer.left_at = cleaned, None
    session.flush()
    return sharer


def set_promptpay(session: Session, line_user_id: str, promptpay_id: str, now: datetime) -> Sharer:
    """Changes an active member's payout ID."""
    sharer = get_sharer(session, line_user_id)
    if sharer is None:
        raise NotFound(referrals_texts.NOT_MEMBER, code="not_a_sharer")
    sharer.promptpay_id = promptpay.clean_promptpay_id(promptpay_id)
    session.flush()
    return sharer


def leave(session: Session, line_user_id: str, now: datetime) -> bool:
    """Leaves the programme: the opt-in is withdrawn and the links earn nothing from now on. False if not a member."""
    sharer = _sharer_row(session, line_user_id)
    consent.withdraw(session, line_user_id, consent.SHARE_EARN, now)
    if sharer is None or sharer.left_at is not None:
        return False
    sharer.left_at = now
    session.flush()
    return True


# ---- links -----------------------------------------------------------------------------------------------------------
def new_code() -> str:
    """Eight random letters and digits from CODE_ALPHABET."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str | None) -> str | None:
    """The code in its stored shape, or None when it cannot be one of ours."""
    value = (code or "").strip().upper()
    return value if _CODE_SHAPE.fullmatch(value) else None


def link_for(session: Session, sharer: Sharer, product: Product, now: datetime) -> ReferralLink:
    """The sharer's one personal link to the product, made on first use."""
    def existing() -> ReferralLink | None:
        return session.scalars(select(ReferralLink).where(ReferralLink.sharer_id == sharer.id,
                                                          ReferralLink.product_id == product.id)).one_or_none()

    link = existing()
    if link is not None:
        return link
    code = new_code()
    # 32^8 codes: a clash is all but impossible, but checking costs one indexed read.
    while session.scalar(select(ReferralLink.id).where(ReferralLink.code == code)) is not None:
        code = new_code()
    try:
        with session.begin_nested():
            link = ReferralLink(code=code, sharer_id=sharer.id, product_id=product.id, created_at=now)
            session.add(link)
    except IntegrityError:  # a double tap made the same link a moment ago (unique sharer + product)
        link = existing()
        if link is None:
            raise
    return link


def link_by_code(session: Session, code: str | None) -> ReferralLink | None:
    """The link with this code (any state), or None."""
    value = normalise_code(code)
    if value is None:
        return None
    return session.scalars(select(ReferralLink).where(ReferralLink.code == value)).one_or_none()


def earning_link(session: Session, code: str | None, product_id: int | None = None) -> ReferralLink | None:
    """The link with this code if it earns now: enabled, its sharer active, and (if given) for this product."""
    link = link_by_code(session, code)
    if link is None or link.disabled_at is not None or (product_id is not None and link.product_id != product_id):
        return None
    return link if _active(session, session.get(Sharer, link.sharer_id)) else None


def disable_link(session: Session, link: ReferralLink, reason: str, now: datetime) -> None:
    """Stops a link from earning; it still lands on the product."""
    if link.disabled_at is None:
        link.disabled_at, link.disabled_reason = now, reason[:200]
        session.flush()


# ---- clicks ----------------------------------------------------------------------------------------------------------
# Link previews and crawlers fetch /r/<code> without a person behind them (LINE's own preview fetcher included).
_BOT_UA = re.compile(
    r"facebookexternalhit|facebookcatalog|meta-externalagent|linespider|line-poker|\bline/[\d.]+ \(preview\)|"
    r"twitterbot|slackbot|slack-imgproxy|discordbot|telegrambot|whatsapp|googlebot|google-inspectiontool|"
    r"adsbot|mediapartners|bingbot|bingpreview|yandex|baiduspider|duckduckbot|applebot|petalbot|skypeuripreview|"
    r"embedly|pinterest|linkedinbot|redditbot|headless|python-requests|curl/|wget/|httpclient|okhttp|"
    # Generic: "...Bot/2.0", "(compatible; SomeBot;", a bare "bot"; but not phone models such as "Cubot P30".
    r"(?<!cu)bot(?:[/;)+_-]|\b)|crawl|spider|preview|scraper|fetcher", re.I)


def is_bot(user_agent: str | None) -> bool:
    """Whether a user agent is a link-preview fetcher, crawler or script (an empty one counts as a bot)."""
    value = (user_agent or "").strip()
    return not value or _BOT_UA.search(value) is not None


def visitor_key(secret: str, address: str | None, user_agent: str | None) -> str:
    """A keyed hash of the visitor's address and user agent: the address itself is never stored (PDPA)."""
    message = f"{address or ''}\n{user_agent or ''}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def record_click(session: Session, link: ReferralLink, visitor: str, now: datetime) -> bool:
    """Counts a click on an enabled link unless this visitor's last counted one is under an hour old."""
    if link.disabled_at is not None:
        return False
    recent = session.scalar(select(ReferralClick.id).where(
        ReferralClick.link_id == link.id, ReferralClick.visitor == visitor,
        ReferralClick.clicked_at > now - CLICK_GAP).limit(1))
    if recent is not None:
        return False
    session.add(ReferralClick(link_id=link.id, visitor=visitor, clicked_at=now))
    session.flush()
    return True


# ---- touches and attribution -----------------------------------------------------------------------------------------
def record_touch(session: Session, buyer_line_user_id: str | None, code: str | None, product_id: int,
                 now: datetime) -> ReferralTouch | None:
    """Notes that a buyer brought an earning code for this product into chat; None for any code that does not earn."""
    if not buyer_line_user_id:
        return None
    link = earning_link(session, code, product_id)
    if link is None:
        return None
    touch = ReferralTouch(link_id=link.id, buyer_line_user_id=buyer_line_user_id, product_id=product_id,
                          touched_at=now)
    session.add(touch)
    session.flush()
    return touch


def attribute(session: Session, buyer_line_user_id: str | None, product_id: int, now: datetime,
              window_days: int) -> ReferralTouch | None:
    """The buyer's last unused touch for the product within the window whose link is enabled and whose sharer is
    active; the caller marks it used (touch.order_id) so only the first order per click counts."""
    if not buyer_line_user_id:
        return None
    row = session.execute(
        select(ReferralTouch, Sharer).join(ReferralLink, ReferralLink.id == ReferralTouch.link_id)
        .join(Sharer, Sharer.id == ReferralLink.sharer_id)
        .where(ReferralTouch.buyer_line_user_id == buyer_line_user_id, ReferralTouch.product_id == product_id,
               ReferralTouch.touched_at >= now - timedelta(days=window_days), ReferralTouch.touched_at <= now,
               ReferralTouch.order_id.is_(None), ReferralLink.disabled_at.is_(None),
               Sharer.left_at.is_(None), Sharer.erased_at.is_(None))
        .order_by(ReferralTouch.touched_at.desc(), ReferralTouch.id.desc()).limit(1)).first()
    if row is None or not _active(session, row[1]):
        return None
    return row[0]


# ---- reading links -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkStats:
    link: ReferralLink
    product: Product
    clicks: int
    orders: int


def links_for_sharer(session: Session, sharer_id: int, limit: int | None = MAX_LINKS_SHOWN) -> list[LinkStats]:
    """The sharer's links, newest first, with counted clicks and attributed orders."""
    stmt = (select(ReferralLink, Product).join(Product, Product.id == ReferralLink.product_id)
            .where(ReferralLink.sharer_id == sharer_id).order_by(ReferralLink.created_at.desc(),
                                                                 ReferralLink.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    ids = [link.id for link, _ in rows]
    clicks = click_counts(session, ids)
    orders = order_counts(session, ids)
    return [LinkStats(link, product, clicks.get(link.id, 0), orders.get(link.id, 0)) for link, product in rows]


def click_counts(session: Session, link_ids: list[int], since: datetime | None = None) -> dict[int, int]:
    """Counted clicks per link id (optionally only those at or after `since`); links without any are left out."""
    if not link_ids:
        return {}
    stmt = select(ReferralClick.link_id, func.count()).where(ReferralClick.link_id.in_(link_ids))
    if since is not None:
        stmt = stmt.where(ReferralClick.clicked_at >= since)
    return dict(session.execute(stmt.group_by(ReferralClick.link_id)).tuples().all())


def order_counts(session: Session, link_ids: list[int]) -> dict[int, int]:
    """Orders attributed per link id (touches used by an order)."""
    if not link_ids:
        return {}
    stmt = (select(ReferralTouch.link_id, func.count()).where(ReferralTouch.link_id.in_(link_ids),
                                                              ReferralTouch.order_id.is_not(None))
            .group_by(ReferralTouch.link_id))
    return dict(session.execute(stmt).tuples().all())


# ---- fraud flags -------------------------------------------------------------------------------------------------------
# Flag when a sharer's counted clicks over the last FLAG_WINDOW reach FLAG_MIN_CLICKS and exceed FLAG_CLICKS_PER_ORDER
# per (attributed orders + 1). Typical shop conversion is 1-3 %, i.e. 30-100 clicks per order; 300 clicks with no
# order, or 1,000 with 9, is far beyond what sharing among friends produces, while a busy honest sharer is not flagged.
FLAG_WINDOW = timedelta(days=7)
FLAG_MIN_CLICKS = 300
FLAG_CLICKS_PER_ORDER = 100


def _clicks_by_sharer(session: Session, since: datetime, now: datetime, sharer_ids: list[int] | None = None,
                      minimum: int = FLAG_MIN_CLICKS) -> dict[int, int]:
    stmt = (select(ReferralLink.sharer_id, func.count()).join(ReferralClick, ReferralClick.link_id == ReferralLink.id)
            .where(ReferralClick.clicked_at >= since, ReferralClick.clicked_at <= now))
    if sharer_ids is not None:
        stmt = stmt.where(ReferralLink.sharer_id.in_(sharer_ids))
    return dict(session.execute(stmt.group_by(ReferralLink.sharer_id).having(func.count() >= minimum)).tuples().all())


def scan_click_fraud(session: Session, now: datetime) -> int:
    """Opens a "clicks" flag for each sharer whose recent clicks their orders do not explain; at most one open flag
    per sharer, so running it again adds nothing. Clicks staff already judged (before their last decision on a flag
    of the sharer) are not counted again. Returns the number of flags opened."""
    since = now - FLAG_WINDOW
    clicks = _clicks_by_sharer(session, since, now)
    if not clicks:
        return 0
    flags = session.execute(select(ReferralFlag.sharer_id, ReferralFlag.status, ReferralFlag.decided_at).where(
        ReferralFlag.sharer_id.in_(list(clicks)), ReferralFlag.kind == "clicks")).all()
    already = {row.sharer_id for row in flags if row.status == "open"}
    judged: dict[int, datetime] = {}
    for row in flags:
        if row.decided_at is not None and row.decided_at > since:
            judged[row.sharer_id] = max(row.decided_at, judged.get(row.sharer_id, row.decided_at))
    for sharer_id, decided_at in judged.items():
        after = decided_at + timedelta(microseconds=1)  # clicks at the very moment of the decision were judged
        clicks[sharer_id] = _clicks_by_sharer(session, after, now, [sharer_id], minimum=0).get(sharer_id, 0)
    orders = dict(session.execute(
        select(ReferralLink.sharer_id, func.count()).join(ReferralTouch, ReferralTouch.link_id == ReferralLink.id)
        .where(ReferralLink.sharer_id.in_(list(clicks)), ReferralTouch.order_id.is_not(None),
               ReferralTouch.touched_at >= since)
        .group_by(ReferralLink.sharer_id)).tuples().all())
    opened = 0
    for sharer_id, count in sorted(clicks.items()):
        attributed = orders.get(sharer_id, 0)
        if sharer_id in already or count < FLAG_MIN_CLICKS or count <= FLAG_CLICKS_PER_ORDER * (attributed + 1):
            continue
        session.add(ReferralFlag(sharer_id=sharer_id, kind="clicks", status="open", created_at=now, detail={
            "clicks": count, "orders": attributed, "since": judged.get(sharer_id, since).isoformat(),
            "until": now.isoformat(), "min_clicks": FLAG_MIN_CLICKS, "clicks_per_order": FLAG_CLICKS_PER_ORDER}))
        opened += 1
    session.flush()
    return opened


def open_flags(session: Session) -> list[ReferralFlag]:
    """Flags waiting for staff, oldest first."""
    return list(session.scalars(select(ReferralFlag).where(ReferralFlag.status == "open")
                                .order_by(ReferralFlag.created_at, ReferralFlag.id)))


def decide_flag(session: Session, flag_id: int, staff_line_user_id: str, confirm: bool,
                now: datetime) -> ReferralFlag:
    """Staff confirm a flag (the sharer's links stop earning, with the reason) or dismiss it."""
    flag = session.get(ReferralFlag, flag_id)
    if flag is None:
        raise NotFound(referrals_texts.FLAG_NOT_FOUND, code="flag_not_found")
    if flag.status != "open":
        raise DomainError(referrals_texts.FLAG_DECIDED, code="flag_decided")
    flag.status = "confirmed" if confirm else "dismissed"
    flag.decided_by, flag.decided_at = staff_line_user_id, now
    if confirm:
        session.execute(update(ReferralLink).where(ReferralLink.sharer_id == flag.sharer_id,
                                                   ReferralLink.disabled_at.is_(None))
                        .values(disabled_at=now, disabled_reason=referrals_texts.DISABLED_FRAUD[:200]))
    session.flush()
    return flag


# ---- PDPA: "ข้อมูลของฉัน" ---------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The person's membership (PromptPay ID), links with their counts, and referral codes they brought as a buyer."""
    sharer = _sharer_row(session, citizen.line_user_id)
    data: dict = {"share_earn": None, "referral_touches": []}
    if sharer is not None:
        data["share_earn"] = {
            "promptpay_id": sharer.promptpay_id, "joined_at": sharer.joined_at.isoformat(),
            "left_at": sharer.left_at.isoformat() if sharer.left_at else None,
            "links": [{"code": s.link.code, "product_id": s.product.id, "product": s.product.name,
                       "created_at": s.link.created_at.isoformat(), "clicks": s.clicks, "orders": s.orders,
                       "disabled": s.link.disabled_at is not None}
                      for s in links_for_sharer(session, sharer.id, limit=None)],
        }
    touches = session.scalars(select(ReferralTouch).where(ReferralTouch.buyer_line_user_id == citizen.line_user_id)
                              .order_by(ReferralTouch.touched_at, ReferralTouch.id))
    data["referral_touches"] = [{"product_id": t.product_id, "at": t.touched_at.isoformat(), "order_id": t.order_id}
                                for t in touches]
    return data


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Forgets who the sharer and the buyer were; links, clicks and touches stay as anonymous counts."""
    sharer = _sharer_row(session, citizen.line_user_id)
    if sharer is not None:
        sharer.line_user_id, sharer.promptpay_id = None, None
        sharer.erased_at = now
        if sharer.left_at is None:
            sharer.left_at = now
        session.execute(update(ReferralLink).where(ReferralLink.sharer_id == sharer.id,
                                                   ReferralLink.disabled_at.is_(None))
                        .values(disabled_at=now, disabled_reason=referrals_texts.DISABLED_ERASED[:200]))
    session.execute(update(ReferralTouch).where(ReferralTouch.buyer_line_user_id == citizen.line_user_id)
                    .values(buyer_line_user_id=None))
    session.flush()


# ---- sharing ---------------------------------------------------------------------------------------------------------
LINE_URI_MAX = 1000  # LINE's limit for a URI action


def link_url(base_url: str, code: str) -> str:
    """The personal link people share: PUBLIC_BASE_URL/r/<code>."""
    return f"{base_url.rstrip('/')}/r/{code}"


def qr_url(base_url: str, code: str) -> str:
    """The QR image of the personal link (served by web/public_referrals.py)."""
    return f"{link_url(base_url, code)}/qr.png"


def share_message(product_name: str, price: str, url: str) -> str:
    """The ready-made message a member sends friends."""
    return referrals_texts.SHARE_MESSAGE.format(name=" ".join(product_name.split()), price=price, url=url)


def line_share_url(message: str, url: str) -> str:
    """LINE's share picker with the message typed in; with only the link when the whole message would not fit."""
    full = "https://line.me/R/share?text=" + quote(message, safe="")
    return full if len(full) <= LINE_URI_MAX else "https://line.me/R/share?text=" + quote(url, safe="")


def personal_link(session: Session, line_user_id: str | None, product_id: int, now: datetime,
                  default_percent: int) -> ReferralLink:
    """The member's link to a listed product in the programme (made on first use); a polite DomainError otherwise."""
    sharer = get_sharer(session, line_user_id)
    if sharer is None:
        raise PermissionDenied(referrals_texts.SHARE_NOT_MEMBER, code="not_a_sharer")
    product = session.get(Product, product_id) if 0 < product_id < 2**31 else None
    if product is None or not catalog.is_listed(product, now):
        raise NotFound(referrals_texts.PRODUCT_GONE, code="product_unavailable")
    if not products.in_share_programme(product, default_percent):
        raise DomainError(referrals_texts.SHARE_NOT_IN_PROGRAMME, code="not_in_programme")
    return link_for(session, sharer, product, now)
