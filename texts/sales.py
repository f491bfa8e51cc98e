"""Thai copy for sales records."""

from __future__ import annotations

# Words people type or tap (contracts: DESIGN.md §4; keep them).
WORD_RECORD_SALE = "บันทึกยอดขาย"

# Sales channels: "online" is written only by orders at receipt; the rest are the traditional ones a vendor picks.
CHANNELS = {
    "online": "ออนไลน์ (สั่งผ่าน LINE)",
    "storefront": "หน้าร้าน",
    "market": "ตลาดนัด",
    "fair": "งานแสดงสินค้า",
    "consignment": "ฝากขาย",
    "other": "อื่น ๆ",
}
ONLINE = "ออนไลน์"
TRADITIONAL = "ช่องทางดั้งเดิม"
SOURCES = {"order": "คำสั่งซื้อ", "refund": "คืนเงิน", "chat": "แชต", "console": "คอนโซล", "csv": "นำเข้า CSV",
           "api": "API"}

# ---- input rules -----------------------------------------------------------------------------------------------------
SHOP_BAD = "ไม่พบร้านค้านี้ หรือร้านยังไม่ได้รับอนุมัติ"
SHOP_AMBIGUOUS = "มีหลายร้านชื่อนี้ กรุณาใช้หมายเลขร้าน (vendor_id) แทน"
PRODUCT_NOT_OURS = "ไม่พบสินค้านี้ในร้านของคุณ"
PRODUCT_NAME_BAD = "ชื่อสินค้าต้องยาว 2–{max} ตัวอักษร"
QUANTITY_BAD = "จำนวนต้องเป็นตัวเลข 1–{max} ค่ะ เช่น 3"
AMOUNT_BAD = "ยอดเงินต้องเป็นตัวเลขมากกว่า 0 ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 350 หรือ 1,250.50"
CHANNEL_BAD = "ช่องทางขายต้องเป็น หน้าร้าน ตลาดนัด งานแสดงสินค้า ฝากขาย หรือ อื่น ๆ"
CHANNEL_ONLINE = "ยอดขายออนไลน์บันทึกให้อัตโนมัติเมื่อผู้ซื้อได้รับสินค้า กรุณาเลือกช่องทางอื่น"
DATE_BAD = "วันที่ไม่ถูกต้อง ใช้รูปแบบ 2026-11-23 หรือ 23/11/2569"
DATE_FUTURE = "วันที่ขายต้องไม่เกินวันนี้"
DATE_TOO_OLD = "บันทึกย้อนหลังได้ไม่เกิน 1 ปี"
STAFF_ONLY = "เฉพาะเจ้าหน้าที่เท่านั้น"

# ---- CSV import ------------------------------------------------------------------------------------------------------
CSV_TOO_LARGE = "ไฟล์ใหญ่เกินไป (ไม่เกิน {mb} MB และ {lines:,} บรรทัด) กรุณาแบ่งเป็นหลายไฟล์"
CSV_EMPTY = "ไม่พบข้อมูลในไฟล์"
CSV_NOT_UTF8 = "อ่านไฟล์ไม่ได้ กรุณาบันทึกเป็น CSV แบบ UTF-8"
CSV_HEADER_BAD = "หัวตารางไม่ครบ ต้องมีคอลัมน์: {columns}"
CSV_LINE = "บรรทัด {line}: {message}"
CSV_COLUMNS_BAD = "จำนวนช่องไม่ตรงกับหัวตาราง"
CSV_IMPORTED = "นำเข้ายอดขาย {count:,} รายการแล้ว"
CSV_NOTHING_IMPORTED = "ยังไม่ได้นำเข้า: พบ {count:,} บรรทัดที่ไม่ถูกต้อง แก้ไขแล้วส่งไฟล์ใหม่ทั้งไฟล์"

# ---- chat: "บันทึกยอดขาย" ----------------------------------------------------------------------------------------------
FLOW_TITLE = "การบันทึกยอดขาย"
ASK_PRODUCT = "บันทึกยอดขายนอก LINE 📒\nขายสินค้าอะไรคะ? แตะชื่อสินค้า หรือพิมพ์ชื่อสินค้า"
ASK_PRODUCT_NONE = "บันทึกยอดขายนอก LINE 📒\nพิมพ์ชื่อสินค้าที่ขายได้เลยค่ะ"
ASK_QUANTITY = "{product}\nขายได้กี่{unit}คะ? แตะตัวเลข หรือพิมพ์จำนวน"
DEFAULT_UNIT = "ชิ้น"
ASK_AMOUNT_PREFILLED = "{quantity:,} {unit} × {price} = {amount}\nยอดเงินถูกต้องไหมคะ? ถ้าไม่ใช่ พิมพ์ยอดเงินที่ได้รับจริง"
ASK_AMOUNT = "ได้เงินทั้งหมดกี่บาทคะ? พิมพ์ตัวเลข เช่น 350"
LABEL_AMOUNT_OK = "ใช่ {amount}"
ASK_CHANNEL = "ขายที่ไหนคะ?"
ASK_DATE = "ขายวันไหนคะ?"
LABEL_TODAY = "วันนี้"
LABEL_YESTERDAY = "เมื่อวาน"
LABEL_PICK_DATE = "เลือกวัน"
SUMMARY = ("ตรวจสอบก่อนบันทึกนะคะ\n• สินค้า: {product}\n• จำนวน: {quantity:,}\n• ยอดเงิน: {amount}\n"
           "• ช่องทาง: {channel}\n• วันที่: {date}")
LABEL_CONFIRM = "บันทึก"
LABEL_CANCEL = "ยกเลิก"
PLEASE_TAP = "กรุณาแตะปุ่มด้านล่าง หรือพิมพ์ “ยกเลิก” ค่ะ"
SAVED = "บันทึกยอดขายแล้ว ✅\n{product} {quantity:,} รายการ {amount} ({channel}, {date})"
MONTH_TOTALS = "ยอดขายเดือน{month} ของร้าน {shop}"
MONTH_LINE = "• {channel}: {amount}"
MONTH_TOTAL = "รวม {amount}"
MONTH_EMPTY = "ยังไม่มียอดขาย"
