"""The baseline for bench/e2e.py: a minimal bot that replies inline, as line-bot-sdk v3's flask-echo example does.

It verifies the signature, parses the events with the SDK's WebhookHandler and sends the reply inside the webhook
request (so LINE's 2 s webhook budget includes LINE's own reply latency). It stores nothing and keeps no state:
what most LINE bots start from. Served the way the benchmark measures it:

    LINE_CHANNEL_SECRET=... LINE_CHANNEL_ACCESS_TOKEN=... LINE_API_BASE_URL=http://127.0.0.1:8123 \\
        .venv/bin/gunicorn -k gthread -w 2 --threads 16 bench.echo_baseline:app

Text messages are echoed, postbacks get a fixed text, a follow gets a fixed welcome. Like the example, each
event opens its own `ApiClient` (a new connection pool) and passes no timeout.
"""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import FollowEvent, MessageEvent, PostbackEvent, TextMessageContent

POSTBACK_ANSWER = "รับทราบค่ะ"
WELCOME = "ยินดีต้อนรับค่ะ"

app = Flask(__name__)

configuration = Configuration(access_token=os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", ""),
                              host=os.environ.get("LINE_API_BASE_URL", "https://api.line.me").rstrip("/"))
handler = WebhookHandler(os.environ.get("LINE_CHANNEL_SECRET", ""))


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.route("/callback", methods=["POST"])
def callback() -> str:
    signature = request.headers.get("X-Line-Signature", "")
    body = request.get_data(as_text=True)
    app.logger.debug("Request body: %s", body)
    try:
        handler.handle(body, signature)
    except InvalidSignatureError:
        app.logger.info("Invalid signature. Please check your channel access token/channel secret.")
        abort(400)
    return "OK"


def _reply(reply_token: str | None, text: str) -> None:
    with ApiClient(configuration) as api_client:
        line_bot_api = MessagingApi(api_client)
        line_bot_api.reply_message_with_http_info(
            ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text)]))


@handler.add(MessageEvent, message=TextMessageContent)
def handle_message(event: MessageEvent) -> None:
    _reply(event.reply_token, event.message.text)


@handler.add(PostbackEvent)
def handle_postback(event: PostbackEvent) -> None:
    _reply(event.reply_token, POSTBACK_ANSWER)


@handler.add(FollowEvent)
def handle_follow(event: FollowEvent) -> None:
    _reply(event.reply_token, WELCOME)


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8000")))
