"""Reports benchmark: the province dashboard and one project report over a province's worth of history.

Loaded (COPY on PostgreSQL, multi-row INSERT on SQLite; timed only as the load time):
  50,000 citizens (follows and unfollows over two years, 26 districts), 2,000 shops and 10,000 products,
  1,000,000 sales (online and the traditional channels, two years), 100,000 orders, 100,000 referral clicks and
  10,000 commissions, 300 projects with 600 trainings, 30,000 sign-ups, and 100,000 survey answers (training and
  project surveys, 1-5 ratings), 500 sent announcements with their outbox rows.

Timed, each --runs times after one warm-up (median and max reported), each a whole request through the Flask app:
  1. GET /console/reports              the province dashboard page, signed in as staff (no filter)
  2. GET /console/reports?district=...&from=...&to=...   the dashboard with filters
  3. GET /api/v1/reports/summary       the same figures as JSON, through disclosure control
  4. GET /console/reports/projects/<id>   one project report page (the project with the most trainings)
  5. GET /api/v1/reports/projects/<id>
  and the service calls alone (services.reports.province_summary / project_report). Target: < 2 s per request.
  Before timing, the monthly sales rollup is rebuilt (timed), then --tail more sales are loaded that the reports
  count live (the job adds them every 5 minutes; a real 5 minutes brings far fewer), and refreshing those is timed.
  Charts are separate PNG requests; one chart request is timed too (first draw, not cached).

    .venv/bin/python bench/reports.py --db postgres                        # a throwaway PostgreSQL database
    .venv/bin/python bench/reports.py --db postgres --pg-server postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/reports.py --db sqlite --sales 5000 --citizens 500 --answers 1000   # a quick look
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.common import DEFAULT_PG_SERVER, emit, machine, ms, temporary_postgres  # noqa: E402
from models.db import Database  # noqa: E402
from models.market import Product, Vendor  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.orders import Commission, Order  # noqa: E402
from models.platform import Citizen, OutboxMessage  # noqa: E402
from models.projects import PROJECT_KINDS, Announcement, Project, ProjectStageChange  # noqa: E402
from models.referrals import ReferralClick, ReferralLink, Sharer  # noqa: E402
from models.sales import SALE_CHANNELS, Sale  # noqa: E402
from models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse  # noqa: E402
from models.trainings import Training, TrainingSignup  # noqa: E402
from services import report_rollups, reports  # noqa: E402
from texts.districts import DISTRICTS  # noqa: E402

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
DAYS = 730  # two years of history
ADMIN = "U" + "a" * 32
TOKEN = "bench-api-token"
CATEGORIES = ("produce", "food", "otop", "textile", "health", "other")
TARGET_SECONDS = 2.0
SALE_COLUMNS = ("vendor_id", "product_id", "product_name", "quantity", "amount_satang", "channel", "sold_on",
                "district", "source", "created_at")


@contextlib.contextmanager
def database(kind: str, server: str) -> Iterator[str]:
    if kind == "postgres":
        with temporary_postgres(server) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'reports.db'}"


def load(db: Database, table: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Bulk-loads rows: COPY on PostgreSQL, multi-row INSERT in chunks on SQLite. Returns how many."""
    count = 0
    if db.dialect == "postgresql":
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            raw.commit()
        finally:
            raw.close()
        return count
    chunk: list[dict[str, Any]] = []
    with db.engine.begin() as conn:
        for row in rows:
            chunk.append(dict(zip(columns, row, strict=True)))
            count += 1
            if len(chunk) == 5000:
                conn.execute(table.insert(), chunk)
                chunk = []
        if chunk:
            conn.execute(table.insert(), chunk)
    return count


def _json(db: Database, value: Any) -> Any:
    """JSON columns: COPY takes JSON text, SQLAlchemy's insert takes the Python value."""
    import json

    return json.dumps(value) if db.dialect == "postgresql" else value


def _moment(rng: random.Random, days: int = DAYS) -> datetime:
    return NOW - timedelta(days=rng.randrange(1, days), seconds=rng.randrange(86400))


def user(number: int) -> str:
    return f"U{number:032x}"


def seed(db: Database, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """Loads every table the reports read; returns the project to report on."""
    districts = list(DISTRICTS)
    citizens = args.citizens
    rows = []
    for c in range(citizens):
        followed = _moment(rng)
        left = followed + timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.15 else None
        if left is not None and left >= NOW:
            left = None
        rows.append((c + 1, user(c), left is None, followed, left, districts[c % len(districts)],
                     _json(db, []), followed, followed))
    load(db, Citizen.__table__, ("id", "line_user_id", "is_following", "followed_at", "unfollowed_at", "district",
                                 "interests", "created_at", "updated_at"), rows)

    vendors, products = args.vendors, args.products
    load(db, Vendor.__table__, ("id", "shop_name", "district", "status", "sales_channels", "delivery_options",
                                "delivery_fees", "created_at", "updated_at"),
         ((v + 1, f"ร้านทดสอบ {v}", districts[v % len(districts)], "approved" if v % 10 else "pending",
           _json(db, []), _json(db, []), _json(db, {}), NOW, NOW) for v in range(vendors)))
    load(db, Product.__table__, ("id", "vendor_id", "name", "category", "price_satang", "unit", "description",
                                 "selling_points", "photos", "stock", "search_text", "hidden", "cert_status",
                                 "certified_until", "created_at", "updated_at"),
         # Most of a shop's goods are of its own kind (a weaver sells textiles): 4 in 5 in the shop's category.
         ((p + 1, p % vendors + 1, f"สินค้า {p}",
           CATEGORIES[(p % vendors) % len(CATEGORIES)] if p % 5 else CATEGORIES[p % len(CATEGORIES)], 10_000, "ชิ้น",
           "ของดี",
           _json(db, []), _json(db, []), 10, f"สินค้า {p}", False, "certified" if p % 3 else "submitted",
           NOW + timedelta(days=200), NOW, NOW) for p in range(products)))

    def sale_rows(count: int) -> Iterator[tuple]:
        for _ in range(count):
            product = rng.randrange(products) + 1
            vendor = (product - 1) % vendors + 1
            channel = SALE_CHANNELS[rng.randrange(len(SALE_CHANNELS))] if rng.random() < 0.7 else "online"
            if rng.random() < 0.05:
                product_id, name = None, "ของที่ไม่ได้ลงขาย"
            else:
                product_id, name = product, f"สินค้า {product - 1}"
            yield (vendor, product_id, name, 1, rng.randrange(2_000, 200_000), channel,
                   (NOW - timedelta(days=rng.randrange(DAYS))).date(), districts[(vendor - 1) % len(districts)],
                   "order" if channel == "online" else "console", NOW)
    load(db, Sale.__table__, SALE_COLUMNS, sale_rows(args.sales))

    statuses = ("placed", "accepted", "paid", "shipped", "received", "received", "received", "cancelled")
    sharers = max(1, args.orders // 100)
    load(db, Sharer.__table__, ("id", "line_user_id", "joined_at"), ((s + 1, user(citizens + s), NOW)
                                                                      for s in range(sharers)))
    links = max(1, min(args.orders // 20, products))  # one link per product keeps (sharer, product) unique
    load(db, ReferralLink.__table__, ("id", "code", "sharer_id", "product_id", "created_at"),
         ((k + 1, f"C{k:07d}", k % sharers + 1, k + 1, NOW) for k in range(links)))
    load(db, ReferralClick.__table__, ("link_id", "visitor", "clicked_at"),
         ((rng.randrange(links) + 1, f"{rng.getrandbits(64):016x}", _moment(rng)) for _ in range(args.orders)))
    order_rows, commission_rows = [], []
    for o in range(args.orders):
        product = rng.randrange(products) + 1
        vendor = (product - 1) % vendors + 1
        placed = _moment(rng)
        link = rng.randrange(links) + 1 if o % 10 == 0 else None
        order_rows.append((o + 1, f"seed-{o}", vendor, product, "สินค้า", 1, 10_000, "thailand_post", 0, 10_000,
                           "promptpay", "mueang", statuses[o % len(statuses)], link, placed, placed))
        if link is not None:
            commission_rows.append((o + 1, (link - 1) % sharers + 1, vendor, link, 10, 1_000, "approved", placed,
                                    placed))
    load(db, Order.__table__, ("id", "request_key", "vendor_id", "product_id", "product_name", "quantity",
                               "unit_price_satang", "delivery_option", "delivery_fee_satang", "total_satang",
                               "payment_method", "buyer_district", "status", "referral_link_id", "placed_at",
                               "updated_at"), order_rows)
    load(db, Commission.__table__, ("order_id", "sharer_id", "vendor_id", "link_id", "rate_percent", "amount_satang",
                                    "status", "created_at", "updated_at"), commission_rows)

    projects = args.projects
    load(db, Project.__table__, ("id", "kind", "title", "description", "districts", "location", "stage",
                                 "published", "created_at", "updated_at"),
         ((p + 1, PROJECT_KINDS[p % 3], f"โครงการ {p}", "", _json(db, [districts[p % len(districts)]]), "",
           "completed" if p % 2 else "in_progress", True, NOW - timedelta(days=400), NOW) for p in range(projects)))
    load(db, ProjectStageChange.__table__, ("project_id", "stage", "changed_at"),
         ((p + 1, "announced", NOW - timedelta(days=400)) for p in range(projects)))
    trainings = projects * 2
    load(db, Training.__table__, ("id", "project_id", "title", "description", "topic_tags", "venue_name",
                                  "starts_at", "ends_at", "capacity", "signup_deadline", "districts", "what_to_bring",
                                  "status", "survey_delay_hours", "created_at", "updated_at"),
         ((t + 1, t % projects + 1, f"อบรม {t}", "", _json(db, []), "", start, start + timedelta(hours=6), 100,
           start, _json(db, []), "", "published", 2, NOW, NOW)
          for t, start in ((t, _moment(rng) + timedelta(days=30)) for t in range(trainings))))
    signups = min(args.signups, citizens * 2)
    pairs = sorted({(rng.randrange(trainings) + 1, rng.randrange(citizens) + 1) for _ in range(signups)})
    load(db, TrainingSignup.__table__, ("training_id", "citizen_id", "status", "checkin_code", "queued_at",
                                        "created_at", "checked_in_at"),
         ((t, c, "confirmed" if i % 9 else "cancelled", f"K{i:010d}", NOW, NOW, NOW if i % 3 else None)
          for i, (t, c) in enumerate(pairs)))

    # Surveys: one per training (3 rating questions) and one per completed project (2 questions).
    survey_rows, question_rows = [], []
    question_id = 0
    survey_questions: list[list[int]] = []
    for t in range(trainings):
        survey_rows.append((t + 1, f"แบบสอบถาม {t}", "", "training", "active", t + 1, None, NOW, NOW))
        ids = []
        for q in range(3):
            question_id += 1
            question_rows.append((question_id, t + 1, q, "rating", f"ข้อ {q + 1}", _json(db, []), True))
            ids.append(question_id)
        survey_questions.append(ids)
    for p in range(projects):
        sid = trainings + p + 1
        survey_rows.append((sid, f"ความเห็นโครงการ {p}", "", "project", "active", None, p + 1, NOW, NOW))
        ids = []
        for q in range(2):
            question_id += 1
            question_rows.append((question_id, sid, q, "rating", f"ข้อ {q + 1}", _json(db, []), True))
            ids.append(question_id)
        survey_questions.append(ids)
    load(db, Survey.__table__, ("id", "title", "intro", "kind", "status", "training_id", "project_id", "created_at",
                                "updated_at"), survey_rows)
    load(db, SurveyQuestion.__table__, ("id", "survey_id", "position", "kind", "prompt", "options", "required"),
         question_rows)
    response_rows, answer_rows = [], []
    response_id = 0
    seen: set[tuple[int, int]] = set()
    while len(answer_rows) < args.answers:
        survey = rng.randrange(len(survey_rows)) + 1
        citizen = rng.randrange(citizens) + 1
        if (survey, citizen) in seen:
            continue
        seen.add((survey, citizen))
        response_id += 1
        at = _moment(rng)
        response_rows.append((response_id, survey, citizen, at, at, _json(db, [])))
        for qid in survey_questions[survey - 1]:
            answer_rows.append((response_id, qid, rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 6, 5))[0], False, at))
    load(db, SurveyResponse.__table__, ("id", "survey_id", "citizen_id", "started_at", "completed_at",
                                        "pending_choices"), response_rows)
    load(db, SurveyAnswer.__table__, ("response_id", "question_id", "rating", "skipped", "answered_at"),
         answer_rows[:args.answers])

    announcements = args.announcements
    load(db, Announcement.__table__, ("id", "title", "messages", "audience", "source", "project_id", "status",
                                      "send_at", "sent_at", "recipient_count", "created_by", "created_at"),
         ((a + 1, f"ประกาศ {a}", _json(db, [{"type": "text", "text": "ข่าว"}]),
           _json(db, {"districts": [districts[a % len(districts)]] if a % 2 else []}), "console", a % projects + 1,
           "sent", at, at, 1_000, ADMIN, at) for a, at in ((a, _moment(rng)) for a in range(announcements))))
    load(db, OutboxMessage.__table__, ("kind", "retry_key", "recipients", "recipient_count", "messages", "options",
                                       "source", "status", "attempts", "available_at", "created_at"),
         (("multicast" if a % 2 else "broadcast", f"{a:08d}-0000-0000-0000-{b:012d}", _json(db, []), 500,
           _json(db, []), _json(db, {}), f"announcement:{a + 1}", "sent", 1, NOW, NOW)
          for a in range(announcements) for b in range(2)))

    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            for table in ("citizens", "market_vendors", "market_products", "referral_sharers", "referral_links",
                          "market_orders", "projects", "trainings", "surveys", "survey_questions",
                          "survey_responses", "announcements"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    with db.transaction() as session:
        busiest = session.execute(select(Training.project_id, func.count()).group_by(Training.project_id)
                                  .order_by(func.count().desc(), Training.project_id).limit(1)).first()
    return {"project_id": int(busiest[0]) if busiest else 1, "sale_rows": sale_rows}


def _app(url: str, instance: str) -> Any:
    from app import create_app

    return create_app({"DATABASE_URL": url, "RUN_WORKERS": False, "RUN_SCHEDULER": False, "MIGRATE": False,
                       "INSTANCE_PATH": instance, "ADMIN_LINE_USER_IDS": (ADMIN,), "API_TOKEN": TOKEN,
                       "SECRET_KEY": "bench-secret", "PUBLIC_BASE_URL": "http://kk.bench",
                       "clock": lambda: NOW})


def _signed_in(app: Any) -> Any:
    """A test client signed in as the configured admin, the way a person signs in (token link, then the button)."""
    import re

    from services.staff import issue_login_token

    client = app.test_client()
    rt = app.extensions["kk"]
    with rt.db.transaction() as session:
        token = issue_login_token(session, ADMIN, NOW, (ADMIN,))
    page = client.get(f"/console/login/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf, "no sign-in form"
    client.post(f"/console/login/{token}", data={"csrf_token": csrf.group(1)})
    return client


def _time(runs: int, call: Any) -> dict[str, Any]:
    """One warm-up call, then `runs` timed calls: median and max in ms."""
    call()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return {"n": runs, "median_ms": ms(statistics.median(seconds)), "max_ms": ms(max(seconds))}


def _get(client: Any, path: str, headers: dict[str, str] | None = None) -> Any:
    def call() -> None:
        response = client.get(path, headers=headers or {})
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
    return call


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    server = args.pg_server or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_SERVER
    with database(args.db, server) as url, tempfile.TemporaryDirectory() as instance:
        db = Database(url)
        upgrade(db)
        started = time.perf_counter()
        seeded = seed(db, args, rng)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with db.transaction() as session:
            rolled = report_rollups.rebuild(session, NOW)
        rollup_seconds = time.perf_counter() - started
        # Sales recorded since the last refresh, which reports count live: far more than the 5 minutes between runs
        # of the job ever bring, so the timings below are a worst case.
        load(db, Sale.__table__, SALE_COLUMNS, seeded["sale_rows"](args.tail))
        with db.transaction() as session:
            counts = {name: int(session.scalar(select(func.count()).select_from(model)) or 0) for name, model in (
                ("sales", Sale), ("survey_answers", SurveyAnswer), ("citizens", Citizen), ("orders", Order),
                ("signups", TrainingSignup), ("referral_clicks", ReferralClick))}
        project_id = seeded["project_id"]
        district = "mueang"
        period = (date(2026, 1, 1), date(2026, 6, 30))
        filters = reports.Filters(period[0], period[1], district, None)

        def summary() -> None:
            with db.transaction() as session:
                reports.province_summary(session, reports.Filters(), NOW)

        def summary_filtered() -> None:
            with db.transaction() as session:
                reports.province_summary(session, filters, NOW)

        def project() -> None:
            with db.transaction() as session:
                reports.project_report(session, project_id, NOW)

        timings: dict[str, Any] = {
            "service: province_summary": _time(args.runs, summary),
            "service: province_summary (district + half year)": _time(args.runs, summary_filtered),
            "service: project_report": _time(args.runs, project),
        }
        app = _app(url, instance)
        client = _signed_in(app)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        query = f"district={district}&from={period[0]}&to={period[1]}"
        for label, path, headers in (
                ("GET /console/reports", "/console/reports", None),
                ("GET /console/reports (filtered)", f"/console/reports?{query}", None),
                ("GET /api/v1/reports/summary", "/api/v1/reports/summary", auth),
                (f"GET /console/reports/projects/{project_id}", f"/console/reports/projects/{project_id}", None),
                (f"GET /api/v1/reports/projects/{project_id}", f"/api/v1/reports/projects/{project_id}", auth)):
            timings[label] = _time(args.runs, _get(client, path, headers))
        chart_started = time.perf_counter()
        _get(client, "/console/reports/charts/sales_by_month.png")()
        timings["GET /console/reports/charts/sales_by_month.png (first)"] = {
            "n": 1, "median_ms": ms(time.perf_counter() - chart_started), "max_ms": None}
        started = time.perf_counter()
        with db.transaction() as session:
            tail_rolled = report_rollups.refresh(session, NOW)
        tail_seconds = time.perf_counter() - started
        db.dispose()
    requests = [v for k, v in timings.items() if k.startswith("GET /") and "charts" not in k]
    return {"benchmark": "reports", "database": args.db, "counts": counts, "load_seconds": round(load_seconds, 1),
            "rollup": {"rebuild_sales": rolled, "rebuild_seconds": round(rollup_seconds, 2), "live_tail": args.tail,
                       "tail_refresh_sales": tail_rolled, "tail_refresh_seconds": round(tail_seconds, 3)},
            "project_id": project_id, "timings": timings, "target_ms": TARGET_SECONDS * 1000,
            "ok": all(t["median_ms"] < TARGET_SECONDS * 1000 for t in requests), "machine": machine()}


def report(result: dict[str, Any]) -> str:
    c = result["counts"]
    lines = [f"reports on {result['database']}: {c['sales']:,} sales, {c['survey_answers']:,} survey answers, "
             f"{c['citizens']:,} citizens, {c['orders']:,} orders, {c['signups']:,} sign-ups, "
             f"{c['referral_clicks']:,} clicks (loaded in {result['load_seconds']} s)",
             f"  rollup: rebuilt from {result['rollup']['rebuild_sales']:,} sales in "
             f"{result['rollup']['rebuild_seconds']} s; timed with {result['rollup']['live_tail']:,} newer sales "
             f"counted live; refreshing those took {result['rollup']['tail_refresh_seconds']} s",
             f"  {'what':<58}{'n':>4}{'median':>12}{'max':>12}"]
    for label, t in result["timings"].items():
        worst = f"{t['max_ms']:>9} ms" if t["max_ms"] is not None else f"{'':>12}"
        lines.append(f"  {label:<58}{t['n']:>4}{t['median_ms']:>9} ms{worst}")
    lines.append(f"  target: < {result['target_ms']:.0f} ms per request: {'met' if result['ok'] else 'NOT met'}")
    lines.append(f"  machine: {result['machine']}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--pg-server", default=None,
                        help="a PostgreSQL server URL (default: TEST_DATABASE_URL, else the local server)")
    parser.add_argument("--citizens", type=int, default=50_000)
    parser.add_argument("--vendors", type=int, default=2_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--signups", type=int, default=30_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--announcements", type=int, default=500)
    parser.add_argument("--tail", type=int, default=10_000, help="sales after the rollup's watermark when timed")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per request (after one warm-up)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", help="also write the result as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(report(result), flush=True)
    emit(result, args.json)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
