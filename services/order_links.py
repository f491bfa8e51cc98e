"""The text that starts an order in chat, and the LINE link that types it for the buyer.

The public product page's "สั่งซื้อผ่าน LINE" opens `line.me/R/oaMessage/<LINE_OA_ID>/?<text>` with this text, and the
bot accepts exactly this text (handlers/orders.py), so the two are built and read here, in one place. The referral
code rides along in the text: that is how a click on `/r/<code>` in an anonymous browser reaches the buyer's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

ORDER_WORD = "สั่งซื้อ"
CODE_LABEL = "รหัสแนะนำ"
# Referral codes: letters and digits only (services/referrals.py makes them), so they survive any chat app.
CODE_PATTERN = r"[A-Za-z0-9]{4,16}"
_ORDER_TEXT = re.compile(rf"^{ORDER_WORD}\s*(?:สินค้า\s*)?#\s*(\d{{1,9}})(?P<rest>.*)$", re.S)
_CODE = re.compile(rf"{CODE_LABEL}\s*:?\s*({CODE_PATTERN})\b")


@dataclass(frozen=True)
class OrderRequest:
    product_id: int
    code: str | None


def order_text(product_id: int, product_name: str, code: str | None = None) -> str:
    """"สั่งซื้อ #12 ผ้าไหมมัดหมี่ (รหัสแนะนำ AB12CD34)": what the buyer's chat box is pre-filled with."""
    name = " ".join(product_name.split())[:40]
    text = f"{ORDER_WORD} #{product_id} {name}".strip()
    return f"{text} ({CODE_LABEL} {code})" if code else text


def parse_order_text(text: str | None) -> OrderRequest | None:
    """The product and referral code in an order text (whatever the product name says), or None if it is not one."""
    if not text:
        return None
    match = _ORDER_TEXT.match(text.strip())
    if match is None:
        return None
    code = _CODE.search(match.group("rest"))
    return OrderRequest(int(match.group(1)), code.group(1).upper() if code else None)


def oa_message_url(oa_id: str, message: str) -> str:
    """https://line.me/R/oaMessage/@kkpao/?<text>: opens the account's chat with the text typed for the buyer."""
    return f"https://line.me/R/oaMessage/{quote(oa_id, safe='')}/?{quote(message, safe='')}"
