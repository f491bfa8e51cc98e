"""Every public page carries Open Graph and Twitter card tags with absolute URLs and a 1200×630 PNG preview."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.conftest import PUBLIC_BASE_URL
from tests.previews.conftest import local, meta_tags

REQUIRED = ("og:title", "og:description", "og:url", "og:type", "og:image", "og:image:width", "og:image:height",
            "og:locale", "og:site_name", "twitter:card", "twitter:image")


def _check_page(client, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, path
    found = meta_tags(page.get_data(as_text=True))
    for name in REQUIRED:
        assert len(found.get(name, [])) == 1, f"{path}: {name} {found.get(name)}"
    tags = {name: values[0] for name, values in found.items()}
    assert tags["og:locale"] == "th_TH" and tags["twitter:card"] == "summary_large_image"
    assert tags["og:site_name"] == "ชุมชนดิจิทัล อบจ.ขอนแก่น"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:url"].startswith(PUBLIC_BASE_URL + "/") and tags["og:image"].startswith(PUBLIC_BASE_URL + "/og/")
    assert tags["twitter:image"] == tags["og:image"]
    image = client.get(local(tags["og:image"]))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert "immutable" in image.headers["Cache-Control"]
    with Image.open(io.BytesIO(image.data)) as picture:
        assert picture.format == "PNG" and picture.size == (1200, 630)
    return tags


def test_project_page_preview_names_the_project_stage_and_districts(og_client, project_id):
    tags = _check_page(og_client, f"/projects/{project_id}?s=line")
    assert tags["og:title"] == "ซ่อมถนนสายบ้านไผ่–บ้านแฮด"
    assert tags["og:description"] == "ขั้นตอน: ประกาศโครงการ · อ.บ้านไผ่, พล"
    assert tags["og:url"] == f"{PUBLIC_BASE_URL}/projects/{project_id}"  # the share tag is not in the canonical URL
    assert tags["og:type"] == "article"
    assert tags["og:image"].startswith(f"{PUBLIC_BASE_URL}/og/project/{project_id}-")


def test_product_page_preview_has_price_shop_and_certified(og_client, product_id):
    tags = _check_page(og_client, f"/market/p/{product_id}")
    assert tags["og:title"] == "น้ำพริกปลาร้าแม่ทองใบ 1"
    assert "35" in tags["og:description"] and "ร้านแม่ทองใบ" in tags["og:description"]
    assert "ได้รับการรับรอง" in tags["og:description"]
    assert tags["og:url"] == f"{PUBLIC_BASE_URL}/market/p/{product_id}"
    assert tags["og:image"].startswith(f"{PUBLIC_BASE_URL}/og/product/{product_id}-")


def test_certificate_check_preview_shows_the_product(og_client, product_id, certificate_number):
    tags = _check_page(og_client, f"/market/c/{certificate_number}")
    assert tags["og:title"] == f"ใบรับรอง {certificate_number}"
    assert tags["og:url"] == f"{PUBLIC_BASE_URL}/market/c/{certificate_number}"
    assert tags["og:image"].startswith(f"{PUBLIC_BASE_URL}/og/product/{product_id}-")


@pytest.mark.parametrize("path,key", [("/projects", "projects"), ("/market", "market"), ("/market/c", "certificate"),
                                      ("/results", "results")])
def test_list_and_fixed_pages_have_their_own_card(og_client, product_id, path, key):
    tags = _check_page(og_client, path)
    assert tags["og:image"].startswith(f"{PUBLIC_BASE_URL}/og/page/{key}-")
    assert tags["og:title"] and tags["og:description"]


def test_results_title_comes_from_the_results_texts(og_client):
    from texts import results as results_texts

    assert _check_page(og_client, "/results")["og:title"] == results_texts.TITLE


def test_an_unmapped_public_page_still_gets_the_site_card(og_client):
    tags = _check_page(og_client, "/privacy")
    assert tags["og:image"].startswith(f"{PUBLIC_BASE_URL}/og/page/site-")
    assert tags["og:url"] == f"{PUBLIC_BASE_URL}/privacy"


def test_training_preview_has_title_buddhist_era_date_and_seats(og_app, og_client, training_id):
    from web import og

    with og_app.test_request_context(f"/trainings/{training_id}"):
        page = og.build("public_trainings.training_page", {"training_id": training_id})
    assert page is not None and page.title == "ขายของออนไลน์ให้ปัง" and page.type == "article"
    assert "2569" in page.description and "เหลือ 30 ที่นั่ง" in page.description
    image = og_client.get(page.card.path)
    assert image.status_code == 200
    with Image.open(io.BytesIO(image.data)) as picture:
        assert picture.size == (1200, 630)


def test_unknown_pages_get_no_card_of_theirs(og_app, og_client):
    from web import og

    with og_app.test_request_context("/projects/999"):
        assert og.build("public_projects.project_page", {"project_id": 999}) is None
        assert og.build("public_market.product_page", {"product_id": 2**40}) is None
        assert og.build("public_market.certificate_page", {"number": "KK-0000-000000"}) is None
        assert og.build("console.dashboard", {}) is None
    assert og_client.get("/projects/999").status_code == 404


def test_a_certificate_of_a_hidden_product_previews_the_check_card(og_client, rt, product_id, certificate_number):
    from models.market import Product

    with rt.db.transaction() as session:
        session.get(Product, product_id).hidden = True
    tags = _check_page(og_client, f"/market/c/{certificate_number}")
    assert tags["og:image"].startswith(f"{PUBLIC_BASE_URL}/og/page/certificate-")
    assert tags["og:title"] == f"ใบรับรอง {certificate_number}"


def test_tags_cost_a_few_reads_by_primary_key_and_console_pages_none(og_app, rt, project_id, product_id):
    from sqlalchemy import event

    from web import og

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(rt.db.engine, "before_cursor_execute", record)
    try:
        with og_app.test_request_context(f"/projects/{project_id}"):
            og.build("public_projects.project_page", {"project_id": project_id})
        project_reads = len(statements)
        statements.clear()
        with og_app.test_request_context(f"/market/p/{product_id}"):
            og.build("public_market.product_page", {"product_id": product_id})
        product_reads = len(statements)
        statements.clear()
        with og_app.test_request_context("/projects"):
            og.build("public_projects.project_list", {})
            og.build("console.dashboard", {})
    finally:
        event.remove(rt.db.engine, "before_cursor_execute", record)
    assert project_reads == 2  # the project, its cover's digest
    assert product_reads <= 5  # product, vendor, "ever certified", current certificate
    assert statements == []
