"""Thai words of link previews (Open Graph / Twitter card tags and the 1200×630 preview images)."""

from __future__ import annotations

LOCALE = "th_TH"

# The small label above the title on a preview image.
KIND_PROJECT = "โครงการ อบจ.ขอนแก่น"
KIND_PRODUCT = "สินค้าชุมชน"
KIND_TRAINING = "อบรมฟรี"
KIND_PAGE = "อบจ.ขอนแก่น"

BADGE_CERTIFIED = "ได้รับการรับรอง"
STAGE = "ขั้นตอน: {stage}"
DISTRICTS = "อ.{names}"
PROVINCE_WIDE = "ทั้งจังหวัด"
TRAINING_WHEN = "วันที่ {when}"
SEATS_LEFT = "เหลือ {n} ที่นั่ง"
SEATS_FULL = "ที่นั่งเต็มแล้ว (ลงชื่อสำรองได้)"
TRAINING_CANCELLED = "ยกเลิกแล้ว"
SHOP = "{shop} อ.{district}"

# Descriptions in og:description (what LINE and Facebook print under the title).
PROJECT_DESCRIPTION = "{stage} · {districts}"
PRODUCT_DESCRIPTION = "{price} · {shop} อ.{district}"
PRODUCT_CERTIFIED_DESCRIPTION = "{price} · {shop} อ.{district} · ได้รับการรับรอง"
TRAINING_DESCRIPTION = "{when} · {seats}"
CERTIFICATE_TITLE = "ใบรับรอง {number}"
CERTIFICATE_DESCRIPTION = "{product} · {shop} อ.{district}"

# Fixed public pages that share one drawn card each: title and subtitle on the image.
PAGES = {
    "projects": ("โครงการของ อบจ.ขอนแก่น", "ติดตามทุกขั้นตอน ก่อนและหลัง"),
    "market": ("ตลาดชุมชนขอนแก่น", "สินค้าที่ได้รับการรับรองจาก อบจ."),
    "certificate": ("ตรวจใบรับรองสินค้า", "สแกนหรือพิมพ์เลขที่ใบรับรอง"),
    "results": ("ผลการดำเนินงาน", "ผู้เข้าร่วม ความพึงพอใจ และยอดขาย"),
    "site": ("ชุมชนดิจิทัล อบจ.ขอนแก่น", "ข่าวโครงการ อบรม และตลาดชุมชน"),
}

# The "copy the link" field under the share buttons (no script: the field is selected and copied by hand).
COPY_LINK = "หรือคัดลอกลิงก์นี้ไปแชร์"
