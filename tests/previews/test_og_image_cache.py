"""Preview images are addressed by content hash: same content same URL, changed content a new URL (old ones
redirect), unknown ids 404, and the in-process cache stays within its bound."""

from __future__ import annotations

from models.market import Product
from services import og_images, projects
from tests.conftest import ADMIN_ID
from tests.previews.conftest import local, meta_tags


def _image_url(client, path: str) -> str:
    return local(meta_tags(client.get(path).get_data(as_text=True))["og:image"][0])


def test_same_content_same_url_changed_content_new_url(og_client, rt, clock, product_id):
    first = _image_url(og_client, f"/market/p/{product_id}")
    assert _image_url(og_client, f"/market/p/{product_id}") == first
    with rt.db.transaction() as session:
        session.get(Product, product_id).price_satang = 4900
    changed = _image_url(og_client, f"/market/p/{product_id}")
    assert changed != first and changed.startswith(f"/og/product/{product_id}-")
    old = og_client.get(first)
    assert old.status_code == 302 and old.headers["Location"].endswith(changed)
    assert "immutable" not in old.headers["Cache-Control"]
    new = og_client.get(changed)
    assert new.status_code == 200 and new.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_stage_change_or_new_cover_changes_the_project_image(og_client, rt, clock, project_id):
    first = _image_url(og_client, f"/projects/{project_id}")
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "in_progress", clock())
    staged = _image_url(og_client, f"/projects/{project_id}")
    with rt.db.transaction() as session:
        from tests.projects.conftest import photo

        projects.set_cover(session, ADMIN_ID, project_id, photo("blue", (640, 480)), clock())
    covered = _image_url(og_client, f"/projects/{project_id}")
    assert len({first, staged, covered}) == 3


def test_unknown_hidden_or_malformed_images_are_404_never_500(og_client, rt, project_id, product_id):
    card_path = _image_url(og_client, f"/projects/{project_id}")
    digest = card_path.rsplit("-", 1)[1]
    for path in ("/og/project/999-0123456789abcdef.png", f"/og/project/{2**40}-{digest}",
                 f"/og/project/{2**40}-0123456789abcdef.png", "/og/product/0-0123456789abcdef.png",
                 "/og/project/abc-0123456789abcdef.png", "/og/page/nope-0123456789abcdef.png",
                 "/og/other/1-0123456789abcdef.png", f"/og/project/{project_id}-short.png",
                 f"/og/project/{project_id}-{'x' * 16}.png", "/og/training/1-0123456789abcdef.png"):
        assert og_client.get(path).status_code == 404, path
    with rt.db.transaction() as session:
        session.get(Product, product_id).hidden = True
    assert og_client.get(_image_url(og_client, "/market").replace("page/market", "product/" + str(product_id))) \
        .status_code == 404


def test_the_cache_is_bounded_and_serves_repeats():
    cache = og_images._Lru(limit=100)
    cache.put("a", b"x" * 60)
    cache.put("b", b"y" * 30)
    assert cache.get("a") == b"x" * 60  # a is now the most recent
    cache.put("c", b"z" * 30)  # over 100 bytes: b, the least recently used, goes
    assert cache.get("b") is None and cache.get("a") and cache.get("c") and cache.size == 90
    card = og_images.page_card("market")
    assert card is not None
    og_images.CACHE.clear()
    assert og_images.cached_png(card) is None
    drawn = og_images.draw_and_keep(card, None)
    assert og_images.cached_png(card) is drawn
