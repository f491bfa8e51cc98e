"""Vendors of the community market: input rules, registration (after the market opt-in), staff approval, PDPA.

Owner name, phone, PromptPay ID and pickup address are personal data: collected only after the
`consent.MARKET_VENDOR` opt-in, never logged, exported and erased through services/privacy.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, unquote, urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from flex_templates.basic import message_action, text
from flex_templates.market import postback, review_card, uri
from models.market import Product, Vendor
from models.platform import Citizen, StaffMember
from services import audit, citizens, consent, contact_details, limits, notify
from services.errors import Conflict, DomainError, NotFound, PermissionDenied
from services.staff import is_staff
from texts import market as market_texts
from texts.districts import DISTRICTS, district_name

SHOP_MAX = 40
ADDRESS_MAX = 200
REASON_MAX = 200
API_ACTOR = "api"  # the REST API acts with the bearer token, not as a LINE user

_FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "fb.com",
                   "www.fb.com", "fb.me"}


# ---- input rules (each returns the cleaned value or raises DomainError with the Thai reason) ------------------------
def _one_line(value: str) -> str:
    return " ".join(value.split())


def clean_shop_name(value: str) -> str:
    value = _one_line(value)
    if not 2 <= len(value) <= SHOP_MAX:
        raise DomainError(market_texts.SHOP_BAD.format(max=SHOP_MAX), code="bad_shop_name")
    return value


def clean_owner_name(value: str) -> str:
    return contact_details.clean_person_name(value)


def clean_shop_phone(value: str) -> str:
    """The number buyers call. A landline is fine here: many shops answer the shop's own phone (043-…)."""
    return contact_details.clean_phone(value, allow_landline=True)


def national_id_valid(digits: str) -> bool:
    """Checks a 13-digit Thai national ID's check digit (mod 11)."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def clean_promptpay(value: str) -> str:
    """A PromptPay ID: a Thai mobile number (10 digits, 06/08/09) or a 13-digit national ID with a valid check digit."""
    digits = contact_details.phone_digits(value)
    if contact_details.is_mobile(digits):
        return digits
    if national_id_valid(digits):
        return digits
    raise DomainError(market_texts.PROMPTPAY_BAD, code="bad_promptpay")


def clean_address(value: str) -> str:
    value = _one_line(value)
    if not 5 <= len(value) <= ADDRESS_MAX:
        raise DomainError(market_texts.ADDRESS_BAD.format(max=ADDRESS_MAX), code="bad_address")
    return value


def clean_facebook_url(value: str) -> str:
    """A Facebook page link; 'facebook.com/x' without a scheme is accepted and made https."""
    value = value.strip()
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        raise DomainError(market_texts.FACEBOOK_BAD, code="bad_facebook_url") from None
    if (parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in _FACEBOOK_HOSTS
            or len(parts.path.strip("/")) < 2 or len(value) > 300 or any(ch.isspace() for ch in value)):
        raise DomainError(market_texts.FACEBOOK_BAD, code="bad_facebook_url")
    return "https://" + parts.netloc.lower() + parts.path + (f"?{parts.query}" if parts.query else "")


_LINE_ID = re.compile(r"[a-z0-9._-]{2,20}")  # LINE IDs (personal and official accounts' basic/premium IDs)
_LINE_TOKEN = re.compile(r"[A-Za-z0-9_-]{4,64}")  # the random part of a QR-code link or a lin.ee short link
_LINE_PROFILE_PATH = re.compile(r"/(?:R/)?ti/p/([^/?#]+)/?")
_LINE_CHAT_PATH = re.compile(r"/R/oaMessage/([^/?#]+)(?:/.*)?")
LINE_PROFILE_BASE = "https://line.me/R/ti/p/"


def _line_profile(ref: str) -> str | None:
    """'@paasri' -> the official account's link; '~somsri' -> a person's; a QR-code token stays as it is."""
    if ref.startswith("@") and _LINE_ID.fullmatch(ref[1:].lower()):
        return LINE_PROFILE_BASE + quote("@" + ref[1:].lower(), safe="")  # LINE's docs percent-encode the @
    if ref.startswith("~") and _LINE_ID.fullmatch(ref[1:].lower()):
        return LINE_PROFILE_BASE + "~" + ref[1:].lower()
    if _LINE_TOKEN.fullmatch(ref):
        return LINE_PROFILE_BASE + ref
    return None


def clean_line_link(value: str) -> str:
    """Where buyers chat with the shop, as a link LINE opens: https://line.me/R/ti/p/….

    Accepted: an official account's ID ('@paasri'), a personal LINE ID ('somsri.shop', often a phone number), a
    line.me profile or chat link (with or without https://, 'line://' too), and LINE's own lin.ee short links, which
    LINE Official Account Manager hands out; those cannot be rewritten without asking LINE, so they are kept."""
    value = "".join(value.split())
    if not value or len(value) > 300:
        raise DomainError(market_texts.LINE_BAD, code="bad_line_link")
    if value.startswith("@"):
        link = _line_profile(value)
    elif "/" not in value and ":" not in value:  # no link: a personal LINE ID (4-20 characters)
        link = _line_profile("~" + value) if 4 <= len(value) <= 20 else None
    else:
        link = _line_url(value)
    if link is None:
        raise DomainError(market_texts.LINE_BAD, code="bad_line_link")
    return link


def _line_url(value: str) -> str | None:
    if value.lower().startswith("line://"):
        value = "https://line.me/R/" + value[len("line://"):]
    elif "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        odd = parts.username is not None or parts.port is not None  # 'user@' or ':8443' is no link LINE hands out
    except ValueError:  # e.g. a port that is no number
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or odd:
        return None
    path = unquote(parts.path)
    if host == "lin.ee":
        code = path.strip("/")
        return f"https://lin.ee/{code}" if _LINE_TOKEN.fullmatch(code) else None
    if host not in ("line.me", "www.line.me"):
        return None
    match = _LINE_PROFILE_PATH.fullmatch(path) or _LINE_CHAT_PATH.fullmatch(path)
    if match is None:
        return None
    ref = match.group(1)
    if match.re is _LINE_CHAT_PATH and not ref.startswith("@"):
        return None
    return _line_profile(ref)


def line_link_label(link: str | None) -> str:
    """How a shop's LINE reads to people: '@paasri', 'somsri.shop', or the link itself."""
    if not link:
        return market_texts.NONE
    if link.startswith(LINE_PROFILE_BASE):
        ref = unquote(link[len(LINE_PROFILE_BASE):])
        if ref.startswith("@"):
            return ref
        if ref.startswith("~"):
            return ref[1:]
    return link


def clean_reason(value: str) -> str:
    value = _one_line(value)
    if not 3 <= len(value) <= REASON_MAX:
        raise DomainError(market_texts.REASON_BAD.format(max=REASON_MAX), code="bad_reason")
    return value


@dataclass
class Application:
    """What a vendor typed during registration, already cleaned by the rules above."""

    shop_name: str
    owner_name: str
    phone: str
    district: str
    pickup_address: str
    delivery_options: Sequence[str]
    promptpay_id: str | None = None
    facebook_url: str | None = None
    extra: dict = field(default_factory=dict)
    line_url: str | None = None
    # The applicant was told another shop has this name and said theirs is a different shop (see same_name_shop).
    same_name_confirmed: bool = False


# ---- queries ----------------------------------------------------------------------------------------------------------
def get_by_line_user(session: Session, line_user_id: str | None) -> Vendor | None:
    if not line_user_id:
        return None
    return session.scalars(select(Vendor).where(Vendor.line_user_id == line_user_id)).one_or_none()


def get(session: Session, vendor_id: int) -> Vendor:
    vendor = session.get(Vendor, vendor_id)
    if vendor is None:
        raise NotFound(market_texts.API_VENDOR_NOT_FOUND, code="vendor_not_found")
    return vendor


def shop_name_key(name: str) -> str:
    """What makes two shop names the same to a buyer: case, spaces and Unicode composition do not count."""
    return "".join(unicodedata.normalize("NFC", name).split()).casefold()


def same_name_shop(session: Session, shop_name: str, line_user_id: str | None) -> Vendor | None:
    """Another live shop (approved or waiting for approval) whose name is the same as this one, once normalised.

    A same name is not refused: two real shops in different districts may well both be "ร้านป้าศรี", and a person
    cannot be asked to rename their shop. It is pointed out, the applicant confirms theirs is a different shop (or
    types another name), and staff, who approve every shop, see the match in their notice."""
    key = shop_name_key(shop_name)
    # Names are stored on one line with single spaces (clean_shop_name), so dropping " " in SQL is enough; the
    # casefold is checked again in Python because SQLite's lower() only knows ASCII.
    stmt = (select(Vendor).where(func.lower(func.replace(Vendor.shop_name, " ", "")) == key.lower(),
                                 Vendor.status.in_(("pending", "approved")), Vendor.erased_at.is_(None))
            .order_by(Vendor.id))
    if line_user_id:
        stmt = stmt.where((Vendor.line_user_id != line_user_id) | Vendor.line_user_id.is_(None))
    return next((v for v in session.scalars(stmt) if shop_name_key(v.shop_name) == key), None)


def known_contact(session: Session, line_user_id: str | None) -> tuple[str, str] | None:
    """A name and phone number the person gave before (a training sign-up, or an earlier shop application) that
    still pass today's rules, so registration can offer them for confirmation instead of asking again."""
    if not line_user_id:
        return None
    candidates = []
    citizen = citizens.get(session, line_user_id)
    if citizen is not None:
        candidates.append((citizen.full_name, citizen.phone))
    vendor = get_by_line_user(session, line_user_id)
    if vendor is not None:
        candidates.append((vendor.owner_name, vendor.phone))
    for name, phone in candidates:
        if not name or not phone:
            continue
        try:
            return contact_details.clean_person_name(name), clean_shop_phone(phone)
        except DomainError:  # kept under older, looser rules (e.g. a 9-digit mobile number): ask instead
            continue
    return None


def approved_vendor(session: Session, line_user_id: str | None) -> Vendor:
    """The caller's shop if it may sell now; raises with the Thai reason otherwise."""
    vendor = get_by_line_user(session, line_user_id)
    if vendor is None:
        raise PermissionDenied(market_texts.NOT_A_VENDOR, code="not_a_vendor")
    if vendor.status == "pending":
        raise PermissionDenied(market_texts.VENDOR_NOT_APPROVED.format(shop=vendor.shop_name), code="vendor_pending")
    if vendor.status == "rejected":
        raise PermissionDenied(market_texts.VENDOR_REJECTED.format(reason=vendor.decision_reason or market_texts.NONE),
                               code="vendor_rejected")
    if not consent.has_opt_in(session, vendor.line_user_id, consent.MARKET_VENDOR):
        raise PermissionDenied(market_texts.CONSENT_WITHDRAWN, code="no_consent")
    return vendor


def require_reviewer(session: Session, actor: str, admin_ids: tuple[str, ...]) -> None:
    """Staff (checked now, in the DB) or the REST API may review; anyone else is refused."""
    if actor == API_ACTOR:
        return
    if not is_staff(session, actor, admin_ids):
        raise PermissionDenied(market_texts.STAFF_ONLY, code="staff_only")


def reviewer_ids(session: Session, admin_ids: tuple[str, ...]) -> list[str]:
    """Everyone who gets the chat notices with approve/reject buttons: active staff and configured admins."""
    ids = list(admin_ids)
    ids += session.scalars(select(StaffMember.line_user_id).where(StaffMember.active.is_(True)))
    return list(dict.fromkeys(ids))


def notify_reviewers(session: Session, messages: list[dict], now: datetime, admin_ids: tuple[str, ...],
                     source: str) -> None:
    """Sends staff a notice (e.g. with approve/reject buttons) through the outbox."""
    ids = reviewer_ids(session, admin_ids)
    if ids:
        notify.multicast(session, ids, messages, now, source=source)


def ask_reviewers(session: Session, vendor: Vendor, now: datetime, admin_ids: tuple[str, ...], base_url: str,
                  decide: tuple[str, str]) -> None:
    """Sends reviewers the new shop with อนุมัติ / ไม่อนุมัติ and a link to the console. `decide` is the two buttons'
    postback data, packed by the chat handler that answers them (handlers/market_review.py)."""
    card = review_card(
        market_texts.STAFF_NEW_VENDOR_ALT.format(shop=vendor.shop_name), market_texts.CONSOLE_PENDING_VENDORS,
        review_summary(session, vendor),
        (market_texts.WORD_APPROVE, postback(decide[0], market_texts.WORD_APPROVE)),
        (market_texts.WORD_REJECT, postback(decide[1], market_texts.WORD_REJECT)),
        link=(market_texts.CONSOLE_OPEN, uri(f"{base_url}/console/market/vendors/{vendor.id}")),
    )
    notify_reviewers(session, [card], now, admin_ids, source=f"market-vendor:{vendor.id}")


# ---- registration and review -------------------------------------------------------------------------------------------
def register(session: Session, line_user_id: str, application: Application, now: datetime) -> Vendor:
    """Records a shop's application (or a new one after a rejection). Needs the market programme opt-in."""
    if not consent.has_opt_in(session, line_user_id, consent.MARKET_VENDOR):
        raise PermissionDenied(market_texts.CONSENT_NEEDED, code="no_consent")
    if application.district not in DISTRICTS:
        raise DomainError(market_texts.DISTRICT_NOT_FOUND.format(text=application.district), code="bad_district")
    options = [key for key in application.delivery_options if key in market_texts.DELIVERY_OPTIONS]
    if not options:
        raise DomainError(market_texts.DELIVERY_NEED_ONE, code="no_delivery")
    vendor = get_by_line_user(session, line_user_id)
    same_name = same_name_shop(session, clean_shop_name(application.shop_name), line_user_id)
    if same_name is not None and not application.same_name_confirmed:
        raise Conflict(market_texts.SHOP_SAME_NAME.format(shop=same_name.shop_name,
                                                          district=district_name(same_name.district)),
                       code="same_shop_name")
    if vendor is not None and vendor.status == "pending":
        raise Conflict(market_texts.ALREADY_PENDING.format(shop=vendor.shop_name), code="vendor_pending")
    if vendor is not None and vendor.status == "approved":
        raise Conflict(market_texts.ALREADY_APPROVED.format(shop=vendor.shop_name), code="vendor_approved")
    # Each application notifies every reviewer in LINE: applying again and again is capped (services/limits.py).
    limits.enforce(session, "vendor_register", line_user_id, now, who=line_user_id)
    if vendor is None:
        vendor = Vendor(line_user_id=line_user_id, created_at=now)
        session.add(vendor)
    vendor.shop_name = clean_shop_name(application.shop_name)
    vendor.owner_name = clean_owner_name(application.owner_name)
    vendor.phone = clean_shop_phone(application.phone)
    vendor.district = application.district
    vendor.promptpay_id = clean_promptpay(application.promptpay_id) if application.promptpay_id else None
    vendor.pickup_address = clean_address(application.pickup_address)
    vendor.facebook_url = clean_facebook_url(application.facebook_url) if application.facebook_url else None
    vendor.line_url = clean_line_link(application.line_url) if application.line_url else None
    vendor.sales_channels = ["line"] + (["facebook"] if vendor.facebook_url else [])
    vendor.delivery_options = options
    vendor.status, vendor.decision_reason, vendor.decided_by, vendor.decided_at = "pending", None, None, None
    vendor.updated_at = now
    session.flush()
    return vendor


def open_application(session: Session, vendor_id: int, actor: str, admin_ids: tuple[str, ...], *,
                     lock: bool = False) -> Vendor:
    """A shop still waiting for a decision, for a reviewer: raises staff-only, not found or already decided."""
    require_reviewer(session, actor, admin_ids)
    vendor = session.get(Vendor, vendor_id, with_for_update=True if lock else None)
    if vendor is None or vendor.erased_at is not None:
        raise NotFound(market_texts.API_VENDOR_NOT_FOUND, code="vendor_not_found")
    if vendor.status != "pending":
        status = market_texts.VENDOR_STATUS.get(vendor.status, vendor.status)
        raise Conflict(market_texts.ALREADY_DECIDED.format(status=status), code="already_decided")
    return vendor


def review_summary(session: Session, vendor: Vendor) -> str:
    """What reviewers read in the new-shop notice, with another live shop of the same name pointed out."""
    body = market_texts.STAFF_NEW_VENDOR.format(
        shop=vendor.shop_name, district=district_name(vendor.district), owner=vendor.owner_name or market_texts.NONE,
        phone=vendor.phone or market_texts.NONE, delivery=delivery_names(vendor.delivery_options or []))
    same_name = same_name_shop(session, vendor.shop_name, vendor.line_user_id)
    if same_name is not None:
        body += "\n" + market_texts.STAFF_SAME_NAME_NOTE.format(shop=same_name.shop_name,
                                                                district=district_name(same_name.district))
    return body


def approve(session: Session, vendor_id: int, actor: str, now: datetime, admin_ids: tuple[str, ...] = ()) -> Vendor:
    """Staff approve a pending shop; the vendor is told in the chat."""
    vendor = open_application(session, vendor_id, actor, admin_ids, lock=True)
    vendor.status, vendor.decided_by, vendor.decided_at, vendor.updated_at = "approved", actor, now, now
    session.flush()
    audit.record(session, actor, "approve_vendor", ("vendor", vendor.id), {"district": vendor.district}, now)
    if vendor.line_user_id:
        notify.push(session, vendor.line_user_id, [text(
            market_texts.VENDOR_APPROVED_NOTICE.format(shop=vendor.shop_name),
            [message_action(market_texts.WORD_POST)])],
            now, source=f"market-vendor:{vendor.id}")
    return vendor


def reject(session: Session, vendor_id: int, actor: str, reason: str, now: datetime,
           admin_ids: tuple[str, ...] = ()) -> Vendor:
    """Staff turn down a pending shop with a reason the applicant sees."""
    reason = clean_reason(reason)
    vendor = open_application(session, vendor_id, actor, admin_ids, lock=True)
    vendor.status, vendor.decision_reason = "rejected", reason
    vendor.decided_by, vendor.decided_at, vendor.updated_at = actor, now, now
    session.flush()
    audit.record(session, actor, "reject_vendor", ("vendor", vendor.id), {"district": vendor.district}, now)
    if vendor.line_user_id:
        notify.push(session, vendor.line_user_id, [text(
            market_texts.VENDOR_REJECTED_NOTICE.format(shop=vendor.shop_name, reason=reason),
            [message_action(market_texts.WORD_REGISTER)])],
            now, source=f"market-vendor:{vendor.id}")
    return vendor


def delivery_names(keys: Sequence[str]) -> str:
    return ", ".join(market_texts.DELIVERY_OPTIONS[k] for k in keys
                     if k in market_texts.DELIVERY_OPTIONS) or market_texts.NONE


def channel_names(vendor: Vendor) -> str:
    names = {"line": market_texts.CHANNEL_LINE, "facebook": market_texts.CHANNEL_FACEBOOK}
    return ", ".join(names[c] for c in vendor.sales_channels or [] if c in names) or market_texts.NONE


# ---- PDPA ---------------------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The shop's registration (with its personal fields) and the products it posted."""
    vendor = get_by_line_user(session, citizen.line_user_id)
    if vendor is None:
        return {}
    products = session.scalars(select(Product).where(Product.vendor_id == vendor.id, Product.deleted_at.is_(None))
                               .order_by(Product.id)).all()
    return {
        "shop": {
            "shop_name": vendor.shop_name, "owner_name": vendor.owner_name, "phone": vendor.phone,
            "district": vendor.district, "promptpay_id": vendor.promptpay_id,
            "pickup_address": vendor.pickup_address, "facebook_url": vendor.facebook_url, "line_url": vendor.line_url,
            "sales_channels": list(vendor.sales_channels or []), "delivery_options": list(vendor.delivery_options or []),
            "status": vendor.status, "registered_at": vendor.created_at.isoformat(),
        },
        "products": [{"id": p.id, "name": p.name, "category": p.category, "price_satang": p.price_satang,
                      "unit": p.unit, "description": p.description, "stock": p.stock,
                      "certification": p.cert_status, "photos": len(p.photos or [])} for p in products],
    }


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Removes the owner's personal fields and unlinks the shop; its products are already off the market
    (services/listings.py erases first: services/privacy.py runs features in name order).

    The shop name and product names stay so that labels already printed still verify (as revoked)."""
    vendor = get_by_line_user(session, citizen.line_user_id)
    if vendor is None:
        return
    if session.scalar(select(func.count()).select_from(Product).where(Product.vendor_id == vendor.id,
                                                                      Product.deleted_at.is_(None))):
        raise RuntimeError("a shop is erased after its products (services/listings.erase_personal_data)")
    vendor.owner_name = vendor.phone = vendor.promptpay_id = vendor.pickup_address = vendor.facebook_url = None
    vendor.line_url = None
    vendor.sales_channels, vendor.delivery_options = [], []
    vendor.line_user_id = None
    vendor.erased_at = vendor.updated_at = now
    if vendor.status == "pending":
        vendor.status = "rejected"
    session.flush()


def pending_count(session: Session) -> int:
    """How many shops wait for approval (the console overview's count)."""
    return int(session.scalar(select(func.count()).select_from(Vendor)
                              .where(Vendor.status == "pending", Vendor.erased_at.is_(None))) or 0)
