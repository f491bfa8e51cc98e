"""Commission rules: created when an attributed order is accepted, held for staff when the buyer looks like the
sharer, approved after the hold period, paid when the vendor records a payout, reversed on cancellation or refund
(clawed back from the next payout if already paid). The ledger is append-only; balances are derived from it.

Money moves between buckets (pending, hold, approved, paid, reversed) as CommissionEntry rows; a bucket's balance is
what came in minus what went out. `Commission.status` is only where the commission stands now, kept for the scans.
A refund after payout cannot take money back from the sharer's bank account, so it appends new negative money into
`approved` (a clawback) on the reversed commission: the next payout of that shop to that sharer is smaller by it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, and_, case, func, insert, literal, or_, select, union_all, update
from sqlalchemy.orm import Session

from flex_templates.basic import message_action, text
from models.citizens import Consent
from models.market import Product, Vendor
from models.orders import Commission, CommissionEntry, CommissionPayout, Order
from models.platform import Citizen
from models.referrals import ReferralLink, Sharer
from services import audit, consent, contact_details, notify, promptpay, qr
from services.errors import DomainError, NotFound, PermissionDenied
from services.products import commission_percent, format_price
from services.staff import is_staff
from texts import commissions as commissions_texts

BUCKETS = ("pending", "hold", "approved", "paid", "reversed")
SCHEDULER = "scheduler"
_ADDRESS_NOISE = re.compile(r"[\s,./\-()]+")


# ---- opening ------------------------------------------------------------------------------------------------------
def goods_satang(order: Order) -> int:
    """What the commission is a share of: the goods (quantity x unit price), never the delivery fee."""
    return int(order.quantity) * int(order.unit_price_satang)


def commission_amount(goods: int, rate_percent: int) -> int:
    """The commission in satang, rounded down (a sharer is never paid a fraction of a satang more than earned)."""
    return goods * rate_percent // 100


def _address_key(value: str | None) -> str:
    return _ADDRESS_NOISE.sub("", contact_details.thai_digits_to_arabic(value or "")).lower()


def _hold_reason(session: Session, order: Order, sharer: Sharer) -> str | None:
    """Why the buyer looks like the sharer (the same phone or address), for staff to judge; None if nothing."""
    # One round trip: the sharer's profile phone and their own latest orders' phones and addresses.
    own_orders = (select(Order.buyer_phone, Order.buyer_address)
                  .where(Order.buyer_line_user_id == sharer.line_user_id, Order.id != order.id)
                  .order_by(Order.id.desc()).limit(50).subquery())
    rows = session.execute(union_all(
        select(Citizen.phone, literal(None, String).label("address")).where(Citizen.line_user_id == sharer.line_user_id),
        select(own_orders.c.buyer_phone, own_orders.c.buyer_address),
    )).all()
    sharer_phones = {contact_details.phone_digits(phone) for phone, _ in rows if phone}
    sharer_addresses = {_address_key(address) for _, address in rows if address} - {""}
    if order.buyer_phone and contact_details.phone_digits(order.buyer_phone) in sharer_phones:
        return commissions_texts.HOLD_SAME_PHONE
    if order.buyer_address and _address_key(order.buyer_address) in sharer_addresses:
        return commissions_texts.HOLD_SAME_ADDRESS
    return None


def _entry(session: Session, commission: Commission, from_status: str | None, status: str, amount: int,
           now: datetime, actor: str | None, *, kind: str = "move", note: str | None = None,
           payout_id: int | None = None) -> CommissionEntry:
    entry = CommissionEntry(
        commission_id=commission.id, sharer_id=commission.sharer_id, vendor_id=commission.vendor_id,
        from_status=from_status, status=status, amount_satang=amount, kind=kind, note=note, payout_id=payout_id,
        created_by=actor, created_at=now,
    )
    session.add(entry)
    return entry


def _move(session: Session, commission: Commission, status: str, now: datetime, actor: str | None,
          note: str | None = None) -> None:
    _entry(session, commission, commission.status, status, commission.amount_satang, now, actor, note=note)
    commission.status = status
    commission.updated_at = now


def _tell_sharer(session: Session, sharer_id: int, body: str, now: datetime, source: str,
                 line_user_id: str | None = None) -> None:
    line_user_id = line_user_id or session.scalar(select(Sharer.line_user_id).where(Sharer.id == sharer_id))
    if line_user_id:
        notify.push(session, line_user_id, [text(body)], now, source=source)


def open_for_order(session: Session, order: Order, now: datetime, default_percent: int) -> Commission | None:
    """Opens the commission an accepted, attributed order earns its sharer (None when it earns nothing: no referral,
    a disabled link, a sharer who left, self-referral by the sharer or the shop, a rate of 0). Calling it again for
    the same order returns the commission it opened."""
    if order.referral_link_id is None:
        return None
    # One round trip for everything the rules read (this runs on every accepted order): the link, its sharer, the
    # shop's owner, the product, a commission already opened for the order, and the sharer's share-and-earn opt-in
    # (what remains of referrals.get_sharer's rule once left/erased are checked here; consents hold one row per
    # person and purpose, `granted` false once withdrawn).
    row = session.execute(
        select(ReferralLink, Sharer, Vendor.line_user_id, Product, Commission.id, Consent.granted)
        .join(Sharer, Sharer.id == ReferralLink.sharer_id)
        .join(Vendor, Vendor.id == order.vendor_id)
        .join(Product, Product.id == order.product_id)
        .outerjoin(Commission, Commission.order_id == order.id)
        .outerjoin(Consent, and_(Consent.line_user_id == Sharer.line_user_id,
                                 Consent.purpose == consent.SHARE_EARN))
        .where(ReferralLink.id == order.referral_link_id)
    ).first()
    if row is None:
        return None
    link, sharer, vendor_user, product, existing_id, opted_in = row
    if existing_id is not None:
        return session.get(Commission, existing_id)
    if link.disabled_at is not None or sharer.left_at is not None or sharer.erased_at is not None \
            or not sharer.line_user_id or not opted_in:
        return None
    # Exact LINE identities: nobody earns on their own purchase, and a shop does not pay itself through a link.
    if order.buyer_line_user_id in (sharer.line_user_id, vendor_user) or sharer.line_user_id == vendor_user:
        return None
    rate = commission_percent(product, default_percent)
    amount = commission_amount(goods_satang(order), rate)
    if rate <= 0 or amount <= 0:
        return None
    reason = _hold_reason(session, order, sharer)
    commission = Commission(
        order_id=order.id, sharer_id=sharer.id, vendor_id=order.vendor_id, link_id=link.id, rate_percent=rate,
        amount_satang=amount, status="hold" if reason else "pending", hold_reason=reason, created_at=now,
        updated_at=now,
    )
    session.add(commission)
    session.flush()
    _entry(session, commission, None, commission.status, amount, now, None)
    if reason is None:
        _tell_sharer(session, sharer.id, commissions_texts.NOTICE_NEW.format(
            product=order.product_name, amount=format_price(amount)), now, f"commission:{commission.id}:new",
            sharer.line_user_id)
    return commission


def for_order(session: Session, order_id: int) -> Commission | None:
    return session.scalar(select(Commission).where(Commission.order_id == order_id))


def order_received(session: Session, order: Order, now: datetime, hold_days: int) -> None:
    """Starts the hold period: the commission may be approved `hold_days` after the buyer received the goods."""
    commission = for_order(session, order.id)
    if commission is None or commission.status not in ("pending", "hold"):
        return
    commission.approve_after = (order.received_at or now) + timedelta(days=hold_days)
    commission.updated_at = now


def reverse_for_order(session: Session, order: Order, now: datetime, reason: str | None) -> None:
    """Reverses the order's commission (cancelled or refunded); if it was already paid, the amount is clawed back
    from the next payout. Safe to call twice."""
    commission = session.scalar(select(Commission).where(Commission.order_id == order.id).with_for_update())
    if commission is None or commission.status == "reversed":
        return
    if commission.status == "paid":
        # The money is with the sharer: new negative money into approved comes off the next payout.
        _entry(session, commission, None, "approved", -commission.amount_satang, now, None, kind="clawback",
               note=reason)
        commission.status = "reversed"
        commission.updated_at = now
        body = commissions_texts.NOTICE_CLAWBACK
    else:
        _move(session, commission, "reversed", now, None, note=reason)
        body = commissions_texts.NOTICE_REVERSED
    _tell_sharer(session, commission.sharer_id, body.format(
        product=order.product_name, amount=format_price(commission.amount_satang)), now,
        f"commission:{commission.id}:reversed")


# ---- the daily scan ------------------------------------------------------------------------------------------------
def approve_due(session: Session, now: datetime) -> int:
    """Approves every pending commission whose hold period is over, set-based (row locks make a concurrent second
    run skip what the first took); returns how many. Running it again approves nothing twice."""
    due = and_(Commission.status == "pending", Commission.approve_after.is_not(None), Commission.approve_after <= now)
    moved = (update(Commission).where(due).values(status="approved", updated_at=now)
             .returning(Commission.id, Commission.sharer_id, Commission.vendor_id, Commission.amount_satang))
    if session.get_bind().dialect.name == "postgresql":
        # One statement: the moved rows feed the ledger insert inside the database (100,000 rows never travel).
        moved_rows = moved.cte("moved")
        vendor_ids = session.scalars(
            insert(CommissionEntry).from_select(
                ["commission_id", "sharer_id", "vendor_id", "from_status", "status", "amount_satang", "kind",
                 "created_by", "created_at"],
                select(moved_rows.c.id, moved_rows.c.sharer_id, moved_rows.c.vendor_id, literal("pending"),
                       literal("approved"), moved_rows.c.amount_satang, literal("move"), literal(SCHEDULER),
                       literal(now, CommissionEntry.created_at.type)),
            ).returning(CommissionEntry.vendor_id),
            execution_options={"synchronize_session": False},
        ).all()
    else:
        rows = session.execute(moved, execution_options={"synchronize_session": False}).all()
        if rows:
            session.execute(CommissionEntry.__table__.insert(), [
                {"commission_id": cid, "sharer_id": sharer_id, "vendor_id": vendor_id, "from_status": "pending",
                 "status": "approved", "amount_satang": amount, "kind": "move", "created_by": SCHEDULER,
                 "created_at": now, "payout_id": None, "note": None}
                for cid, sharer_id, vendor_id, amount in rows
            ])
        vendor_ids = [vendor_id for _, _, vendor_id, _ in rows]
    if vendor_ids:
        _tell_shops_they_owe(session, set(vendor_ids), now)
    return len(vendor_ids)


def _tell_shops_they_owe(session: Session, vendor_ids: set[int], now: datetime) -> None:
    """One multicast to the owners of the shops whose sharers' commissions just became payable."""
    owners: list[str] = []
    ids = sorted(vendor_ids)
    for start in range(0, len(ids), 10_000):  # PostgreSQL takes at most 65,535 parameters in one statement
        owners += [uid for uid in session.scalars(select(Vendor.line_user_id).where(
            Vendor.id.in_(ids[start:start + 10_000]), Vendor.line_user_id.is_not(None))) if uid]
    if owners:
        notify.multicast(session, owners, [text(commissions_texts.NOTICE_SHOP_OWES,
                                                [message_action(commissions_texts.WORD_PAY_SHARERS)])],
                         now, source="commissions:approved")


# ---- balances -----------------------------------------------------------------------------------------------------
def _bucket_sums(session: Session, *where) -> dict[str, int]:
    into = dict(session.execute(
        select(CommissionEntry.status, func.coalesce(func.sum(CommissionEntry.amount_satang), 0))
        .where(*where).group_by(CommissionEntry.status)).all())
    out = dict(session.execute(
        select(CommissionEntry.from_status, func.coalesce(func.sum(CommissionEntry.amount_satang), 0))
        .where(CommissionEntry.from_status.is_not(None), *where).group_by(CommissionEntry.from_status)).all())
    return {bucket: int(into.get(bucket, 0)) - int(out.get(bucket, 0)) for bucket in BUCKETS}


def balances(session: Session, sharer_id: int) -> dict[str, int]:
    """What a sharer has in each bucket, summed from the ledger: pending, hold, approved, paid (and reversed)."""
    return _bucket_sums(session, CommissionEntry.sharer_id == sharer_id)


def payable(session: Session, vendor_id: int, sharer_id: int) -> int:
    """What a shop owes a sharer now: their approved balance with that shop, clawbacks taken off."""
    return _bucket_sums(session, CommissionEntry.vendor_id == vendor_id,
                        CommissionEntry.sharer_id == sharer_id)["approved"]


@dataclass(frozen=True)
class Owed:
    sharer_id: int
    promptpay_id: str | None
    amount_satang: int


def owed_by_vendor(session: Session, vendor_id: int) -> list[Owed]:
    """The sharers a shop owes a payout to (approved balance above zero), largest first."""
    signed = case((CommissionEntry.status == "approved", CommissionEntry.amount_satang),
                  (CommissionEntry.from_status == "approved", -CommissionEntry.amount_satang), else_=0)
    rows = session.execute(
        select(CommissionEntry.sharer_id, Sharer.promptpay_id, func.sum(signed).label("owed"))
        .join(Sharer, Sharer.id == CommissionEntry.sharer_id)
        .where(CommissionEntry.vendor_id == vendor_id,
               or_(CommissionEntry.status == "approved", CommissionEntry.from_status == "approved"))
        .group_by(CommissionEntry.sharer_id, Sharer.promptpay_id)
        .having(func.sum(signed) > 0)
        .order_by(func.sum(signed).desc())
    ).all()
    return [Owed(sharer_id, promptpay_id, int(owed)) for sharer_id, promptpay_id, owed in rows]


def _may_pay(session: Session, actor: str | None, vendor: Vendor, admin_ids: tuple[str, ...]) -> bool:
    return bool(actor) and (actor == vendor.line_user_id or is_staff(session, actor, admin_ids))


def vendor_of(session: Session, actor: str | None) -> Vendor | None:
    """The approved shop a LINE user owns, if any."""
    if not actor:
        return None
    return session.scalar(select(Vendor).where(Vendor.line_user_id == actor, Vendor.status == "approved"))


def get_sharer(session: Session, sharer_id: int) -> Sharer:
    sharer = session.get(Sharer, sharer_id)
    if sharer is None:
        raise NotFound(commissions_texts.SHARER_NOT_FOUND)
    return sharer


def record_payout(session: Session, actor: str | None, vendor_id: int, sharer_id: int, amount_satang: int,
                  now: datetime, note: str | None = None, admin_ids: tuple[str, ...] = ()) -> CommissionPayout:
    """Records that a shop paid a sharer everything approved (clawbacks taken off): every approved amount moves to
    paid under one payout, and the sharer is told. Only the shop's owner or staff may; the amount must be exactly
    what is payable, so a stale screen cannot record the wrong sum."""
    vendor = session.get(Vendor, vendor_id)
    if vendor is None or not _may_pay(session, actor, vendor, admin_ids):
        raise PermissionDenied(commissions_texts.NOT_YOUR_SHOP)
    # Lock this pair's commissions so two taps on "จ่ายแล้ว" cannot record two payouts of the same money.
    session.execute(select(Commission.id).where(Commission.vendor_id == vendor_id, Commission.sharer_id == sharer_id)
                    .with_for_update()).all()
    signed = case((CommissionEntry.status == "approved", CommissionEntry.amount_satang), else_=0) - case(
        (CommissionEntry.from_status == "approved", CommissionEntry.amount_satang), else_=0)
    per_commission = session.execute(
        select(CommissionEntry.commission_id, func.sum(signed))
        .where(CommissionEntry.vendor_id == vendor_id, CommissionEntry.sharer_id == sharer_id,
               or_(CommissionEntry.status == "approved", CommissionEntry.from_status == "approved"))
        .group_by(CommissionEntry.commission_id)
        .having(func.sum(signed) != 0)
    ).all()
    total = sum(int(amount) for _, amount in per_commission)
    if total <= 0:
        raise DomainError(commissions_texts.NOTHING_PAYABLE, code="nothing_payable")
    if int(amount_satang) != total:
        raise DomainError(commissions_texts.AMOUNT_CHANGED.format(amount=format_price(total)), code="amount_changed")
    payout = CommissionPayout(vendor_id=vendor_id, sharer_id=sharer_id, amount_satang=total, recorded_by=actor,
                              note=(note or None) and note[:200], paid_at=now)
    session.add(payout)
    session.flush()
    commissions = {c.id: c for c in session.scalars(
        select(Commission).where(Commission.id.in_([cid for cid, _ in per_commission])))}
    for commission_id, amount in per_commission:
        commission = commissions[commission_id]
        _entry(session, commission, "approved", "paid", int(amount), now, actor, payout_id=payout.id,
               kind="clawback" if int(amount) < 0 else "move")
        if commission.status == "approved":
            commission.status = "paid"
            commission.updated_at = now
    audit.record(session, actor, "payout", ("payout", payout.id), {"vendor_id": vendor_id, "amount_satang": total}, now)
    _tell_sharer(session, sharer_id, commissions_texts.NOTICE_PAID.format(
        shop=vendor.shop_name, amount=format_price(total)), now, f"payout:{payout.id}")
    return payout


def hold_decision(session: Session, staff: str | None, commission_id: int, approve: bool, now: datetime,
                  admin_ids: tuple[str, ...] = ()) -> Commission:
    """Staff decide a held commission: it goes on as pending (approved after its hold period) or is reversed."""
    if not is_staff(session, staff, admin_ids):
        raise PermissionDenied(commissions_texts.STAFF_ONLY)
    commission = session.scalar(select(Commission).where(Commission.id == commission_id).with_for_update())
    if commission is None:
        raise NotFound(commissions_texts.COMMISSION_NOT_FOUND)
    if commission.status != "hold":
        raise DomainError(commissions_texts.NOT_ON_HOLD, code="not_on_hold")
    product = session.scalar(select(Order.product_name).where(Order.id == commission.order_id)) or ""
    if approve:
        _move(session, commission, "pending", now, staff)
        body = commissions_texts.NOTICE_NEW
    else:
        _move(session, commission, "reversed", now, staff, note=commission.hold_reason)
        body = commissions_texts.NOTICE_REVERSED
    audit.record(session, staff, "hold_release" if approve else "hold_cancel", ("commission", commission.id), {}, now)
    _tell_sharer(session, commission.sharer_id, body.format(
        product=product, amount=format_price(commission.amount_satang)), now,
        f"commission:{commission.id}:decided")
    return commission


# ---- what people see ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LedgerLine:
    product: str
    amount_satang: int
    status: str
    kind: str
    at: datetime


def latest_entries(session: Session, sharer_id: int, limit: int = 8) -> list[LedgerLine]:
    """A sharer's latest ledger movements, newest first, with the product ordered."""
    rows = session.execute(
        select(Order.product_name, CommissionEntry.amount_satang, CommissionEntry.status, CommissionEntry.kind,
               CommissionEntry.created_at)
        .join(Commission, Commission.id == CommissionEntry.commission_id)
        .join(Order, Order.id == Commission.order_id)
        .where(CommissionEntry.sharer_id == sharer_id)
        .order_by(CommissionEntry.created_at.desc(), CommissionEntry.id.desc()).limit(limit)
    ).all()
    return [LedgerLine(*row) for row in rows]


def list_commissions(session: Session, *, status: str | None = None, vendor_id: int | None = None,
                     sharer_id: int | None = None, limit: int | None = 500) -> Sequence:
    """Commissions with their order, shop and sharer, newest first, for the console and its CSV."""
    query = (select(Commission, Order, Vendor.shop_name)
             .join(Order, Order.id == Commission.order_id).join(Vendor, Vendor.id == Commission.vendor_id)
             .order_by(Commission.id.desc()))
    if status:
        query = query.where(Commission.status == status)
    if vendor_id:
        query = query.where(Commission.vendor_id == vendor_id)
    if sharer_id:
        query = query.where(Commission.sharer_id == sharer_id)
    if limit:
        query = query.limit(limit)
    return session.execute(query).all()


def owed_everywhere(session: Session) -> list[tuple[int, str, Owed]]:
    """Every (shop, sharer) pair with an approved balance above zero: the payouts staff may record."""
    result = []
    vendor_ids = session.scalars(select(CommissionEntry.vendor_id).where(
        or_(CommissionEntry.status == "approved", CommissionEntry.from_status == "approved")).distinct()).all()
    for vendor_id in vendor_ids:
        shop = session.scalar(select(Vendor.shop_name).where(Vendor.id == vendor_id)) or ""
        result.extend((vendor_id, shop, owed) for owed in owed_by_vendor(session, vendor_id))
    return result


def recent_payouts(session: Session, limit: int = 100) -> Sequence:
    return session.execute(
        select(CommissionPayout, Vendor.shop_name).join(Vendor, Vendor.id == CommissionPayout.vendor_id)
        .order_by(CommissionPayout.id.desc()).limit(limit)).all()


# ---- the payout QR's address ----------------------------------------------------------------------------------------
# LINE fetches an image message from a public address, so the vendor's payout QR is served at a signed, expiring
# address naming only ids and the amount; the PromptPay ID itself never appears in it (PDPA).
PAYOUT_QR_LIFETIME = timedelta(days=2)


def _payout_signature(secret: str, body: str) -> str:
    return hmac.new(f"payout-qr:{secret}".encode(), body.encode(), hashlib.sha256).hexdigest()[:32]


def payout_qr_token(secret: str, vendor_id: int, sharer_id: int, amount_satang: int, now: datetime) -> str:
    """A token for the QR of one payout: shop, sharer, amount and expiry, signed."""
    body = f"{vendor_id}-{sharer_id}-{amount_satang}-{int((now + PAYOUT_QR_LIFETIME).timestamp())}"
    return f"{body}-{_payout_signature(secret, body)}"


def read_payout_qr_token(secret: str, token: str, now: datetime) -> tuple[int, int, int] | None:
    """(vendor id, sharer id, amount) from a valid unexpired token, else None."""
    parts = (token or "").split("-")
    if len(parts) != 5 or not all(p.isdigit() for p in parts[:4]):
        return None
    body = "-".join(parts[:4])
    if not hmac.compare_digest(parts[4], _payout_signature(secret, body)) or int(parts[3]) < now.timestamp():
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def payout_qr_png(session: Session, vendor_id: int, sharer_id: int, amount_satang: int) -> bytes | None:
    """The PromptPay QR for paying a sharer this amount, while that is still what the shop owes them."""
    sharer = session.get(Sharer, sharer_id)
    if sharer is None or not sharer.promptpay_id or payable(session, vendor_id, sharer_id) != amount_satang:
        return None
    return qr.qr_png(promptpay.payload(sharer.promptpay_id, amount_satang), box=8)


def sharer_by_user(session: Session, line_user_id: str | None) -> Sharer | None:
    """The person's sharer row, active or not (a member who left may still be owed money), unless erased."""
    if not line_user_id:
        return None
    return session.scalar(select(Sharer).where(Sharer.line_user_id == line_user_id, Sharer.erased_at.is_(None)))


def sharer_name(session: Session, sharer: Sharer) -> str | None:
    """The sharer's name from their citizen profile, when they gave one."""
    return session.scalar(select(Citizen.full_name).where(Citizen.line_user_id == sharer.line_user_id))


def holds_waiting(session: Session) -> int:
    """How many commissions wait for a staff decision (for the console's overview)."""
    return int(session.scalar(select(func.count()).select_from(Commission).where(Commission.status == "hold")) or 0)


# ---- PDPA ---------------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """What the person earned as a sharer (each commission and payout) and the payouts they recorded as a shop."""
    uid = citizen.line_user_id
    sharer = sharer_by_user(session, uid) if uid else None
    data: dict = {}
    if sharer is not None:
        rows = list_commissions(session, sharer_id=sharer.id, limit=None)
        data["commissions"] = [
            {"order_id": order.id, "product": order.product_name, "shop_name": shop, "rate_percent": c.rate_percent,
             "amount_satang": c.amount_satang, "status": c.status, "created_at": c.created_at.isoformat()}
            for c, order, shop in rows]
        data["balances"] = balances(session, sharer.id)
        data["payouts_received"] = [
            {"amount_satang": p.amount_satang, "paid_at": p.paid_at.isoformat()}
            for p in session.scalars(select(CommissionPayout).where(CommissionPayout.sharer_id == sharer.id)
                                     .order_by(CommissionPayout.id))]
    if uid:
        recorded = session.scalars(select(CommissionPayout).where(CommissionPayout.recorded_by == uid)
                                   .order_by(CommissionPayout.id)).all()
        if recorded:
            data["payouts_recorded"] = [{"amount_satang": p.amount_satang, "paid_at": p.paid_at.isoformat()}
                                        for p in recorded]
    return data


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Forgets who recorded payouts and ledger movements; the amounts stay (the sharer's own row is made anonymous by
    services/referrals.py, which privacy runs after this module)."""
    uid = citizen.line_user_id
    if not uid:
        return
    session.execute(update(CommissionPayout).where(CommissionPayout.recorded_by == uid).values(recorded_by=None))
    # The ledger is append-only for amounts and states; who acted is personal data and the one field erasure clears.
    session.execute(update(CommissionEntry).where(CommissionEntry.created_by == uid).values(created_by=None))
    session.flush()
