"""Product certification: the state machine, certificate numbers, reminders, expiry, and the QR label.

    submitted --approve--> certified --(valid_until passes)--> expired
        |                      \\--revoke (staff, with reason)--> revoked
        \\--reject (with reason)--> rejected

A product may be certified again (a renewal before expiry, or a new submission after rejection, expiry or
revocation): each review is its own row, and the product's `cert_status` / `certified_until` summarise them
(`refresh_product`), so the catalog reads one table. Only this module writes those two columns.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from flex_templates.market import notice_card, postback, review_card, uri
from models.market import CertificateCounter, Certification, Product
from services import audit, notify
from services.errors import Conflict, DomainError, NotFound
from services.products import owned_product, photo_url, price_per_unit, public_url
from services.qr import qr_image
from services.vendors import clean_reason, notify_reviewers, require_reviewer
from texts import dates
from texts import market as market_texts
from texts.districts import district_name

STATES = ("submitted", "certified", "rejected", "expired", "revoked")
TRANSITIONS = {
    "submitted": ("certified", "rejected"),
    "certified": ("expired", "revoked"),
    "rejected": (), "expired": (), "revoked": (),
}
VALIDITY = timedelta(days=365)
REMINDER_BEFORE = timedelta(days=14)
RENEWAL_WINDOW = timedelta(days=30)  # a certified product may ask for renewal this close to expiry


class InvalidTransition(Conflict):
    code = "invalid_transition"


def thai_date(value: datetime) -> str:
    """'23 พ.ย. 2570' in Khon Kaen time (notices are read there)."""
    return dates.thai_date(value)


def _move(cert: Certification, to: str) -> None:
    if to not in TRANSITIONS.get(cert.status, ()):
        status = market_texts.CERT_STATUS.get(cert.status, cert.status)
        raise InvalidTransition(market_texts.ALREADY_DECIDED.format(status=status))
    cert.status = to


# ---- numbers and links -------------------------------------------------------------------------------------------------
def next_number(session: Session, now: datetime) -> str:
    """The next certificate number of this Buddhist-era year, e.g. 'KK-2569-000123' (never reused)."""
    year = dates.buddhist_year(dates.to_local(now))
    counter = session.get(CertificateCounter, year, with_for_update=True)
    if counter is None:
        try:
            with session.begin_nested():
                session.add(CertificateCounter(year=year, last_number=0))
        except IntegrityError:  # another reviewer created this year's row at the same moment
            pass
        counter = session.get(CertificateCounter, year, with_for_update=True, populate_existing=True)
    assert counter is not None
    counter.last_number += 1
    session.flush()
    return f"KK-{year}-{counter.last_number:06d}"


def certificate_url(base_url: str, number: str) -> str:
    """The public verification page a certificate's QR code opens."""
    return f"{base_url.rstrip('/')}/market/c/{number}"


def normalise_number(value: str) -> str | None:
    """'kk-2569-000123' -> 'KK-2569-000123'; None if it cannot be a certificate number."""
    value = value.strip().upper()
    parts = value.split("-")
    if len(parts) != 3 or parts[0] != "KK" or not (parts[1].isdigit() and len(parts[1]) == 4) or not (
            parts[2].isdigit() and len(parts[2]) == 6):
        return None
    return value


# ---- reads ----------------------------------------------------------------------------------------------------------------
def get(session: Session, cert_id: int) -> Certification:
    cert = session.get(Certification, cert_id)
    if cert is None:
        raise NotFound(market_texts.API_CERT_NOT_FOUND, code="certification_not_found")
    return cert


def by_number(session: Session, number: str) -> Certification | None:
    normalised = normalise_number(number)
    if normalised is None:
        return None
    return session.scalars(select(Certification).where(Certification.number == normalised)).one_or_none()


def public_status(cert: Certification, now: datetime) -> str:
    """'valid', 'expired' or 'revoked' as a buyer checking the label should read it (expiry counts even before
    the expiry scan has run)."""
    if cert.status == "revoked":
        return "revoked"
    if cert.status == "certified" and cert.valid_until is not None and cert.valid_until > now:
        return "valid"
    return "expired"


def current_certificate(session: Session, product: Product, now: datetime) -> Certification | None:
    """The certificate that makes the product certified now, if any (the one valid longest)."""
    return session.scalars(select(Certification).where(
        Certification.product_id == product.id, Certification.status == "certified",
        Certification.valid_until > now).order_by(Certification.valid_until.desc()).limit(1)).first()


def latest(session: Session, product: Product) -> Certification | None:
    return session.scalars(select(Certification).where(Certification.product_id == product.id)
                           .order_by(Certification.id.desc()).limit(1)).first()


def pending(session: Session, product: Product) -> Certification | None:
    return session.scalars(select(Certification).where(Certification.product_id == product.id,
                                                       Certification.status == "submitted").limit(1)).first()


def queue(session: Session, limit: int = 100) -> list[Certification]:
    """Submissions waiting for a reviewer, oldest first."""
    return list(session.scalars(select(Certification).where(Certification.status == "submitted")
                                .order_by(Certification.id).limit(limit)))


def refresh_product(session: Session, product: Product, now: datetime) -> None:
    """Recomputes the product's summary: certified while any certificate is valid, else its latest review's state."""
    session.flush()
    current = current_certificate(session, product, now)
    if current is not None:
        product.cert_status, product.certified_until = "certified", current.valid_until
    else:
        last = latest(session, product)
        product.cert_status = last.status if last is not None else "submitted"
        if product.cert_status == "certified":  # certified but past its date: the expiry scan has not run yet
            product.cert_status = "expired"
        product.certified_until = None
    session.flush()


# ---- transitions --------------------------------------------------------------------------------------------------------------
def submit(session: Session, product: Product, now: datetime) -> Certification:
    """Puts a product in the reviewers' queue (one open submission per product)."""
    if product.deleted_at is not None:
        raise NotFound(market_texts.NOT_YOUR_PRODUCT, code="not_your_product")
    if pending(session, product) is not None:
        raise Conflict(market_texts.ALREADY_DECIDED.format(status=market_texts.CERT_STATUS["submitted"]),
                       code="already_submitted")
    cert = Certification(product_id=product.id, status="submitted", submitted_at=now)
    session.add(cert)
    refresh_product(session, product, now)
    return cert


def _renewal_open(valid_until: datetime | None, now: datetime) -> bool:
    return valid_until is not None and valid_until - now <= RENEWAL_WINDOW


def renewable(product: Product, now: datetime, *, under_review: bool) -> bool:
    """Whether the vendor may ask for (re)certification now: nothing under review (see `pending`), and the product
    not certified or its certificate within RENEWAL_WINDOW of its end."""
    if under_review:
        return False
    return product.cert_status != "certified" or _renewal_open(product.certified_until, now)


def resubmit(session: Session, line_user_id: str, product_id: int, now: datetime) -> Certification:
    """The vendor asks for certification again: after rejection, expiry or revocation, or to renew before expiry."""
    product = owned_product(session, line_user_id, product_id)
    current = current_certificate(session, product, now)
    if current is not None and not _renewal_open(current.valid_until, now):
        raise Conflict(market_texts.ALREADY_DECIDED.format(status=market_texts.CERT_STATUS["certified"]),
                       code="still_valid")
    return submit(session, product, now)


def open_submission(session: Session, cert_id: int, actor: str, admin_ids: tuple[str, ...]) -> Certification:
    """A submission still waiting for a decision, for a reviewer: raises staff-only, not found or already decided."""
    cert = _review(session, cert_id, actor, admin_ids, lock=False)
    if cert.status != "submitted":
        status = market_texts.CERT_STATUS.get(cert.status, cert.status)
        raise InvalidTransition(market_texts.ALREADY_DECIDED.format(status=status))
    return cert


def ask_reviewers(session: Session, cert: Certification, now: datetime, admin_ids: tuple[str, ...], base_url: str,
                  decide: tuple[str, str]) -> None:
    """Sends reviewers a submitted product with อนุมัติ / ไม่อนุมัติ and a link to the console. `decide` is the two
    buttons' postback data, packed by the chat handler that answers them (handlers/market_review.py)."""
    product = cert.product
    photo = (product.photos or [None])[0]
    body = market_texts.STAFF_NEW_PRODUCT.format(id=product.id, shop=product.vendor.shop_name,
                                                 district=district_name(product.vendor.district),
                                                 description=product.description[:300])
    card = review_card(
        market_texts.STAFF_NEW_PRODUCT_ALT.format(name=product.name),
        f"{product.name} · {price_per_unit(product.price_satang, product.unit)}", body,
        (market_texts.WORD_APPROVE, postback(decide[0], market_texts.WORD_APPROVE)),
        (market_texts.WORD_REJECT, postback(decide[1], market_texts.WORD_REJECT)),
        image_url=photo_url(base_url, photo) if photo else None,
        link=(market_texts.CONSOLE_OPEN, uri(f"{base_url}/console/market/products/{product.id}")),
    )
    notify_reviewers(session, [card], now, admin_ids, source=f"market-cert:{cert.id}")


def _review(session: Session, cert_id: int, actor: str, admin_ids: tuple[str, ...], *,
            lock: bool = True) -> Certification:
    require_reviewer(session, actor, admin_ids)
    cert = session.get(Certification, cert_id, with_for_update=True if lock else None)
    if cert is None:
        raise NotFound(market_texts.API_CERT_NOT_FOUND, code="certification_not_found")
    return cert


def approve(session: Session, cert_id: int, actor: str, now: datetime, base_url: str,
            admin_ids: tuple[str, ...] = ()) -> Certification:
    """Staff certify a submitted product: a new number, valid for a year; the vendor is told."""
    cert = _review(session, cert_id, actor, admin_ids)
    product = cert.product
    if product.deleted_at is not None:
        raise InvalidTransition(market_texts.PRODUCT_UNAVAILABLE)
    _move(cert, "certified")
    cert.number = next_number(session, now)
    cert.decided_by, cert.decided_at = actor, now
    cert.valid_from, cert.valid_until = now, now + VALIDITY
    refresh_product(session, product, now)
    audit.record(session, actor, "certify", ("certification", cert.id), {"product_id": product.id}, now)
    _tell_vendor(session, product, now, market_texts.CERTIFIED_NOTICE.format(
        name=product.name, number=cert.number, until=thai_date(cert.valid_until)), [
        (market_texts.OPEN_PAGE, public_url(base_url, product.id)),
        (market_texts.CERTIFICATE, certificate_url(base_url, cert.number)),
    ])
    return cert


def reject(session: Session, cert_id: int, actor: str, reason: str, now: datetime,
           admin_ids: tuple[str, ...] = ()) -> Certification:
    """Staff turn a submission down with a reason the vendor sees."""
    reason = clean_reason(reason)
    cert = _review(session, cert_id, actor, admin_ids)
    _move(cert, "rejected")
    cert.reason, cert.decided_by, cert.decided_at = reason, actor, now
    product = cert.product
    refresh_product(session, product, now)
    audit.record(session, actor, "reject_certification", ("certification", cert.id), {"product_id": product.id}, now)
    _tell_vendor(session, product, now, market_texts.REJECTED_NOTICE.format(name=product.name, reason=reason),
                 [(market_texts.WORD_MY_PRODUCTS, None)])
    return cert


def revoke(session: Session, cert_id: int, actor: str, reason: str, now: datetime,
           admin_ids: tuple[str, ...] = ()) -> Certification:
    """Staff withdraw a certificate (e.g. a complaint upheld); the product leaves the catalog at once."""
    reason = clean_reason(reason)
    cert = _review(session, cert_id, actor, admin_ids)
    _move(cert, "revoked")
    cert.reason, cert.ended_by, cert.ended_at = reason, actor, now
    product = cert.product
    refresh_product(session, product, now)
    audit.record(session, actor, "revoke_certification", ("certification", cert.id), {"product_id": product.id}, now)
    _tell_vendor(session, product, now,
                 market_texts.REVOKED_NOTICE.format(name=product.name, number=cert.number, reason=reason),
                 [(market_texts.WORD_MY_PRODUCTS, None)])
    return cert


def end_for_removed_product(session: Session, product: Product, now: datetime, *, reason: str) -> None:
    """A product taken off the market: its open submission is closed and its certificates revoked."""
    for cert in session.scalars(select(Certification).where(
            Certification.product_id == product.id, Certification.status.in_(("submitted", "certified")))).all():
        if cert.status == "submitted":
            _move(cert, "rejected")
            cert.decided_at, cert.decided_by = now, "vendor"
        else:
            _move(cert, "revoked")
            cert.ended_at, cert.ended_by = now, "vendor"
        cert.reason = reason
    refresh_product(session, product, now)


# ---- scans (idempotent: a second run finds nothing left to do) -------------------------------------------------------------------
def expire_due(session: Session, now: datetime, base_url: str) -> int:
    """Ends certificates whose validity has passed; their products leave the catalog and vendors are told."""
    due = session.scalars(select(Certification).where(
        Certification.status == "certified", Certification.valid_until <= now)
        .order_by(Certification.id).limit(500).with_for_update(skip_locked=True)).all()
    for cert in due:
        _move(cert, "expired")
        cert.ended_at, cert.ended_by = now, "scheduler"
        product = cert.product
        refresh_product(session, product, now)
        if product.deleted_at is None and product.cert_status != "certified":  # not already renewed
            _tell_vendor(session, product, now,
                         market_texts.EXPIRED_NOTICE.format(name=product.name, number=cert.number),
                         [(market_texts.WORD_MY_PRODUCTS, None)])
    return len(due)


def remind_due(session: Session, now: datetime, base_url: str) -> int:
    """Reminds vendors 14 days before a certificate expires (once per certificate; none if renewal is under way)."""
    due = session.scalars(select(Certification).where(
        Certification.status == "certified", Certification.reminder_sent_at.is_(None),
        Certification.valid_until > now, Certification.valid_until <= now + REMINDER_BEFORE)
        .order_by(Certification.id).limit(500).with_for_update(skip_locked=True)).all()
    sent = 0
    for cert in due:
        cert.reminder_sent_at = now
        product = cert.product
        newer = session.scalars(select(Certification.id).where(
            Certification.product_id == product.id, Certification.id > cert.id,
            Certification.status.in_(("submitted", "certified"))).limit(1)).first()
        if product.deleted_at is not None or newer is not None:
            continue
        _tell_vendor(session, product, now, market_texts.REMINDER_NOTICE.format(
            name=product.name, number=cert.number, until=thai_date(cert.valid_until)),
            [(market_texts.WORD_MY_PRODUCTS, None)])
        sent += 1
    session.flush()
    return sent


def _tell_vendor(session: Session, product: Product, now: datetime, body: str,
                 buttons: list[tuple[str, str | None]]) -> None:
    vendor = product.vendor
    if vendor.line_user_id:
        message = notice_card(body[:1400], body, buttons)
        notify.push(session, vendor.line_user_id, [message], now, source=f"market-product:{product.id}")


# ---- QR label -------------------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    import fontpkg_sarabun

    name = "Sarabun-Bold.ttf" if bold else "Sarabun-Regular.ttf"
    path = Path(fontpkg_sarabun.__file__).resolve().parent / "files" / name
    try:
        # raqm shapes Thai (stacked vowels and tone marks); basic layout would misplace them.
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    except (OSError, ImportError, KeyError):
        return ImageFont.truetype(str(path), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def label_png(cert: Certification, base_url: str) -> bytes:
    """A printable label: the QR to the verification page, the certificate number, product and issuer in Thai."""
    if cert.number is None:
        raise DomainError(market_texts.NO_CERTIFICATE, code="no_certificate")
    width = 600
    qr = qr_image(certificate_url(base_url, cert.number), box=12)
    qr = qr.resize((440, 440), Image.Resampling.NEAREST)
    card = Image.new("RGB", (width, 700), (255, 255, 255))
    draw = ImageDraw.Draw(card)
    draw.rectangle((4, 4, width - 5, 695), outline=(6, 120, 60), width=4)
    title = _font(34, bold=True)
    line = _font(30, bold=True)
    small = _font(24)
    y = 22
    heading = market_texts.LABEL_ISSUER
    draw.text(((width - draw.textlength(heading, font=title)) / 2, y), heading, font=title, fill=(6, 120, 60))
    card.paste(qr, ((width - 440) // 2, 72))
    y = 520
    for text_line, face, colour in (
        (cert.number, line, (17, 24, 39)),
        (_fit(draw, cert.product.name, small, width - 60), small, (55, 65, 81)),
        (market_texts.LABEL_SCAN, small, (75, 85, 99)),
    ):
        draw.text(((width - draw.textlength(text_line, font=face)) / 2, y), text_line, font=face, fill=colour)
        y += 52 if face is line else 44
    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)
    return out.getvalue()




def queue_count(session: Session) -> int:
    """How many submissions wait for a reviewer (the console overview's count)."""
    return int(session.scalar(select(func.count()).select_from(Certification)
                              .where(Certification.status == "submitted")) or 0)
