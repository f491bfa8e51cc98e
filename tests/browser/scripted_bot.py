"""A small scripted bot for the simulator's browser test: a signed /callback that answers 200 at once and
replies from a background thread through the real line-bot-sdk client to the LINE emulator server.

It sends one of everything the simulator must draw: text with a link and quick replies, a Flex bubble with a
postback button, a Flex carousel, buttons/confirm/image-carousel templates, an image and a sticker; and it
sets a default rich menu whose image it draws with Pillow.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from flask import Flask, Response, abort, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    Message,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)
from linebot.v3.webhooks import (
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
)
from PIL import Image, ImageDraw, ImageFont

GREETING = "สวัสดีค่ะ ยินดีต้อนรับสู่ชุมชนดิจิทัล อบจ.ขอนแก่น"
CONFIRMED = "สมัครเรียบร้อยแล้วค่ะ"
PHOTO_RECEIVED = "ได้รับรูปภาพแล้วค่ะ"
LOCATION_RECEIVED = "ได้รับตำแหน่งแล้วค่ะ"
TIMEOUT = 10


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        import fontpkg

        return ImageFont.truetype(str(fontpkg.path("Sarabun", 700 if bold else 400)), size)
    except Exception:  # no Thai font: boxes instead of letters, still a valid image
        return ImageFont.load_default()


def draw_picture(width: int, height: int, top: str, bottom: str, label: str = "") -> bytes:
    """A gradient picture with an optional caption, as PNG bytes."""
    image = Image.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(image)
    t = tuple(int(top[i:i + 2], 16) for i in (1, 3, 5))
    b = tuple(int(bottom[i:i + 2], 16) for i in (1, 3, 5))
    for y in range(height):
        k = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(t[i] + (b[i] - t[i]) * k) for i in range(3)))
    if label:
        font = _font(max(18, height // 7), bold=True)
        draw.text((width / 2, height / 2), label, font=font, fill="#ffffff", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def draw_rich_menu(labels: list[str]) -> bytes:
    """A 2500x843 rich menu image with one labelled cell per area."""
    width, height = 2500, 843
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    cell = width // len(labels)
    colours = ["#06c755", "#1e88e5", "#f4511e"]
    font = _font(120, bold=True)
    for i, label in enumerate(labels):
        draw.rectangle([i * cell + 12, 12, (i + 1) * cell - 12, height - 12], fill=colours[i % len(colours)])
        draw.text((i * cell + cell / 2, height / 2), label, font=font, fill="#ffffff", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def confirm_bubble(base: str) -> dict:
    """The Flex card the test taps: hero image, details, a primary postback button."""
    return {
        "type": "flex",
        "altText": "อบรมการขายออนไลน์",
        "contents": {
            "type": "bubble",
            "hero": {"type": "image", "url": f"{base}/img/hero.png", "size": "full", "aspectRatio": "20:13",
                     "aspectMode": "cover"},
            "body": {
                "type": "box", "layout": "vertical", "spacing": "md",
                "contents": [
                    {"type": "text", "text": "อบรมการขายออนไลน์", "weight": "bold", "size": "xl", "wrap": True},
                    {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
                        {"type": "text", "text": "วันที่", "color": "#8c8c8c", "size": "sm", "flex": 2},
                        {"type": "text", "text": "5 ธ.ค. 2569 เวลา 09:00", "size": "sm", "flex": 5, "wrap": True},
                    ]},
                    {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
                        {"type": "text", "text": "สถานที่", "color": "#8c8c8c", "size": "sm", "flex": 2},
                        {"type": "text", "text": "ศาลากลางจังหวัดขอนแก่น", "size": "sm", "flex": 5, "wrap": True},
                    ]},
                    {"type": "text", "size": "sm", "wrap": True, "contents": [
                        {"type": "span", "text": "เหลือที่ว่าง "},
                        {"type": "span", "text": "12 ที่", "weight": "bold", "color": "#06c755"},
                    ]},
                ],
            },
            "footer": {
                "type": "box", "layout": "vertical", "spacing": "sm",
                "contents": [
                    {"type": "button", "style": "primary", "color": "#06c755",
                     "action": {"type": "postback", "label": "ยืนยันการสมัคร", "data": "signup:7",
                                "displayText": "ยืนยันการสมัคร"}},
                    {"type": "button", "style": "link", "height": "sm",
                     "action": {"type": "uri", "label": "ดูรายละเอียด", "uri": "https://www.kkpao.go.th/"}},
                ],
            },
        },
    }


def showcase(base: str) -> list[dict]:
    """One of each other kind of message (LINE allows five per request)."""
    product = {
        "type": "bubble", "size": "kilo",
        "hero": {"type": "image", "url": f"{base}/img/product.png", "size": "full", "aspectRatio": "1:1",
                 "aspectMode": "cover"},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "text", "text": "ผ้าไหมมัดหมี่ขอนแก่น", "weight": "bold", "wrap": True, "maxLines": 2},
            {"type": "box", "layout": "horizontal", "contents": [
                {"type": "text", "text": "฿1,200", "color": "#e53935", "weight": "bold", "size": "lg", "flex": 0},
                {"type": "filler"},
                {"type": "box", "layout": "vertical", "cornerRadius": "xxl", "backgroundColor": "#e3f8ea",
                 "paddingAll": "xs", "paddingStart": "md", "paddingEnd": "md", "flex": 0, "justifyContent": "center",
                 "contents": [{"type": "text", "text": "รับรองแล้ว", "size": "xxs", "color": "#067a38"}]},
            ]},
            {"type": "separator", "margin": "md"},
            {"type": "text", "text": "สะอาด · สดใหม่ · ส่งทั่วประเทศ", "size": "xs", "color": "#8c8c8c", "wrap": True},
        ]},
        "footer": {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
            {"type": "button", "style": "secondary", "height": "sm",
             "action": {"type": "message", "label": "สั่งซื้อ", "text": "สั่งซื้อ ผ้าไหม"}},
        ]},
    }
    other = dict(product, hero=dict(product["hero"], url=f"{base}/img/product2.png"))
    return [
        {"type": "flex", "altText": "สินค้าชุมชน", "contents": {"type": "carousel", "contents": [product, other]}},
        {"type": "template", "altText": "แบบสอบถาม", "template": {
            "type": "buttons", "thumbnailImageUrl": f"{base}/img/survey.png", "title": "แบบสอบถามความพึงพอใจ",
            "text": "ใช้เวลาไม่เกิน 1 นาที", "actions": [
                {"type": "postback", "label": "เริ่มทำแบบสอบถาม", "data": "survey:start", "displayText": "เริ่ม"},
                {"type": "datetimepicker", "label": "เลือกวันนัด", "data": "survey:date", "mode": "date"},
            ]}},
        {"type": "template", "altText": "ยืนยัน?", "template": {
            "type": "confirm", "text": "ต้องการรับข่าวสารทุกสัปดาห์ไหมคะ", "actions": [
                {"type": "message", "label": "รับ", "text": "รับข่าวสาร"},
                {"type": "message", "label": "ไม่รับ", "text": "ไม่รับข่าวสาร"},
            ]}},
        {"type": "image", "originalContentUrl": f"{base}/img/photo.png", "previewImageUrl": f"{base}/img/photo.png"},
        {"type": "sticker", "packageId": "446", "stickerId": "1988"},
    ]


class ScriptedBot:
    """The bot: webhook app plus the SDK client it answers with."""

    def __init__(self, channel_secret: str, access_token: str, line_api_base: str) -> None:
        self.parser = WebhookParser(channel_secret)
        self.configuration = Configuration(host=line_api_base, access_token=access_token)
        self.base_url = ""  # set once the server listens: image URLs in messages are absolute
        self.errors: list[BaseException] = []
        self.images = {
            "hero": draw_picture(1040, 676, "#0f9d58", "#0b5e3b", "อบรมการขายออนไลน์"),
            "product": draw_picture(600, 600, "#8e24aa", "#3949ab", "ผ้าไหม"),
            "product2": draw_picture(600, 600, "#f4511e", "#c62828", "ผ้าฝ้าย"),
            "survey": draw_picture(755, 500, "#1e88e5", "#0d47a1", "แบบสอบถาม"),
            "photo": draw_picture(800, 600, "#ffb300", "#ef6c00", "กิจกรรม"),
        }
        self.app = self._build_app()

    def _build_app(self) -> Flask:
        app = Flask("scripted-bot")

        @app.post("/callback")
        def callback() -> str:
            body = request.get_data(as_text=True)
            try:
                events = self.parser.parse(body, request.headers.get("x-line-signature", ""))
            except InvalidSignatureError:
                abort(400)
            threading.Thread(target=self._handle_all, args=(events,), daemon=True).start()
            return "OK"

        @app.get("/img/<name>.png")
        def picture(name: str) -> Response:
            if name not in self.images:
                abort(404)
            return Response(self.images[name], mimetype="image/png")

        return app

    def setup_rich_menu(self) -> str:
        """Creates the default rich menu: "ตัวอย่าง" (message) and "ช่วยเหลือ" (postback)."""
        menu = {
            "size": {"width": 2500, "height": 843}, "selected": True, "name": "เมนูหลัก", "chatBarText": "เมนูหลัก",
            "areas": [
                {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                 "action": {"type": "message", "label": "ตัวอย่าง", "text": "ตัวอย่าง"}},
                {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
                 "action": {"type": "postback", "label": "ช่วยเหลือ", "data": "help", "displayText": "ช่วยเหลือ"}},
            ],
        }
        with ApiClient(self.configuration) as client:
            api = MessagingApi(client)
            menu_id = api.create_rich_menu(RichMenuRequest.from_dict(menu), _request_timeout=TIMEOUT).rich_menu_id
            MessagingApiBlob(client).set_rich_menu_image(
                menu_id, draw_rich_menu(["ตัวอย่าง", "ช่วยเหลือ"]), _headers={"Content-Type": "image/png"},
                _request_timeout=TIMEOUT)
            api.set_default_rich_menu(menu_id, _request_timeout=TIMEOUT)
        return menu_id

    def _handle_all(self, events: list[Any]) -> None:
        for event in events:
            try:
                self._handle(event)
            except BaseException as exc:  # surfaced by the test, never swallowed
                self.errors.append(exc)

    def _reply(self, token: str, messages: list[dict]) -> None:
        with ApiClient(self.configuration) as client:
            MessagingApi(client).reply_message(
                ReplyMessageRequest(reply_token=token, messages=[Message.from_dict(m) for m in messages]),
                _request_timeout=TIMEOUT)

    def _push(self, user_id: str, messages: list[dict]) -> None:
        with ApiClient(self.configuration) as client:
            MessagingApi(client).push_message(
                PushMessageRequest(to=user_id, messages=[Message.from_dict(m) for m in messages]),
                _request_timeout=TIMEOUT)

    def _handle(self, event: Any) -> None:
        base = self.base_url
        if isinstance(event, FollowEvent):
            self._reply(event.reply_token, [{
                "type": "text", "text": f"{GREETING}\nเว็บไซต์: https://www.kkpao.go.th",
                "quickReply": {"items": [
                    {"type": "action", "action": {"type": "message", "label": "สมัครอบรม", "text": "สมัครอบรม"}},
                    {"type": "action", "action": {"type": "postback", "label": "ช่วยเหลือ", "data": "help",
                                                  "displayText": "ช่วยเหลือ"}},
                    {"type": "action", "action": {"type": "location", "label": "ส่งตำแหน่ง"}},
                ]},
            }])
        elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            said = event.message.text
            if said == "ตัวอย่าง":
                self._reply(event.reply_token, [{"type": "text", "text": "ตัวอย่างข้อความทุกแบบค่ะ"}])
                self._push(event.source.user_id, showcase(base))
            else:
                self._reply(event.reply_token, [{"type": "text", "text": f"คุณพิมพ์ว่า: {said}"},
                                                confirm_bubble(base)])
        elif isinstance(event, MessageEvent) and isinstance(event.message, ImageMessageContent):
            with ApiClient(self.configuration) as client:
                data = MessagingApiBlob(client).get_message_content(event.message.id, _request_timeout=TIMEOUT)
            size = Image.open(io.BytesIO(data)).size
            self._reply(event.reply_token, [{"type": "text", "text": f"{PHOTO_RECEIVED} ({size[0]}x{size[1]})"}])
        elif isinstance(event, MessageEvent) and isinstance(event.message, LocationMessageContent):
            place = event.message
            self._reply(event.reply_token, [{"type": "text", "text":
                        f"{LOCATION_RECEIVED}: {place.title} ({place.latitude:.4f}, {place.longitude:.4f})"}])
        elif isinstance(event, PostbackEvent):
            if event.postback.data == "signup:7":
                self._reply(event.reply_token, [{"type": "text", "text": CONFIRMED}])
            elif event.postback.data == "help":
                self._reply(event.reply_token, [{"type": "text", "text": "พิมพ์ “ตัวอย่าง” เพื่อดูข้อความทุกแบบ"}])
            else:
                params = event.postback.params or {}
                self._reply(event.reply_token, [{"type": "text", "text": f"ได้รับ {event.postback.data} {params}"}])
