"""Order rules: placing (stock, delivery fee, total), the life of an order and who may move it, and the notices
each change sends the other party.

Every change is made by a named actor (the buyer's or the shop's LINE user id, or the scheduler) and checked here,
on the server, whatever button the change came from: forged postback data for another's order changes nothing.
Notices go through the outbox in the caller's transaction. Where a notice carries buttons the chat answers, the
handler passes `pack(action, order_id) -> postback data` (services never import handlers).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from flex_templates.basic import image, text
from flex_templates.orders import Button, OrderCard, order_message
from models.market import Product, Vendor
from models.orders import Order
from models.platform import Citizen
from services import (
    buyer_feedback,
    catalog,
    citizens,
    commissions,
    consent,
    contact_details,
    images,
    limits,
    notify,
    products,
    promptpay,
    qr,
    referrals,
    sales,
    shipping,
    vendors,
)
from services.errors import Conflict, DomainError, NotFound, PermissionDenied
from texts import market as market_texts
from texts import orders as orders_texts
from texts.dates import thai_datetime
from texts.districts import district_name

Pack = Callable[[str, int], str]  # (action, order id) -> postback data, packed by the chat handler

ADDRESS_MIN = 10
ADDRESS_MAX = 300
REASON_MIN = 2
REASON_MAX = 200
QUANTITY_MAX = 999
SLIP_KIND = "order_slip"
PICKUP = "pickup"
LOCAL = "local"
OPEN_STATUSES = ("placed", "accepted", "paid", "shipped")
# The shop's list shows what waits for the shop first (a decision, a payment to check, a parcel to send).
_SHOP_WAITING = ("placed", "accepted", "paid")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


# ---- input rules ------------------------------------------------------------------------------------------------------
def parse_quantity(value: str | None, stock: int, unit: str) -> int:
    """A quantity typed in Thai or Arabic digits, 1..stock; a Thai reason with the stock left otherwise."""
    cleaned = (value or "").translate(_THAI_DIGITS).replace(",", "").strip()
    if cleaned.endswith(unit):
        cleaned = cleaned[: -len(unit)].strip()
    if not cleaned.isdigit() or int(cleaned) < 1 or int(cleaned) > QUANTITY_MAX:
        raise DomainError(orders_texts.QUANTITY_BAD.format(stock=stock, unit=unit), code="bad_quantity")
    quantity = int(cleaned)
    if quantity > stock:
        raise DomainError(orders_texts.QUANTITY_OVER_STOCK.format(stock=stock, unit=unit), code="over_stock")
    return quantity


def clean_address(value: str | None) -> str:
    value = " ".join((value or "").split())
    if not ADDRESS_MIN <= len(value) <= ADDRESS_MAX:
        raise DomainError(orders_texts.ADDRESS_BAD.format(min=ADDRESS_MIN, max=ADDRESS_MAX), code="bad_address")
    return value


def clean_reason(value: str | None) -> str:
    value = " ".join((value or "").split())
    if not REASON_MIN <= len(value) <= REASON_MAX:
        raise DomainError(orders_texts.REASON_BAD.format(max=REASON_MAX), code="bad_reason")
    return value


def parse_fee(value: str | None) -> int:
    """A delivery fee in baht -> satang; "0" (or ฟรี) is free. parse_price refuses 0, so it is read first."""
    cleaned = (value or "").translate(_THAI_DIGITS).replace("บาท", "").strip()
    if cleaned in ("0", "0.00", orders_texts.FREE):
        return 0
    try:
        return products.parse_price(cleaned)
    except DomainError:
        raise DomainError(orders_texts.FEE_BAD, code="bad_fee") from None


# ---- small facts ------------------------------------------------------------------------------------------------------
def number(order: Order) -> str:
    """The order number people read and say on the phone."""
    return f"{order.id:05d}"


def delivery_fee(vendor: Vendor, option: str) -> int:
    """The shop's fee for a delivery option in satang (none set = free; pickup is always free)."""
    if option == PICKUP:
        return 0
    return max(0, int((vendor.delivery_fees or {}).get(option, 0) or 0))


def fee_text(satang: int) -> str:
    return products.format_price(satang) if satang else orders_texts.FREE


def payment_method(vendor: Vendor, option: str) -> str:
    """Pickup is paid at the shop; otherwise PromptPay when the shop has an ID, else cash on delivery."""
    if option == PICKUP:
        return "pickup"
    return "promptpay" if vendor.promptpay_id else "cod"


def status_text(order: Order) -> str:
    """The order's state in Thai, as the buyer and the shop read it."""
    if order.status == "accepted" and order.payment_method == "promptpay":
        return orders_texts.STATUS_SLIP_SENT if order.slip_at else orders_texts.STATUS_AWAITING_PAYMENT
    if order.status == "shipped" and order.delivery_option == PICKUP:
        return orders_texts.STATUS_READY_PICKUP
    return orders_texts.STATUS.get(order.status, order.status)


def get(session: Session, order_id: int, *, lock: bool = False) -> Order:
    order = session.get(Order, order_id, with_for_update=True if lock else None)
    if order is None:
        raise NotFound(orders_texts.ORDER_NOT_FOUND, code="order_not_found")
    return order


def by_request_key(session: Session, key: str) -> Order | None:
    return session.scalars(select(Order).where(Order.request_key == key)).one_or_none()


def orders_for_buyer(session: Session, line_user_id: str, limit: int = 10) -> list[Order]:
    """The buyer's orders, newest first."""
    return list(session.scalars(select(Order).where(Order.buyer_line_user_id == line_user_id)
                                .order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit)))


def orders_for_vendor(session: Session, vendor_id: int, limit: int = 10) -> list[Order]:
    """The shop's orders: those waiting for the shop first, then the rest, newest first in each."""
    waiting = case((Order.status.in_(_SHOP_WAITING), 0), else_=1)
    return list(session.scalars(select(Order).where(Order.vendor_id == vendor_id)
                                .order_by(waiting, Order.placed_at.desc(), Order.id.desc()).limit(limit)))


def count_for_vendor(session: Session, vendor_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Order).where(Order.vendor_id == vendor_id)) or 0)


def count_for_buyer(session: Session, line_user_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Order)
                              .where(Order.buyer_line_user_id == line_user_id)) or 0)


def shop_of(session: Session, line_user_id: str | None) -> Vendor:
    """The caller's approved shop, or a polite refusal."""
    vendor = vendors.get_by_line_user(session, line_user_id)
    if vendor is None or vendor.status != "approved":
        raise PermissionDenied(orders_texts.NOT_A_SHOP, code="not_a_vendor")
    return vendor


# ---- starting an order ---------------------------------------------------------------------------------------------------
def orderable(session: Session, product_id: int, buyer: str, now: datetime) -> Product:
    """A product the buyer may order now: listed (certified, shown, in stock, shop approved) and not their own."""
    product = session.get(Product, product_id)
    if product is None or not catalog.is_listed(product, now):
        raise NotFound(orders_texts.PRODUCT_NOT_AVAILABLE, code="product_unavailable")
    if product.vendor.line_user_id == buyer:
        raise Conflict(orders_texts.OWN_PRODUCT, code="own_product")
    return product


def needs_consent(session: Session, buyer: str) -> bool:
    return not consent.has_opt_in(session, buyer, consent.MARKET_BUYER)


def open_duplicate(session: Session, buyer: str, product_id: int) -> Order | None:
    """The buyer's order of this product that the shop has not answered yet (the same order text sent again)."""
    return session.scalars(select(Order).where(Order.buyer_line_user_id == buyer, Order.product_id == product_id,
                                               Order.status == "placed")
                           .order_by(Order.id.desc()).limit(1)).first()


def known_contact(session: Session, buyer: str) -> tuple[str, str] | None:
    """A name and mobile number to offer (the citizen profile, else the last order), if they pass today's rules."""
    candidates: list[tuple[str | None, str | None]] = []
    citizen = citizens.get(session, buyer)
    if citizen is not None:
        candidates.append((citizen.full_name, citizen.phone))
    last = _last_order(session, buyer)
    if last is not None:
        candidates.append((last.buyer_name, last.buyer_phone))
    for name, phone in candidates:
        if not name or not phone:
            continue
        try:
            return contact_details.clean_person_name(name), contact_details.clean_phone(phone, allow_landline=False)
        except DomainError:
            continue
    return None


def last_address(session: Session, buyer: str) -> str | None:
    """The address of the buyer's last delivered-to-address order, to offer again."""
    row = session.scalars(select(Order.buyer_address).where(Order.buyer_line_user_id == buyer,
                                                            Order.buyer_address.is_not(None))
                          .order_by(Order.id.desc()).limit(1)).first()
    return row


def _last_order(session: Session, buyer: str) -> Order | None:
    return session.scalars(select(Order).where(Order.buyer_line_user_id == buyer)
                           .order_by(Order.id.desc()).limit(1)).first()


@dataclass
class Draft:
    """What the buyer chose in the order flow (kept in the flow's state until confirmed)."""

    key: str
    product_id: int
    quantity: int
    delivery_option: str
    name: str
    phone: str
    address: str | None


@dataclass(frozen=True)
class Quote:
    product: Product
    vendor: Vendor
    unit_price: int
    fee: int
    total: int
    payment: str


def quote(session: Session, product_id: int, quantity: int, option: str) -> Quote:
    """Prices a draft at today's price and the shop's fee."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(orders_texts.PRODUCT_NOT_AVAILABLE, code="product_unavailable")
    vendor = product.vendor
    if option not in (vendor.delivery_options or []):
        raise DomainError(orders_texts.DELIVERY_NOT_OFFERED, code="bad_delivery")
    fee = delivery_fee(vendor, option)
    return Quote(product, vendor, product.price_satang, fee, product.price_satang * quantity + fee,
                 payment_method(vendor, option))


def delivery_choices(vendor: Vendor) -> list[tuple[str, str, str]]:
    """(key, Thai name, fee text) for each delivery option the shop offers."""
    return [(key, market_texts.DELIVERY_OPTIONS[key], fee_text(delivery_fee(vendor, key)))
            for key in vendor.delivery_options or [] if key in market_texts.DELIVERY_OPTIONS]


@dataclass(frozen=True)
class Placed:
    order: Order
    created: bool


def place(session: Session, buyer: str, draft: Draft, now: datetime, *, window_days: int,
          pack: Pack | None = None) -> Placed:
    """Places the confirmed draft once (the same draft key again returns the order already made), attributes it to
    the buyer's referral touch, and sends the shop its notice with รับออเดอร์ / ปฏิเสธ."""
    existing = by_request_key(session, draft.key)
    if existing is not None:
        if existing.buyer_line_user_id != buyer:
            raise PermissionDenied(orders_texts.NOT_YOUR_ORDER, code="not_your_order")
        return Placed(existing, False)
    if needs_consent(session, buyer):
        raise PermissionDenied(orders_texts.CONSENT_NEEDED, code="no_consent")
    product = orderable(session, draft.product_id, buyer, now)
    quantity = parse_quantity(str(draft.quantity), product.stock, product.unit)
    priced = quote(session, product.id, quantity, draft.delivery_option)
    name = contact_details.clean_person_name(draft.name)
    phone = contact_details.clean_phone(draft.phone, allow_landline=False)
    address = None if draft.delivery_option == PICKUP else clean_address(draft.address)
    # Each order pushes a notice to a shop: placing again and again is capped (services/limits.py).
    limits.enforce(session, "order_place", buyer, now, who=buyer)
    citizen = citizens.get(session, buyer)
    order = Order(request_key=draft.key, buyer_line_user_id=buyer, vendor_id=priced.vendor.id, product_id=product.id,
                  product_name=product.name, quantity=quantity, unit_price_satang=priced.unit_price,
                  delivery_option=draft.delivery_option, delivery_fee_satang=priced.fee, total_satang=priced.total,
                  payment_method=priced.payment, buyer_name=name, buyer_phone=phone, buyer_address=address,
                  buyer_district=citizen.district if citizen else None, status="placed", placed_at=now,
                  updated_at=now)
    session.add(order)
    session.flush()
    touch = referrals.attribute(session, buyer, product.id, now, window_days)
    if touch is not None:
        touch.order_id = order.id
        order.referral_link_id = touch.link_id
        session.flush()
    _tell_vendor(session, order, now, [orders_texts.SHOP_NEW_ORDER_TITLE.format(number=number(order))], pack,
                 alt=orders_texts.SHOP_NEW_ORDER_ALT.format(product=order.product_name, quantity=order.quantity))
    return Placed(order, True)


# ---- the order as a card --------------------------------------------------------------------------------------------------
def unit_of(session: Session, order: Order) -> str:
    product = session.get(Product, order.product_id)
    return product.unit if product is not None else ""


def card(session: Session, order: Order, *, for_shop: bool, title: str | None = None,
         buttons: Sequence[Button] = (), note: str | None = None) -> OrderCard:
    """The order's bubble: the items, the fee, the total, the payment, and who receives it where."""
    vendor = session.get(Vendor, order.vendor_id)
    option = market_texts.DELIVERY_OPTIONS.get(order.delivery_option, order.delivery_option)
    rows = [
        (orders_texts.LINE_ITEM.format(product=order.product_name, quantity=order.quantity, unit=unit_of(session, order)),
         orders_texts.LINE_ITEM_PRICE.format(quantity=order.quantity,
                                            price=products.format_price(order.unit_price_satang))),
        (orders_texts.LABEL_DELIVERY.format(option=option), fee_text(order.delivery_fee_satang)),
        (orders_texts.LABEL_PAYMENT, orders_texts.PAYMENT.get(order.payment_method, order.payment_method)),
    ]
    if not for_shop and vendor is not None:
        rows.insert(0, (orders_texts.LABEL_SHOP, vendor.shop_name))
    if order.buyer_name:
        rows.append((orders_texts.LABEL_RECEIVER, f"{order.buyer_name} {order.buyer_phone or ''}".strip()))
    if order.buyer_address:
        rows.append((orders_texts.LABEL_ADDRESS, order.buyer_address))
    elif order.delivery_option == PICKUP and vendor is not None and vendor.pickup_address:
        rows.append((orders_texts.LABEL_PICKUP_AT, vendor.pickup_address))
    if order.tracking_number:
        rows.append((orders_texts.LABEL_TRACKING, f"{shipping.carrier_name(order.carrier or '')} "
                                                 f"{order.tracking_number}".strip()))
    when = orders_texts.PLACED_AT.format(when=thai_datetime(order.placed_at))
    return OrderCard(title=title or orders_texts.ORDER_NUMBER.format(number=number(order)), status=status_text(order),
                     rows=rows, total=(orders_texts.LABEL_TOTAL, products.format_price(order.total_satang)),
                     note=f"{note}\n{when}" if note else when, buttons=list(buttons))


def draft_card(session: Session, draft: Draft) -> OrderCard:
    """The summary before confirming (no order yet)."""
    priced = quote(session, draft.product_id, draft.quantity, draft.delivery_option)
    option = market_texts.DELIVERY_OPTIONS.get(draft.delivery_option, draft.delivery_option)
    rows = [
        (orders_texts.LABEL_SHOP, priced.vendor.shop_name),
        (orders_texts.LINE_ITEM.format(product=priced.product.name, quantity=draft.quantity, unit=priced.product.unit),
         orders_texts.LINE_ITEM_PRICE.format(quantity=draft.quantity, price=products.format_price(priced.unit_price))),
        (orders_texts.LABEL_DELIVERY.format(option=option), fee_text(priced.fee)),
        (orders_texts.LABEL_PAYMENT, orders_texts.PAYMENT[priced.payment]),
        (orders_texts.LABEL_RECEIVER, f"{draft.name} {draft.phone}"),
    ]
    if draft.address:
        rows.append((orders_texts.LABEL_ADDRESS, draft.address))
    elif draft.delivery_option == PICKUP and priced.vendor.pickup_address:
        rows.append((orders_texts.LABEL_PICKUP_AT, priced.vendor.pickup_address))
    return OrderCard(title=orders_texts.SUMMARY_TITLE, status=priced.product.name, rows=rows,
                     total=(orders_texts.LABEL_TOTAL, products.format_price(priced.total)))


# ---- what each side may do next ---------------------------------------------------------------------------------------------
def buyer_actions(order: Order) -> list[str]:
    """The buyer's next actions for the order's state (the buttons under it)."""
    if order.status == "placed":
        return ["cancel"]
    if order.status == "accepted":
        if order.payment_method == "promptpay":
            return ["slip", "qr"] + ([] if order.slip_at else ["cancel"])
        return ["cancel"]
    if order.status == "shipped":
        return ["received"]
    return []


def vendor_actions(order: Order) -> list[str]:
    """The shop's next actions for the order's state."""
    if order.status == "placed":
        return ["accept", "decline"]
    if order.status == "accepted" and order.payment_method == "promptpay":
        return ["paid", "shop_cancel"]
    if order.status in ("accepted", "paid"):
        return ["ship", "shop_cancel"]
    if order.status == "received":
        return ["refund"]
    return []


def action_label(action: str, order: Order) -> str:
    if action == "ship":
        return {PICKUP: orders_texts.WORD_READY_PICKUP, LOCAL: orders_texts.WORD_DELIVERED_LOCAL}.get(
            order.delivery_option, orders_texts.WORD_SHIPPED)
    return {"accept": orders_texts.WORD_ACCEPT, "decline": orders_texts.WORD_DECLINE,
            "paid": orders_texts.WORD_PAYMENT_RECEIVED, "shop_cancel": orders_texts.WORD_CANCEL_ORDER,
            "refund": orders_texts.WORD_REFUND, "cancel": orders_texts.WORD_CANCEL_ORDER,
            "slip": orders_texts.WORD_SEND_SLIP, "qr": orders_texts.WORD_SHOW_QR,
            "received": orders_texts.WORD_RECEIVED}[action]


def buttons(order: Order, actions: Sequence[str], pack: Pack | None) -> list[Button]:
    if pack is None:
        return []
    return [Button(action_label(a, order), pack(a, order.id), danger=a in ("decline", "shop_cancel", "cancel"))
            for a in actions]


def _tell_vendor(session: Session, order: Order, now: datetime, lines: Sequence[str], pack: Pack | None, *,
                 alt: str | None = None, extra: Sequence[dict] = ()) -> None:
    vendor = session.get(Vendor, order.vendor_id)
    if vendor is None or not vendor.line_user_id:
        return  # a shop whose owner was erased (PDPA) gets no notices; the console still lists its orders
    message = order_message(alt or lines[0], card(session, order, for_shop=True, title=lines[0],
                                                  buttons=buttons(order, vendor_actions(order), pack),
                                                  note="\n".join(lines[1:]) or None))
    notify.push(session, vendor.line_user_id, [*extra, message], now, source=f"order:{order.id}")


def _tell_buyer(session: Session, order: Order, now: datetime, body: str, pack: Pack | None,
                extra: Sequence[dict] = ()) -> None:
    if not order.buyer_line_user_id:
        return
    message = order_message(body.split("\n")[0], card(session, order, for_shop=False,
                                                      buttons=buttons(order, buyer_actions(order), pack)))
    notify.push(session, order.buyer_line_user_id, [text(body), *extra, message], now, source=f"order:{order.id}")


# ---- who may touch an order ----------------------------------------------------------------------------------------------
def buyer_order(session: Session, order_id: int, buyer: str | None, *, lock: bool = False) -> Order:
    """The buyer's own order; anyone else's (a forged button) is refused and nothing changes."""
    order = session.get(Order, order_id, with_for_update=True if lock else None)
    if order is None or not buyer or order.buyer_line_user_id != buyer:
        raise PermissionDenied(orders_texts.NOT_YOUR_ORDER, code="not_your_order")
    return order


def shop_order(session: Session, order_id: int, actor: str | None, *, lock: bool = False) -> Order:
    """An order of the caller's own shop; another shop's is refused and nothing changes."""
    order = session.get(Order, order_id, with_for_update=True if lock else None)
    vendor = session.get(Vendor, order.vendor_id) if order is not None else None
    if order is None or vendor is None or not actor or vendor.line_user_id != actor:
        raise PermissionDenied(orders_texts.NOT_YOUR_SHOP_ORDER, code="not_your_order")
    return order


def _wrong_state(order: Order) -> Conflict:
    return Conflict(orders_texts.WRONG_STATE.format(number=number(order), status=status_text(order)),
                    code="wrong_state")


def _require(order: Order, allowed: Sequence[str], actions: Sequence[str], action: str) -> None:
    if order.status not in allowed or action not in actions:
        raise _wrong_state(order)


# ---- the shop's side -------------------------------------------------------------------------------------------------------
def qr_token(secret: str, order_id: int) -> str:
    """The unguessable part of an order's PromptPay QR address (an HMAC of the id under the app's secret)."""
    return hmac.new(secret.encode(), f"order-promptpay:{order_id}".encode(), hashlib.sha256).hexdigest()[:24]


def qr_url(base_url: str, secret: str, order_id: int) -> str:
    return f"{base_url.rstrip('/')}/orders/{order_id}/promptpay-{qr_token(secret, order_id)}.png"


def qr_png(session: Session, order_id: int, token: str, secret: str) -> bytes | None:
    """The QR image for an order awaiting a PromptPay transfer, if the token is right; None otherwise."""
    if not hmac.compare_digest(token.encode(), qr_token(secret, order_id).encode()):
        return None
    order = session.get(Order, order_id)
    if order is None or order.status != "accepted" or order.payment_method != "promptpay":
        return None
    vendor = session.get(Vendor, order.vendor_id)
    if vendor is None or not vendor.promptpay_id:
        return None
    return qr.qr_png(promptpay.payload(vendor.promptpay_id, order.total_satang), box=8)


def payment_messages(order: Order, base_url: str, secret: str) -> list[dict]:
    """What the buyer needs to pay: the amount and the QR (PromptPay), or how they pay (cash, pickup)."""
    total = products.format_price(order.total_satang)
    if order.payment_method == "promptpay":
        url = qr_url(base_url, secret, order.id)
        return [text(orders_texts.BUYER_PAY_PROMPTPAY.format(total=total)), image(url, url)]
    return [text(orders_texts.BUYER_PAY_COD.format(payment=orders_texts.PAYMENT[order.payment_method], total=total))]


def accept(session: Session, order_id: int, actor: str, now: datetime, *, default_percent: int, base_url: str,
           secret: str, pack: Pack | None = None) -> Order:
    """The shop takes the order: stock is reserved, the sharer's commission opens, the buyer is told how to pay."""
    order = shop_order(session, order_id, actor, lock=True)
    _require(order, ("placed",), vendor_actions(order), "accept")
    product = session.get(Product, order.product_id, with_for_update=True)
    if product is None or product.deleted_at is not None or product.stock < order.quantity:
        stock = product.stock if product is not None and product.deleted_at is None else 0
        raise Conflict(orders_texts.SHORT_OF_STOCK.format(product=order.product_name, stock=stock,
                                                         unit=product.unit if product else "",
                                                         quantity=order.quantity), code="short_of_stock")
    product.stock -= order.quantity
    product.updated_at = now
    order.status, order.accepted_at, order.updated_at = "accepted", now, now
    session.flush()
    if order.referral_link_id is not None:
        commissions.open_for_order(session, order, now, default_percent)
    vendor = session.get(Vendor, order.vendor_id)
    body = orders_texts.BUYER_ACCEPTED.format(shop=vendor.shop_name, number=number(order))
    pay = payment_messages(order, base_url, secret)
    _tell_buyer(session, order, now, body, pack, extra=pay)
    return order


def decline(session: Session, order_id: int, actor: str, reason: str, now: datetime,
            pack: Pack | None = None) -> Order:
    """The shop turns the order down with a reason the buyer reads."""
    reason = clean_reason(reason)
    order = shop_order(session, order_id, actor, lock=True)
    _require(order, ("placed",), vendor_actions(order), "decline")
    order.status, order.reason, order.rejected_at, order.updated_at = "rejected", reason, now, now
    session.flush()
    vendor = session.get(Vendor, order.vendor_id)
    _tell_buyer(session, order, now, orders_texts.BUYER_DECLINED.format(shop=vendor.shop_name, number=number(order),
                                                                       reason=reason), pack)
    return order


def confirm_paid(session: Session, order_id: int, actor: str, now: datetime, pack: Pack | None = None) -> Order:
    """The shop saw the transfer in its account (a static QR reports nothing, so the shop's word is the proof)."""
    order = shop_order(session, order_id, actor, lock=True)
    _require(order, ("accepted",), vendor_actions(order), "paid")
    order.status, order.paid_at, order.updated_at = "paid", now, now
    session.flush()
    vendor = session.get(Vendor, order.vendor_id)
    _tell_buyer(session, order, now, orders_texts.BUYER_PAID.format(shop=vendor.shop_name, number=number(order)),
                pack)
    return order


def shipping_choices(session: Session, order: Order) -> list[str]:
    """The carriers the shop may pick for this order: its own delivery options that are carriers, the order's
    choice first."""
    vendor = session.get(Vendor, order.vendor_id)
    keys = [order.delivery_option] + list(vendor.delivery_options or [])
    return [k for k in dict.fromkeys(keys) if k in shipping.CARRIERS]


def check_ship_allowed(session: Session, order_id: int, actor: str) -> Order:
    order = shop_order(session, order_id, actor)
    _require(order, ("accepted", "paid"), vendor_actions(order), "ship")
    return order


def needs_tracking(order: Order) -> bool:
    return order.delivery_option not in (PICKUP, LOCAL)


def ship(session: Session, order_id: int, actor: str, now: datetime, *, carrier: str | None = None,
         tracking: str | None = None, pack: Pack | None = None, check_digit_confirmed: bool = False) -> Order:
    """The shop sent the parcel (carrier and tracking number), or the order is ready at the shop / delivered
    locally (no number); the buyer gets the tracking link. `check_digit_confirmed`: the shop confirmed a number
    whose check digit looks wrong (services/shipping.clean_tracking)."""
    order = shop_order(session, order_id, actor, lock=True)
    _require(order, ("accepted", "paid"), vendor_actions(order), "ship")
    if needs_tracking(order):
        if carrier not in shipping_choices(session, order):
            raise DomainError(orders_texts.CARRIER_PLEASE_TAP, code="bad_carrier")
        order.carrier = carrier
        order.tracking_number = shipping.clean_tracking(carrier, tracking or "",
                                                        check_digit_confirmed=check_digit_confirmed)
    order.status, order.shipped_at, order.updated_at = "shipped", now, now
    session.flush()
    vendor = session.get(Vendor, order.vendor_id)
    extra: list[dict] = []
    if order.delivery_option == PICKUP:
        body = orders_texts.BUYER_READY_PICKUP.format(product=order.product_name, shop=vendor.shop_name,
                                                     address=vendor.pickup_address or "-")
    elif order.delivery_option == LOCAL:
        body = orders_texts.BUYER_LOCAL_SENT.format(shop=vendor.shop_name, product=order.product_name)
    else:
        name = shipping.carrier_name(order.carrier)
        body = orders_texts.BUYER_SHIPPED.format(shop=vendor.shop_name, product=order.product_name, carrier=name,
                                                tracking=order.tracking_number)
        link = shipping.tracking_url(order.carrier, order.tracking_number)
        body += "\n" + (orders_texts.BUYER_SHIPPED_TRACK if link else
                        orders_texts.BUYER_SHIPPED_NO_LINK.format(carrier=name))
        body += "\n" + orders_texts.BUYER_RECEIVE_HINT
        # Where the carrier's link format is unsure, the number goes with the carrier's own tracking page.
        link = link or shipping.carrier_page(order.carrier)
        if link:
            extra.append(order_message(orders_texts.TRACK_BUTTON, OrderCard(
                title=orders_texts.TRACK_BUTTON, status=f"{name} {order.tracking_number}",
                buttons=[Button(orders_texts.TRACK_BUTTON, uri=link)])))
    _tell_buyer(session, order, now, body, pack, extra=extra)
    return order


def _return_stock(session: Session, order: Order, now: datetime) -> bool:
    """Puts the reserved quantity back (only orders the shop accepted had stock reserved)."""
    if order.accepted_at is None:
        return False
    product = session.get(Product, order.product_id, with_for_update=True)
    if product is None or product.deleted_at is not None:
        return False
    product.stock += order.quantity
    product.updated_at = now
    return True


def _cancel(session: Session, order: Order, by: str, reason: str | None, now: datetime) -> bool:
    returned = _return_stock(session, order, now)
    order.status, order.cancelled_at, order.cancelled_by, order.updated_at = "cancelled", now, by, now
    order.reason = reason
    session.flush()
    if order.referral_link_id is not None:
        commissions.reverse_for_order(session, order, now, reason or by)
    return returned


def cancel_by_vendor(session: Session, order_id: int, actor: str, reason: str, now: datetime,
                     pack: Pack | None = None) -> Order:
    """The shop cancels before shipping (with a reason); reserved stock comes back."""
    reason = clean_reason(reason)
    order = shop_order(session, order_id, actor, lock=True)
    _require(order, ("accepted", "paid"), vendor_actions(order), "shop_cancel")
    _cancel(session, order, "vendor", reason, now)
    vendor = session.get(Vendor, order.vendor_id)
    _tell_buyer(session, order, now, orders_texts.BUYER_CANCELLED_BY_SHOP.format(
        shop=vendor.shop_name, number=number(order), reason=reason), pack)
    return order


def check_shop_cancel_allowed(session: Session, order_id: int, actor: str) -> Order:
    order = shop_order(session, order_id, actor)
    _require(order, ("accepted", "paid"), vendor_actions(order), "shop_cancel")
    return order


def check_decline_allowed(session: Session, order_id: int, actor: str) -> Order:
    order = shop_order(session, order_id, actor)
    _require(order, ("placed",), vendor_actions(order), "decline")
    return order


def check_buyer_cancel(session: Session, order_id: int, buyer: str, *, lock: bool = False) -> Order:
    """The buyer's order if they may still cancel it; otherwise the reason and how to reach the shop."""
    order = buyer_order(session, order_id, buyer, lock=lock)
    if order.status in ("rejected", "cancelled", "refunded"):
        raise _wrong_state(order)
    if "cancel" not in buyer_actions(order):
        vendor = session.get(Vendor, order.vendor_id)
        raise Conflict(orders_texts.BUYER_CANNOT_CANCEL.format(status=status_text(order), shop=vendor.shop_name,
                                                              phone=vendor.phone or "-"), code="wrong_state")
    return order


def cancel_by_buyer(session: Session, order_id: int, buyer: str, now: datetime, pack: Pack | None = None) -> Order:
    """The buyer cancels before paying (for cash on delivery and pickup: before it is sent); the shop is told."""
    order = check_buyer_cancel(session, order_id, buyer, lock=True)
    returned = _cancel(session, order, "buyer", None, now)
    lines = [orders_texts.SHOP_ORDER_CANCELLED.format(number=number(order), product=order.product_name)]
    if returned:
        lines.append(orders_texts.SHOP_STOCK_RETURNED.format(quantity=order.quantity, unit=unit_of(session, order)))
    _tell_vendor(session, order, now, lines, pack)
    return order


# ---- paying -------------------------------------------------------------------------------------------------------------
def awaiting_slip(session: Session, buyer: str) -> list[Order]:
    """The buyer's orders waiting for a PromptPay transfer (where a photo sent now is the slip)."""
    return list(session.scalars(select(Order).where(Order.buyer_line_user_id == buyer, Order.status == "accepted",
                                                    Order.payment_method == "promptpay")
                                .order_by(Order.id.desc())))


def check_slip_allowed(session: Session, order_id: int, buyer: str) -> Order:
    order = buyer_order(session, order_id, buyer)
    if order.status != "accepted" or order.payment_method != "promptpay":
        raise Conflict(orders_texts.SLIP_NOT_EXPECTED.format(status=status_text(order)), code="wrong_state")
    return order


def attach_slip(session: Session, order_id: int, buyer: str, data: bytes, now: datetime, *, base_url: str,
                pack: Pack | None = None) -> Order:
    """Keeps the transfer slip (through the safe image pipeline) and sends it to the shop with ได้รับเงินแล้ว."""
    order = check_slip_allowed(session, order_id, buyer)
    processed = images.accept_image(data)
    row = images.save_image(session, processed, kind=SLIP_KIND, owner_key=f"order:{order.id}", now=now)
    order.slip_image_id, order.slip_at, order.updated_at = row.id, now, now
    session.flush()
    url = images.image_url(base_url, row)
    slip = image(url, images.thumb_url(base_url, row))
    _tell_vendor(session, order, now, [orders_texts.SHOP_SLIP_ALT.format(number=number(order)),
                                       orders_texts.SHOP_SLIP.format(number=number(order),
                                                                    total=products.format_price(order.total_satang))],
                 pack, extra=[slip])
    return order


# ---- receipt and refund ---------------------------------------------------------------------------------------------------
def _receive(session: Session, order: Order, by: str, now: datetime, hold_days: int,
             survey_rate: float | None) -> None:
    order.status, order.received_at, order.received_by, order.updated_at = "received", now, by, now
    session.flush()
    sales.record_order_sale(session, order, now)
    # The buyer-survey sample is drawn here, the one place receipt happens, and recorded: never re-drawn.
    buyer_feedback.record_receipt(session, order, now, rate=survey_rate)
    if order.referral_link_id is not None:
        commissions.order_received(session, order, now, hold_days)


def mark_received(session: Session, order_id: int, buyer: str, now: datetime, *, hold_days: int,
                  pack: Pack | None = None, survey_rate: float | None = None) -> Order:
    """The buyer has the goods: the sale is counted, the sharer's commission starts its hold, and the buyer is
    drawn (or not) for the satisfaction survey at `survey_rate` (default: BUYER_SURVEY_SAMPLE_RATE's default)."""
    order = buyer_order(session, order_id, buyer, lock=True)
    _require(order, ("shipped",), buyer_actions(order), "received")
    _receive(session, order, "buyer", now, hold_days, survey_rate)
    _tell_vendor(session, order, now, [orders_texts.SHOP_RECEIVED.format(number=number(order),
                                                                        product=order.product_name)], pack)
    return order


def auto_receive_due(session: Session, now: datetime, days: int, hold_days: int,
                     survey_rate: float | None = None) -> int:
    """Counts shipped orders as received `days` after shipping (a scan; a second run finds nothing)."""
    due = session.scalars(select(Order).where(Order.status == "shipped", Order.shipped_at <= now - timedelta(days=days))
                          .order_by(Order.id).limit(500).with_for_update(skip_locked=True)).all()
    for order in due:
        _receive(session, order, "auto", now, hold_days, survey_rate)
        if order.buyer_line_user_id:
            notify.push(session, order.buyer_line_user_id, [text(orders_texts.BUYER_AUTO_RECEIVED.format(
                number=number(order), product=order.product_name, days=days))], now, source=f"order:{order.id}")
        _tell_vendor(session, order, now, [orders_texts.SHOP_AUTO_RECEIVED.format(
            number=number(order), product=order.product_name, days=days)], None)
    return len(due)


def check_refund_allowed(session: Session, order_id: int, actor: str) -> Order:
    order = shop_order(session, order_id, actor)
    _require(order, ("received",), vendor_actions(order), "refund")
    return order


def parse_refund(value: str | None, order: Order) -> int:
    total = products.format_price(order.total_satang)
    try:
        satang = products.parse_price(value or "")
    except DomainError:
        raise DomainError(orders_texts.REFUND_AMOUNT_BAD.format(total=total), code="bad_refund") from None
    if satang > order.total_satang:
        raise DomainError(orders_texts.REFUND_AMOUNT_BAD.format(total=total), code="bad_refund")
    return satang


def refund(session: Session, order_id: int, actor: str, amount_satang: int, reason: str, now: datetime,
           pack: Pack | None = None) -> Order:
    """After receipt the shop records money given back: the sale is offset and the commission reversed."""
    reason = clean_reason(reason)
    order = shop_order(session, order_id, actor, lock=True)
    _require(order, ("received",), vendor_actions(order), "refund")
    if not 0 < amount_satang <= order.total_satang:
        raise DomainError(orders_texts.REFUND_AMOUNT_BAD.format(total=products.format_price(order.total_satang)),
                          code="bad_refund")
    order.status, order.refund_satang, order.reason = "refunded", amount_satang, reason
    order.refunded_at = order.updated_at = now
    session.flush()
    sales.record_order_refund(session, order, now)
    if order.referral_link_id is not None:
        commissions.reverse_for_order(session, order, now, reason)
    vendor = session.get(Vendor, order.vendor_id)
    _tell_buyer(session, order, now, orders_texts.BUYER_REFUNDED.format(
        shop=vendor.shop_name, amount=products.format_price(amount_satang), number=number(order), reason=reason), pack)
    return order


# ---- the shop's delivery fees -----------------------------------------------------------------------------------------
def set_delivery_fee(session: Session, actor: str, option: str, satang: int, now: datetime) -> Vendor:
    """Sets the shop's fee for one of its delivery options (0 = free)."""
    vendor = shop_of(session, actor)
    if option not in (vendor.delivery_options or []) or option == PICKUP:
        raise DomainError(orders_texts.FEE_OPTION_UNKNOWN, code="bad_delivery")
    fees = dict(vendor.delivery_fees or {})
    fees[option] = int(satang)
    vendor.delivery_fees = fees  # a new dict: the JSON column sees the change
    vendor.updated_at = now
    session.flush()
    return vendor


# ---- PDPA: "ข้อมูลของฉัน" ------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The citizen's orders with the name, phone and address given to the shop."""
    rows = session.scalars(select(Order).where(Order.buyer_line_user_id == citizen.line_user_id)
                           .order_by(Order.id)).all()
    if not rows:
        return {}
    return {"orders": [{
        "number": number(o), "product": o.product_name, "quantity": o.quantity, "total_satang": o.total_satang,
        "delivery_option": o.delivery_option, "payment_method": o.payment_method, "status": o.status,
        "name": o.buyer_name, "phone": o.buyer_phone, "address": o.buyer_address,
        "district": district_name(o.buyer_district) or o.buyer_district, "placed_at": o.placed_at.isoformat(),
        "tracking_number": o.tracking_number,
    } for o in rows]}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Clears the name, phone, address, slip and LINE id on the citizen's orders; the figures (product, quantity,
    amounts, district, dates) stay, anonymous, for the sales reports. An order not yet paid or sent can no longer be
    delivered without them: it is cancelled (stock back, commission reversed) and the shop is told."""
    rows = session.scalars(select(Order).where(Order.buyer_line_user_id == citizen.line_user_id)).all()
    for order in rows:
        if order.status in ("placed", "accepted"):
            returned = _cancel(session, order, "erasure", orders_texts.ERASED_REASON, now)
            lines = [orders_texts.SHOP_ORDER_ERASED.format(number=number(order), product=order.product_name)]
            if returned:
                lines.append(orders_texts.SHOP_STOCK_RETURNED.format(quantity=order.quantity,
                                                                    unit=unit_of(session, order)))
            _tell_vendor(session, order, now, lines, None)
        order.buyer_name = order.buyer_phone = order.buyer_address = None
        order.buyer_line_user_id = None
        order.slip_image_id = None
        order.erased_at = order.updated_at = now
        images.delete_images(session, f"order:{order.id}")
    session.flush()
