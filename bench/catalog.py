"""Catalog carousel benchmark: 10,000 certified products, time per "show me products" request.

What one request is (the real path the chat handler runs for a category button, a "more" bubble or a search):
  1. a fresh DB transaction; services.catalog.browse / search: the listed-products query (certified, valid now,
     in stock, not hidden or deleted, vendor approved) with its total count, one page of 10;
  2. handlers.market.buyer_card for each product and flex_templates.market.product_carousel (10 bubbles + "more");
  3. json.dumps of the message, as the outbox stores it (its size is reported against LINE's 50 KB limit).
Not timed: seeding, and one schema + limits validation of each scenario's first body (it must be valid).

Scenarios (mixed round-robin): every category first page, one category at random pages, deep pages (offset up to
the end), Thai substring search (a common word and a rare one).

    .venv/bin/python bench/catalog.py                      # SQLite file in a temp dir
    .venv/bin/python bench/catalog.py --db postgres        # a throwaway PostgreSQL database
    .venv/bin/python bench/catalog.py --requests 2000 --json /tmp/catalog.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_PG_SERVER, emit, machine, ms, percentile, temporary_postgres  # noqa: E402
from flex_templates.market import postback, product_carousel  # noqa: E402
from handlers.market import BrowseCategory, SearchPage, buyer_card  # noqa: E402
from line_emulator import validate_message  # noqa: E402
from line_emulator.limits import FLEX_CAROUSEL_MAX_BYTES, json_size  # noqa: E402
from models.db import Database  # noqa: E402
from models.market import CertificateCounter, Certification, Product, Vendor  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from services import catalog, consent  # noqa: E402
from services.products import search_text_of  # noqa: E402
from texts import market as market_texts  # noqa: E402
from texts.districts import DISTRICTS  # noqa: E402

BASE_URL = "https://kkpao-market.example.go.th"
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
WORDS = ("ผ้าไหม", "มัดหมี่", "ข้าวหอมมะลิ", "น้ำพริก", "ปลาร้า", "แหนม", "ไข่เค็ม", "สบู่สมุนไพร", "ตะกร้าสาน",
         "กล้วยตาก", "ข้าวเหนียว", "เห็ดนางฟ้า", "ผ้าขาวม้า", "น้ำผึ้ง", "ชาใบหม่อน", "หมอนขิด")
RARE = "ลายพญานาคโบราณ"


@contextlib.contextmanager
def database(kind: str, server: str) -> Iterator[str]:
    if kind == "postgres":
        with temporary_postgres(server) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'catalog.db'}"


def seed(db: Database, products: int, vendors: int, rng: random.Random) -> None:
    """Inserts `vendors` approved shops and `products` certified, in-stock products (bulk, not timed)."""
    districts = list(DISTRICTS)
    categories = list(market_texts.CATEGORIES)
    with db.transaction() as session:
        session.execute(Vendor.__table__.insert(), [{
            "id": v + 1, "line_user_id": f"U{v:032d}", "shop_name": f"ร้าน{rng.choice(WORDS)}บ้าน{v}",
            "owner_name": "เจ้าของ ร้าน", "phone": "0812345678", "district": rng.choice(districts),
            "pickup_address": "1 หมู่ 1", "sales_channels": ["line"], "delivery_options": ["pickup", "thailand_post"],
            "status": "approved", "created_at": NOW, "updated_at": NOW,
        } for v in range(vendors)])
        for v in range(vendors):  # every shop opted in to the market programme (listing requires it)
            consent.grant(session, f"U{v:032d}", consent.MARKET_VENDOR, NOW)
        shops = {v + 1: row for v, row in enumerate(session.execute(
            Vendor.__table__.select().order_by(Vendor.id)).mappings())}
        rows, certs = [], []
        for p in range(products):
            name = f"{rng.choice(WORDS)}{rng.choice(WORDS)} {p}"
            if p % 997 == 0:
                name = f"ผ้าไหม{RARE} {p}"
            vendor_id = rng.randrange(vendors) + 1
            description = f"{rng.choice(WORDS)} คุณภาพดี จากชุมชนขอนแก่น ผลิตสด ส่งไว {p}"
            rows.append({
                "id": p + 1, "vendor_id": vendor_id, "name": name[:40],
                "category": rng.choice(categories), "price_satang": rng.randrange(2000, 500000), "unit": "ชิ้น",
                "description": description,
                "search_text": search_text_of(name[:40], description, shops[vendor_id]["shop_name"]),
                "selling_points": rng.sample(list(market_texts.SELLING_POINTS), 3),
                "photos": [{"id": p + 1, "digest": f"{p:064x}"}], "stock": rng.randrange(1, 500), "hidden": False,
                "cert_status": "certified", "certified_until": NOW + timedelta(days=300),
                "created_at": NOW, "updated_at": NOW,
            })
            certs.append({"id": p + 1, "product_id": p + 1, "status": "certified",
                          "number": f"KK-2569-{p + 1:06d}", "submitted_at": NOW, "decided_at": NOW,
                          "decided_by": "bench", "valid_from": NOW, "valid_until": NOW + timedelta(days=300)})
        for start in range(0, products, 2000):
            session.execute(Product.__table__.insert(), rows[start:start + 2000])
            session.execute(Certification.__table__.insert(), certs[start:start + 2000])
        session.add(CertificateCounter(year=2569, last_number=products))
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            for table in ("market_vendors", "market_products", "market_certifications"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
    if db.dialect == "postgresql":  # steady state: autovacuum has run (index-only scans need the visibility map)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def one_request(db: Database, scenario: str, arg: Any, page: int) -> tuple[float, int, int, dict]:
    """Runs one catalog request the way the handler does; returns (seconds, bubbles, JSON bytes, message)."""
    started = time.perf_counter()
    with db.transaction() as session:
        if scenario == "search":
            result = catalog.search(session, NOW, arg, page)
            next_data = SearchPage(arg, result.page + 1).pack()
        else:
            result = catalog.browse(session, NOW, arg, page)
            next_data = BrowseCategory(arg or "", result.page + 1).pack()
        cards = [buyer_card(p, BASE_URL) for p in result.products]
    more = None
    if result.remaining:
        more = (market_texts.MORE_TITLE.format(count=f"{result.remaining:,}"), market_texts.MORE_BUTTON,
                postback(next_data, market_texts.MORE_BUTTON))
    message = product_carousel(market_texts.CATALOG_ALT.format(title="bench", count=result.total), cards, more)
    body = json.dumps({"to": "U" + "0" * 32, "messages": [message]}, ensure_ascii=False)
    elapsed = time.perf_counter() - started
    return elapsed, len(message["contents"]["contents"]), len(body.encode()), message


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    with database(args.db, args.pg_server) as url:
        db = Database(url)
        upgrade(db)
        t0 = time.perf_counter()
        seed(db, args.products, args.vendors, rng)
        seed_seconds = time.perf_counter() - t0
        categories = list(market_texts.CATEGORIES)
        per_category = max(1, args.products // len(categories))
        scenarios = [
            ("all, first page", lambda: (None, 0)),
            ("category, first page", lambda: (rng.choice(categories), 0)),
            ("category, random page", lambda: (rng.choice(categories), rng.randrange(per_category // 10))),
            ("all, deep page", lambda: (None, rng.randrange(args.products // 10 - 50, args.products // 10))),
            ("search common word", lambda: (rng.choice(WORDS), 0)),
            ("search rare phrase", lambda: (RARE, 0)),
        ]
        for name, pick in scenarios:  # warm up, and check every scenario's body is valid for LINE
            arg, page = pick()
            kind = "search" if name.startswith("search") else "browse"
            _, bubbles, _, message = one_request(db, kind, arg, page)
            errors = validate_message(message)
            if errors or bubbles == 0 or json_size(message["contents"]) >= FLEX_CAROUSEL_MAX_BYTES:
                raise SystemExit(f"invalid body in scenario {name}: {errors[:3]}, {bubbles} bubbles")
        timings: dict[str, list[float]] = {name: [] for name, _ in scenarios}
        sizes: list[int] = []
        bubble_counts: list[int] = []
        for index in range(args.requests):
            name, pick = scenarios[index % len(scenarios)]
            arg, page = pick()
            seconds, bubbles, size, _ = one_request(db, "search" if name.startswith("search") else "browse", arg, page)
            timings[name].append(seconds)
            sizes.append(size)
            bubble_counts.append(bubbles)
        db.dispose()
    every = sorted(t for values in timings.values() for t in values)
    return {
        "benchmark": "catalog_carousel", "database": args.db, "products": args.products, "vendors": args.vendors,
        "requests": args.requests, "seed_seconds": round(seed_seconds, 1),
        "overall_ms": {"p50": ms(percentile(every, 50)), "p95": ms(percentile(every, 95)),
                       "max": ms(every[-1])},
        "scenarios_ms": {name: {"n": len(v), "p50": ms(percentile(sorted(v), 50)),
                                "p95": ms(percentile(sorted(v), 95)), "max": ms(max(v))}
                         for name, v in timings.items()},
        "max_body_bytes": max(sizes), "max_bubbles": max(bubble_counts),
        "target_p95_ms": 50, "machine": machine(),
    }


def report(result: dict[str, Any]) -> str:
    lines = [f"catalog carousel, {result['products']:,} certified products on {result['database']}, "
             f"{result['requests']:,} requests",
             f"  overall  p50 {result['overall_ms']['p50']} ms  p95 {result['overall_ms']['p95']} ms  "
             f"max {result['overall_ms']['max']} ms  (target p95 < {result['target_p95_ms']} ms)"]
    for name, values in result["scenarios_ms"].items():
        lines.append(f"  {name:<24} n={values['n']:<5} p50 {values['p50']:>6} ms  p95 {values['p95']:>6} ms  "
                     f"max {values['max']:>6} ms")
    lines.append(f"  largest request body {result['max_body_bytes']:,} bytes; at most {result['max_bubbles']} bubbles")
    lines.append(f"  machine: {result['machine']}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--vendors", type=int, default=400)
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", help="also write the result as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(report(result), flush=True)
    emit(result, args.json)
    return 0 if result["overall_ms"]["p95"] < result["target_p95_ms"] else 1


if __name__ == "__main__":
    sys.exit(main())
