"""Fixtures for the emulator's own tests: a store on a hand-driven clock, served over real HTTP, and the
official line-bot-sdk v3 clients pointed at it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob

from line_emulator.schema import MessagingApiSpec, get_spec
from line_emulator.server import EmulatorServer, serve_emulator
from line_emulator.store import EmulatorStore

TOKEN = "emulator-test-token"


class Ticks:
    """A clock for the store (seconds since the epoch) that moves only when told to."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def spec() -> MessagingApiSpec:
    return get_spec()


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def store(ticks: Ticks) -> EmulatorStore:
    return EmulatorStore(TOKEN, clock=ticks)


@pytest.fixture
def server(store: EmulatorStore) -> Iterator[EmulatorServer]:
    with serve_emulator(store) as running:
        yield running


@pytest.fixture
def api_client(server: EmulatorServer) -> Iterator[ApiClient]:
    with ApiClient(Configuration(host=server.base_url, access_token=TOKEN)) as client:
        yield client


@pytest.fixture
def api(api_client: ApiClient) -> MessagingApi:
    return MessagingApi(api_client)


@pytest.fixture
def blob(api_client: ApiClient) -> MessagingApiBlob:
    return MessagingApiBlob(api_client)


@pytest.fixture
def auth() -> dict[str, str]:
    """Headers for raw `requests` calls."""
    return {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


@pytest.fixture
def make_image() -> Callable[..., bytes]:
    """Returns a function making a real image of a given pixel size (PNG or JPEG)."""
    from PIL import Image

    def make(width: int, height: int, image_format: str = "PNG") -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), (0, 120, 80)).save(out, format=image_format)
        return out.getvalue()

    return make


# --- realistic bodies, the way our handlers and flex templates build them ---------------------------------------

@pytest.fixture
def text_with_quick_reply() -> dict:
    return {
        "type": "text",
        "text": "เลือกอำเภอของคุณ 🙏",
        "quickReply": {"items": [
            {"type": "action", "action": {"type": "postback", "label": "เมืองขอนแก่น", "data": "district:1",
                                          "displayText": "เมืองขอนแก่น"}},
            {"type": "action", "action": {"type": "message", "label": "อื่น ๆ", "text": "อื่น ๆ"}},
            {"type": "action", "imageUrl": "https://kk.example/static/pin.png",
             "action": {"type": "location", "label": "ส่งตำแหน่ง"}},
        ]},
    }


def _product_bubble(index: int) -> dict:
    return {
        "type": "bubble",
        "size": "kilo",
        "hero": {"type": "image", "url": f"https://kk.example/media/products/{index}.jpg", "size": "full",
                 "aspectRatio": "20:13", "aspectMode": "cover",
                 "action": {"type": "uri", "label": "ดูสินค้า", "uri": f"https://kk.example/p/{index}"}},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "text", "text": f"ข้าวหอมมะลิ บ้านฝาง #{index}", "weight": "bold", "size": "xl", "wrap": True},
            {"type": "box", "layout": "baseline", "contents": [
                {"type": "icon", "url": "https://kk.example/static/star.png", "size": "sm"},
                {"type": "text", "text": "สะอาด สดใหม่", "size": "sm", "color": "#666666", "flex": 0},
            ]},
            {"type": "separator", "margin": "md"},
            {"type": "text", "text": "฿120 / กก.", "size": "lg", "align": "end",
             "contents": [{"type": "span", "text": "฿120", "weight": "bold"}, {"type": "span", "text": " / กก."}]},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "height": "sm",
             "action": {"type": "postback", "label": "สั่งซื้อ", "data": f"order:{index}", "displayText": "สั่งซื้อ"}},
            {"type": "button", "style": "link",
             "action": {"type": "uri", "label": "แชร์", "uri": f"https://line.me/R/share?text=p{index}"}},
        ]},
        "styles": {"footer": {"separator": True}},
    }


@pytest.fixture
def flex_carousel() -> dict:
    return {"type": "flex", "altText": "สินค้าแนะนำ", "contents": {
        "type": "carousel", "contents": [_product_bubble(i) for i in range(3)]}}


@pytest.fixture
def buttons_template() -> dict:
    return {"type": "template", "altText": "อบรมการขายออนไลน์", "template": {
        "type": "buttons", "thumbnailImageUrl": "https://kk.example/media/training.jpg",
        "imageAspectRatio": "rectangle", "imageSize": "cover", "title": "อบรมการขายออนไลน์",
        "text": "วันเสาร์ 5 ธ.ค. 2569 ที่ศาลากลาง",
        "defaultAction": {"type": "uri", "label": "รายละเอียด", "uri": "https://kk.example/t/7"},
        "actions": [
            {"type": "postback", "label": "สมัคร", "data": "signup:7"},
            {"type": "datetimepicker", "label": "นัดวัน", "data": "pick:7", "mode": "date"},
            {"type": "uri", "label": "โทรหาเจ้าหน้าที่", "uri": "tel:043000000"},
        ]}}


@pytest.fixture
def image_message() -> dict:
    return {"type": "image", "originalContentUrl": "https://kk.example/media/report.png",
            "previewImageUrl": "https://kk.example/media/report-preview.png"}


@pytest.fixture
def rich_menu() -> dict:
    areas = [{"bounds": {"x": (i % 3) * 833, "y": (i // 3) * 843, "width": 833, "height": 843},
              "action": {"type": "postback", "label": label, "data": f"menu:{i}", "displayText": label}}
             for i, label in enumerate(["ข่าวสาร", "อบรม", "ตลาด", "สินค้า", "แบบสอบถาม", "ตั้งค่า"])]
    return {"size": {"width": 2500, "height": 1686}, "selected": True, "name": "เมนูหลัก",
            "chatBarText": "เมนูหลัก", "areas": areas}
