"""Sales sharing benchmark: attributing an order and the daily commission scan, at a province's scale.

Loaded (COPY on PostgreSQL, multi-row INSERT on SQLite; not timed beyond the reported load time):
  shops, products in the programme (10%), sharers (opted in, following), one link per (sharer, product) used,
  1,000,000 counted referral clicks, ~100,000 touches (order texts brought into chat), and 100,000 orders with
  their commissions and ledger entries: most received and pending (a configurable share of them due today), the
  rest approved or paid, so the tables and indexes are as big as the scan and the attribution see in a year.

Timed:
  1. attribution, per order (the real path ORDERS runs when a shop accepts an attributed order): in one
     transaction, services.referrals.attribute (the buyer's latest unused touch for the product within the window,
     link enabled, sharer active), mark the touch used, services.commissions.open_for_order (self-referral
     checks, rate, hold check against the sharer's phone and past orders, the commission, its first ledger entry,
     the sharer's notice in the outbox), commit. Median and p95 over --timed orders; target < 5 ms.
  2. the daily scan: services.commissions.approve_due over the due set (one UPDATE ... RETURNING and a bulk insert
     of the ledger entries), commit; then once more (it must find nothing). Target < 10 s.

    .venv/bin/python bench/sales_sharing.py --db postgres                     # a throwaway PostgreSQL database
    .venv/bin/python bench/sales_sharing.py --db postgres --pg-server postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/sales_sharing.py --db sqlite --clicks 2000 --orders 300 --timed 50   # a quick look
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.common import DEFAULT_PG_SERVER, emit, machine, ms, percentile, temporary_postgres  # noqa: E402
from models.citizens import Consent  # noqa: E402
from models.db import Database  # noqa: E402
from models.market import Product, Vendor  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.orders import Commission, CommissionEntry, Order  # noqa: E402
from models.platform import Citizen  # noqa: E402
from models.referrals import ReferralClick, ReferralLink, ReferralTouch, Sharer  # noqa: E402
from services import commissions, consent, referrals  # noqa: E402

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
WINDOW_DAYS = 7
HOLD_DAYS = 7
RATE = 10
PRICE = 15_000  # 150 บาท


@contextlib.contextmanager
def database(kind: str, server: str) -> Iterator[str]:
    if kind == "postgres":
        with temporary_postgres(server) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'sales_sharing.db'}"


def load(db: Database, table: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Bulk-loads rows: COPY on PostgreSQL, multi-row INSERT in chunks on SQLite."""
    if db.dialect == "postgresql":
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    chunk: list[dict[str, Any]] = []
    with db.engine.begin() as conn:
        for row in rows:
            chunk.append(dict(zip(columns, row, strict=True)))
            if len(chunk) == 5000:
                conn.execute(table.insert(), chunk)
                chunk = []
        if chunk:
            conn.execute(table.insert(), chunk)


def user(kind: str, number: int) -> str:
    """A LINE-shaped user id: 'U' and 32 hex digits, distinct per kind."""
    return f"U{ {'vendor': 'a', 'sharer': 'b', 'buyer': 'c'}[kind]}{number:031x}"


def seed(db: Database, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """Loads the tables; returns what the timed part needs (buyers with a fresh touch each, for timed orders)."""
    vendors, products, sharers, buyers = args.vendors, args.products, args.sharers, args.buyers
    with db.transaction() as session:
        session.execute(Vendor.__table__.insert(), [{
            "id": v + 1, "line_user_id": user("vendor", v), "shop_name": f"ร้านทดสอบ {v}", "owner_name": "เจ้าของ",
            "phone": "0812345678", "district": "mueang", "pickup_address": "1 หมู่ 1", "sales_channels": ["line"],
            "delivery_options": ["thailand_post"], "status": "approved", "created_at": NOW, "updated_at": NOW,
        } for v in range(vendors)])
        session.execute(Product.__table__.insert(), [{
            "id": p + 1, "vendor_id": p % vendors + 1, "name": f"สินค้า {p}", "category": "food",
            "price_satang": PRICE, "unit": "ชิ้น", "description": "ของดี", "search_text": f"สินค้า {p}",
            "selling_points": [], "photos": [], "stock": 1000, "hidden": False, "cert_status": "certified",
            "certified_until": NOW + timedelta(days=300), "commission_percent": RATE, "created_at": NOW,
            "updated_at": NOW,
        } for p in range(products)])
    load(db, Sharer.__table__, ("id", "line_user_id", "promptpay_id", "joined_at"),
         ((s + 1, user("sharer", s), "0891234567", NOW - timedelta(days=90)) for s in range(sharers)))
    load(db, Consent.__table__, ("line_user_id", "purpose", "granted", "updated_at"),
         ((user("sharer", s), consent.SHARE_EARN, True, NOW - timedelta(days=90)) for s in range(sharers)))
    load(db, Citizen.__table__, ("line_user_id", "is_following", "phone", "interests", "created_at", "updated_at"),
         ((user("sharer", s), True, f"08{s:08d}", "[]" if db.dialect == "postgresql" else [], NOW, NOW)
          for s in range(sharers)))
    # One link per (sharer, product) pair that gets used: each sharer shares a few products.
    pairs = sorted({(rng.randrange(sharers) + 1, rng.randrange(products) + 1) for _ in range(args.links)})
    links = [(i + 1, f"C{i:07d}", s, p, NOW - timedelta(days=60)) for i, (s, p) in enumerate(pairs)]
    load(db, ReferralLink.__table__, ("id", "code", "sharer_id", "product_id", "created_at"), links)
    link_count = len(links)

    load(db, ReferralClick.__table__, ("link_id", "visitor", "clicked_at"),
         ((rng.randrange(link_count) + 1, f"{rng.getrandbits(64):016x}",
           NOW - timedelta(seconds=rng.randrange(90 * 86400))) for _ in range(args.clicks)))

    # Orders with commissions: each came from a touch (used), by a buyer who is neither the sharer nor the shop.
    order_rows, touch_rows, commission_rows, entry_rows = [], [], [], []
    due_left = args.due
    entry_id = 0
    for o in range(args.orders):
        link_id, _, sharer_id, product_id, _ = links[rng.randrange(link_count)]
        vendor_id = (product_id - 1) % vendors + 1
        buyer = user("buyer", rng.randrange(buyers))
        placed = NOW - timedelta(days=rng.randrange(1, 90), seconds=rng.randrange(86400))
        quantity = rng.randrange(1, 4)
        amount = quantity * PRICE * RATE // 100
        order_rows.append((o + 1, f"seed-{o}", buyer, vendor_id, product_id, f"สินค้า {product_id}", quantity, PRICE,
                           "thailand_post", 0, quantity * PRICE, "promptpay", "ผู้ซื้อ", f"09{o % 10**8:08d}",
                           f"{o} หมู่ 2 ต.ในเมือง", "mueang", "received", link_id, placed, placed, placed))
        touch_rows.append((link_id, buyer, product_id, placed - timedelta(hours=1), o + 1))
        if due_left > 0:
            status, approve_after = "pending", NOW - timedelta(seconds=rng.randrange(1, 86400))
            due_left -= 1
        else:
            status = rng.choices(("pending", "approved", "paid"), (5, 2, 3))[0]
            approve_after = NOW + timedelta(seconds=rng.randrange(1, HOLD_DAYS * 86400)) if status == "pending" \
                else placed + timedelta(days=HOLD_DAYS + 3)
        commission_rows.append((o + 1, o + 1, sharer_id, vendor_id, link_id, RATE, amount, status, approve_after,
                                placed, placed))
        path = {"pending": ["pending"], "approved": ["pending", "approved"],
                "paid": ["pending", "approved", "paid"]}[status]
        previous = None
        for step in path:
            entry_id += 1
            entry_rows.append((entry_id, o + 1, sharer_id, vendor_id, previous, step, amount, "move", placed))
            previous = step
    load(db, Order.__table__, (
        "id", "request_key", "buyer_line_user_id", "vendor_id", "product_id", "product_name", "quantity",
        "unit_price_satang", "delivery_option", "delivery_fee_satang", "total_satang", "payment_method", "buyer_name",
        "buyer_phone", "buyer_address", "buyer_district", "status", "referral_link_id", "placed_at", "received_at",
        "updated_at"), order_rows)
    load(db, Commission.__table__, ("id", "order_id", "sharer_id", "vendor_id", "link_id", "rate_percent",
                                    "amount_satang", "status", "approve_after", "created_at", "updated_at"),
         commission_rows)
    load(db, CommissionEntry.__table__, ("id", "commission_id", "sharer_id", "vendor_id", "from_status", "status",
                                         "amount_satang", "kind", "created_at"), entry_rows)
    # Touches that did not (yet) lead to an order, to make ~args.touches in all; the timed buyers' touches are last.
    spare = max(0, args.touches - len(touch_rows) - args.timed)
    touch_rows += [(links[k][0], user("buyer", rng.randrange(buyers)), links[k][3],
                    NOW - timedelta(seconds=rng.randrange(WINDOW_DAYS * 2 * 86400)), None)
                   for k in (rng.randrange(link_count) for _ in range(spare))]
    timed = []
    for t in range(args.timed):
        link_id, _, _, product_id, _ = links[rng.randrange(link_count)]
        buyer = user("buyer", buyers + t)  # fresh buyers: their one touch is the one the order is attributed to
        touch_rows.append((link_id, buyer, product_id, NOW - timedelta(hours=rng.randrange(1, 72)), None))
        timed.append((buyer, product_id, (product_id - 1) % vendors + 1))
    load(db, ReferralTouch.__table__, ("link_id", "buyer_line_user_id", "product_id", "touched_at", "order_id"),
         touch_rows)
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            for table in ("market_vendors", "market_products", "referral_sharers", "referral_links", "market_orders",
                          "referral_commissions", "referral_commission_entries", "referral_touches"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return {"links": link_count, "touches": len(touch_rows), "timed": timed}


def attribute_one(db: Database, buyer: str, product_id: int, vendor_id: int,
                  number: int) -> tuple[float, float, float, bool]:
    """Places an order row (not timed), then times attribution and opening its commission: the work (queries and
    writes flushed) and the whole transaction with its commit (which waits for the disk)."""
    with db.transaction() as session:
        order = Order(request_key=f"timed-{number}", buyer_line_user_id=buyer, vendor_id=vendor_id,
                      product_id=product_id, product_name=f"สินค้า {product_id}", quantity=2, unit_price_satang=PRICE,
                      delivery_option="thailand_post", delivery_fee_satang=0, total_satang=2 * PRICE,
                      payment_method="promptpay", buyer_name="ผู้ซื้อ", buyer_phone=f"07{number:08d}",
                      buyer_address=f"{number} ถ.ทดสอบ", buyer_district="mueang", status="accepted", placed_at=NOW,
                      accepted_at=NOW, updated_at=NOW)
        session.add(order)
        session.flush()
        order_id = order.id
    started = time.perf_counter()
    with db.transaction() as session:
        order = session.get(Order, order_id)
        touch = referrals.attribute(session, buyer, product_id, NOW, WINDOW_DAYS)
        opened = None
        if touch is not None:
            touch.order_id, order.referral_link_id = order.id, touch.link_id
            session.flush()
            attributed = time.perf_counter() - started
            opened = commissions.open_for_order(session, order, NOW, 0)
        session.flush()
        work = time.perf_counter() - started
    return work, time.perf_counter() - started, attributed if opened else work, opened is not None


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    server = args.pg_server or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_SERVER
    with database(args.db, server) as url:
        db = Database(url)
        upgrade(db)
        t0 = time.perf_counter()
        seeded = seed(db, args, rng)
        load_seconds = time.perf_counter() - t0

        timings, committed, attribute_only, attributed = [], [], [], 0
        for number, (buyer, product_id, vendor_id) in enumerate(seeded["timed"]):
            work, total, first_part, ok = attribute_one(db, buyer, product_id, vendor_id, number)
            if number >= args.warmup:
                timings.append(work)
                committed.append(total)
                attribute_only.append(first_part)
            attributed += ok
        timings.sort()
        committed.sort()
        attribute_only.sort()
        started = time.perf_counter()
        for _ in range(50):  # what a commit costs on this machine with nothing else in it
            with db.transaction() as session:
                session.execute(select(1))
        empty_ms = ms((time.perf_counter() - started) / 50)

        scan_now = NOW + timedelta(minutes=1)
        started = time.perf_counter()
        with db.transaction() as session:
            approved = commissions.approve_due(session, scan_now)
        scan_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with db.transaction() as session:
            approved_again = commissions.approve_due(session, scan_now)
        rescan_seconds = time.perf_counter() - started
        with db.transaction() as session:
            counts = {
                "clicks": session.scalar(select(func.count()).select_from(ReferralClick)),
                "touches": session.scalar(select(func.count()).select_from(ReferralTouch)),
                "orders": session.scalar(select(func.count()).select_from(Order)),
                "commissions": session.scalar(select(func.count()).select_from(Commission)),
                "ledger_entries": session.scalar(select(func.count()).select_from(CommissionEntry)),
            }
        db.dispose()
    return {
        "benchmark": "sales_sharing", "database": args.db, "counts": counts, "links": seeded["links"],
        "load_seconds": round(load_seconds, 1),
        "attribution_ms": {"n": len(timings), "attributed": attributed, "p50": ms(percentile(timings, 50)),
                           "p95": ms(percentile(timings, 95)), "max": ms(timings[-1]) if timings else None},
        "attribute_only_ms": {"p50": ms(percentile(attribute_only, 50)), "p95": ms(percentile(attribute_only, 95))},
        "attribution_with_commit_ms": {"p50": ms(percentile(committed, 50)), "p95": ms(percentile(committed, 95)),
                                       "max": ms(committed[-1]) if committed else None},
        "empty_transaction_ms": empty_ms,
        "scan": {"due": args.due, "approved": approved, "seconds": round(scan_seconds, 3),
                 "second_run_approved": approved_again, "second_run_seconds": round(rescan_seconds, 3)},
        "targets": {"attribution_p50_ms": 5, "scan_seconds": 10}, "machine": machine(),
    }


def report(result: dict[str, Any]) -> str:
    c, a, s = result["counts"], result["attribution_ms"], result["scan"]
    w, o = result["attribution_with_commit_ms"], result["attribute_only_ms"]
    return "\n".join([
        f"sales sharing on {result['database']}: {c['clicks']:,} clicks, {c['touches']:,} touches, "
        f"{c['orders']:,} orders, {c['commissions']:,} commissions, {c['ledger_entries']:,} ledger entries "
        f"({result['links']:,} links; loaded in {result['load_seconds']} s)",
        f"  {'what':<34}{'n':>8}{'p50':>12}{'p95':>12}{'max':>12}",
        f"  {'attribute + open commission':<34}{a['n']:>8,}{a['p50']:>9} ms{a['p95']:>9} ms{a['max']:>9} ms"
        f"   (target < {result['targets']['attribution_p50_ms']} ms; {a['attributed']} attributed)",
        f"  {'  of which attribute + mark used':<34}{a['n']:>8,}{o['p50']:>9} ms{o['p95']:>9} ms\n"
        f"  {'  the same with its commit':<34}{a['n']:>8,}{w['p50']:>9} ms{w['p95']:>9} ms{w['max']:>9} ms"
        f"   (an empty transaction: {result['empty_transaction_ms']} ms)",
        f"  {'daily scan (approve_due)':<34}{s['approved']:>8,}{s['seconds']:>10} s"
        f"   (target < {result['targets']['scan_seconds']} s; due {s['due']:,})",
        f"  {'  second run (idempotent)':<34}{s['second_run_approved']:>8,}{s['second_run_seconds']:>10} s",
        f"  machine: {result['machine']}",
    ])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--pg-server", default=None,
                        help="a PostgreSQL server URL (default: TEST_DATABASE_URL, else the local server)")
    parser.add_argument("--vendors", type=int, default=400)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--sharers", type=int, default=5_000)
    parser.add_argument("--buyers", type=int, default=60_000)
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--clicks", type=int, default=1_000_000)
    parser.add_argument("--touches", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000, help="pending commissions whose hold ends by the scan")
    parser.add_argument("--timed", type=int, default=1_000, help="orders attributed one by one, timed")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", help="also write the result as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(report(result), flush=True)
    emit(result, args.json)
    ok = result["attribution_ms"]["p50"] < 5 and result["scan"]["seconds"] < 10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
