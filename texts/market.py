"""Thai copy for the community market: vendor registration, posting products, certification, the catalog."""

# Words people type or buttons send. Contracts: keep them stable.
WORD_CATALOG = "ตลาดชุมชน"
WORD_REGISTER = "ลงทะเบียนร้านค้า"
WORD_POST = "ลงขายสินค้า"
WORD_MY_PRODUCTS = "สินค้าของฉัน"
WORD_APPROVE = "อนุมัติ"
WORD_REJECT = "ไม่อนุมัติ"
WORD_DONE = "เสร็จแล้ว"
WORD_SKIP = "ข้าม"
# "สนใจสินค้า #12": what the public page's "ask in LINE" link types for the buyer.
ASK_ABOUT_PREFIX = "สนใจสินค้า #"

CATEGORIES: dict[str, str] = {
    "produce": "ผลผลิตทางการเกษตร",
    "food": "อาหารแปรรูป",
    "otop": "หัตถกรรม OTOP",
    "textile": "ผ้าไหมและสิ่งทอ",
    "health": "ผลิตภัณฑ์สุขภาพ",
    "other": "อื่น ๆ",
}
CATEGORY_ICONS = {"produce": "🌾", "food": "🍯", "otop": "🧺", "textile": "🧣", "health": "🌿", "other": "🛍️"}

SELLING_POINTS: dict[str, str] = {
    "clean": "สะอาด",
    "fresh": "สดใหม่",
    "organic": "อินทรีย์ ปลอดสารเคมี",
    "local": "วัตถุดิบในท้องถิ่น",
    "handmade": "ทำมือ",
}

DELIVERY_OPTIONS: dict[str, str] = {
    "thailand_post": "ไปรษณีย์ไทย",
    "kerry": "Kerry Express",
    "flash": "Flash Express",
    "jt": "J&T Express",
    "pickup": "รับเองที่ร้าน",
    "local": "ส่งในพื้นที่",
}

UNITS = ("ชิ้น", "กิโลกรัม", "ขวด", "แพ็ก", "กล่อง", "ผืน", "ถุง", "กระปุก")

VENDOR_STATUS = {"pending": "รออนุมัติ", "approved": "อนุมัติแล้ว", "rejected": "ไม่อนุมัติ"}
CERT_STATUS = {
    "submitted": "รอตรวจรับรอง",
    "certified": "ได้รับการรับรอง",
    "rejected": "ไม่ผ่านการรับรอง",
    "expired": "ใบรับรองหมดอายุ",
    "revoked": "ถูกเพิกถอนการรับรอง",
}
# How a certificate reads on the public check page.
CERT_PUBLIC_STATUS = {"certified": "ใช้ได้", "expired": "หมดอายุ", "revoked": "ถูกเพิกถอน"}

# ---- vendor registration ------------------------------------------------------------------------------------------
REGISTER_TITLE = "ลงทะเบียนร้านค้า"
CONSENT_NOTICE = (
    "โครงการตลาดชุมชน อบจ.ขอนแก่น 🛍️\n"
    "เพื่อลงทะเบียนร้าน เราจะเก็บ: ชื่อร้าน ชื่อเจ้าของ เบอร์โทร อำเภอ พร้อมเพย์ (ถ้ามี) ที่อยู่รับสินค้า "
    "และช่องทางขาย\n"
    "ใช้เพื่อตรวจรับรองสินค้าและให้ผู้ซื้อติดต่อร้าน โดยชื่อร้าน เบอร์โทร ที่อยู่รับสินค้า และเพจ "
    "และ LINE ของร้าน จะแสดงให้ผู้ซื้อเห็น\n"
    "ถอนความยินยอมหรือขอลบข้อมูลได้ทุกเมื่อที่เมนู “ข้อมูลของฉัน”\n"
    "ยินยอมเข้าร่วมโครงการไหมคะ?"
)
CONSENT_YES = "ยินยอม"
CONSENT_NO = "ไม่ยินยอม"
CONSENT_DECLINED = "ไม่เป็นไรค่ะ 😊 ยังเลือกซื้อสินค้าที่ “ตลาดชุมชน” ได้เสมอนะคะ"
CONSENT_PLEASE_TAP = "กรุณากดปุ่ม “ยินยอม” หรือ “ไม่ยินยอม” ค่ะ"
ASK_SHOP = "ร้านของคุณชื่ออะไรคะ? (ไม่เกิน {max} ตัวอักษร)"
ASK_OWNER = "ชื่อ-นามสกุลของเจ้าของร้านคะ?"
ASK_PHONE = "เบอร์โทรที่ผู้ซื้อติดต่อได้คะ? 📞 (มือถือ เช่น 081-234-5678 หรือเบอร์ร้าน เช่น 043-123-456)"
ASK_DISTRICT = "ร้านอยู่อำเภอไหนคะ? เลือกจากปุ่ม หรือพิมพ์ชื่ออำเภอ"
ASK_DISTRICT_ALT = "เลือกอำเภอของร้าน"
DISTRICT_CARD_TITLE = "อำเภอของร้าน ({page}/{pages})"
DISTRICT_NOT_FOUND = "ไม่พบอำเภอ “{text}” ในจังหวัดขอนแก่นค่ะ กรุณากดเลือกจากปุ่มนะคะ"
ASK_PROMPTPAY = "พร้อมเพย์ของร้าน (เบอร์มือถือ 10 หลัก หรือเลขบัตรประชาชน 13 หลัก) ถ้าไม่มีกด “ข้าม” ค่ะ"
ASK_ADDRESS = "ที่อยู่สำหรับรับสินค้าคะ? (บ้านเลขที่ หมู่ ตำบล)"
ASK_FACEBOOK = "มีเพจ Facebook ของร้านไหมคะ? ส่งลิงก์เพจมาได้เลย ถ้าไม่มีกด “ข้าม” ค่ะ\n(ผู้ซื้อติดต่อผ่านแชต LINE นี้ได้อยู่แล้ว)"
ASK_DELIVERY = "ส่งสินค้าช่องทางไหนได้บ้างคะ? กดเลือกได้หลายข้อ แล้วกด “เสร็จแล้ว”"
DELIVERY_CHOSEN = "เลือกแล้ว: {chosen}"
DELIVERY_NONE_YET = "ยังไม่ได้เลือกค่ะ"
DELIVERY_NEED_ONE = "กรุณาเลือกการส่งสินค้าอย่างน้อย 1 ช่องทางค่ะ"
REGISTER_SUMMARY = (
    "ตรวจสอบข้อมูลร้านค่ะ\n"
    "🏪 {shop}\n👤 {owner}\n📞 {phone}\n📍 อ.{district}\n💳 พร้อมเพย์: {promptpay}\n🏠 {address}\n"
    "💬 ช่องทางขาย: {channels}\n🚚 ส่งสินค้า: {delivery}"
)
CONFIRM = "ยืนยัน"
START_OVER = "เริ่มใหม่"
CONFIRM_PLEASE_TAP = "กรุณากด “ยืนยัน” หรือ “เริ่มใหม่” ค่ะ"
REGISTERED = "ส่งใบสมัครร้าน “{shop}” แล้วค่ะ ✅\nเจ้าหน้าที่จะตรวจสอบและแจ้งผลทางแชตนี้นะคะ"
ALREADY_PENDING = "ร้าน “{shop}” รอเจ้าหน้าที่อนุมัติอยู่ค่ะ จะแจ้งผลทางแชตนี้นะคะ"
ALREADY_APPROVED = "คุณเป็นร้านค้าของตลาดชุมชนแล้วค่ะ 🏪 “{shop}”\nกด “ลงขายสินค้า” เพื่อเพิ่มสินค้าได้เลย"
NONE = "-"
CHANNEL_LINE = "แชต LINE"
CHANNEL_FACEBOOK = "เพจ Facebook"

# validation
SHOP_BAD = "ชื่อร้านต้องยาว 2–{max} ตัวอักษรค่ะ ลองใหม่อีกครั้งนะคะ"
PROMPTPAY_BAD = ("พร้อมเพย์ไม่ถูกต้องค่ะ ต้องเป็นเบอร์มือถือ 10 หลัก (เช่น 0812345678) "
                 "หรือเลขบัตรประชาชน 13 หลักที่ถูกต้อง ถ้าไม่มีกด “ข้าม” ค่ะ")
ADDRESS_BAD = "กรุณาพิมพ์ที่อยู่ 5–{max} ตัวอักษรค่ะ"
FACEBOOK_BAD = "ลิงก์ไม่ใช่เพจ Facebook ค่ะ ตัวอย่าง: https://www.facebook.com/ชื่อเพจ ถ้าไม่มีกด “ข้าม” ค่ะ"
NAME_BAD = "ชื่อสินค้าต้องยาว 2–{max} ตัวอักษรค่ะ"
PRICE_BAD = ("ราคาไม่ถูกต้องค่ะ กรุณาพิมพ์เป็นตัวเลข เช่น 35 หรือ 35.50 หรือ 1,200 "
             "(มากกว่า 0 และไม่เกิน 1,000,000 บาท)")
UNIT_BAD = "หน่วยต้องยาว 1–{max} ตัวอักษรค่ะ เช่น ชิ้น กิโลกรัม ขวด"
DESCRIPTION_BAD = "รายละเอียดต้องยาว 5–{max} ตัวอักษรค่ะ"
STOCK_BAD = "กรุณาพิมพ์จำนวนเป็นตัวเลข 0–{max} ค่ะ เช่น 20"
PLEASE_TYPE = "กรุณาพิมพ์เป็นข้อความค่ะ"
PLEASE_TAP = "กรุณากดเลือกจากปุ่มค่ะ"

# ---- posting a product ---------------------------------------------------------------------------------------------
POST_TITLE = "ลงขายสินค้า"
NOT_A_VENDOR = "ต้องลงทะเบียนร้านค้าก่อนนะคะ กด “ลงทะเบียนร้านค้า” ได้เลยค่ะ"
VENDOR_NOT_APPROVED = "ร้าน “{shop}” ยังรอเจ้าหน้าที่อนุมัติอยู่ค่ะ เมื่ออนุมัติแล้วจะลงขายสินค้าได้นะคะ"
VENDOR_REJECTED = "ใบสมัครร้านไม่ผ่านการอนุมัติค่ะ เหตุผล: {reason}\nแก้ไขแล้วสมัครใหม่ได้ที่ “ลงทะเบียนร้านค้า” ค่ะ"
ASK_NAME = "สินค้าชื่ออะไรคะ? (ไม่เกิน {max} ตัวอักษร)"
ASK_CATEGORY = "สินค้าอยู่หมวดไหนคะ?"
ASK_PRICE = "ราคาเท่าไรคะ? (พิมพ์ตัวเลข เช่น 35 หรือ 1,200)"
ASK_UNIT = "ราคานี้ต่อหน่วยอะไรคะ? เลือกจากปุ่ม หรือพิมพ์เองได้"
ASK_DESCRIPTION = "เล่ารายละเอียดสินค้าสั้น ๆ ค่ะ (ไม่เกิน {max} ตัวอักษร)"
ASK_POINTS = "จุดเด่นของสินค้าคะ? กดเลือกได้หลายข้อ แล้วกด “เสร็จแล้ว”"
POINTS_CHOSEN = "เลือกแล้ว: {chosen}"
ASK_PHOTOS = "ส่งรูปสินค้า 1–5 รูปค่ะ 📷 (กดไอคอนรูปภาพด้านล่าง)"
PHOTO_RECEIVED = "ได้รับรูปที่ {count} แล้วค่ะ ({count}/{max}) ส่งเพิ่มได้ หรือกด “เสร็จแล้ว”"
PHOTO_LAST = "ได้รับรูปครบ {max} รูปแล้วค่ะ ✅"
PHOTO_SIXTH = "ขออภัยค่ะ รับได้ไม่เกิน {max} รูป รูปนี้ไม่ได้บันทึกนะคะ กด “เสร็จแล้ว” เพื่อไปต่อ"
PHOTO_EXPECTED = "กรุณาส่งเป็นรูปภาพค่ะ 📷"
PHOTO_EXPECTED_OR_DONE = "กรุณาส่งเป็นรูปภาพ หรือกด “เสร็จแล้ว” ค่ะ"
PHOTO_NEED_ONE = "ต้องมีรูปสินค้าอย่างน้อย 1 รูปค่ะ 📷"
PHOTO_FETCH_FAILED = "ขออภัยค่ะ ดึงรูปนี้ไม่สำเร็จ กรุณาส่งใหม่อีกครั้งนะคะ"
ASK_STOCK = "มีสินค้าพร้อมขายกี่{unit}คะ? (พิมพ์ตัวเลข)"
PREVIEW_INTRO = "ตัวอย่างที่ผู้ซื้อจะเห็นค่ะ 👇 ถ้าถูกต้องกด “ส่งตรวจรับรอง”"
SUBMIT = "ส่งตรวจรับรอง"
SUBMITTED = ("ส่ง “{name}” ให้เจ้าหน้าที่ตรวจรับรองแล้วค่ะ ✅\n"
             "เมื่อผ่านการรับรอง สินค้าจะขึ้นใน “ตลาดชุมชน” และจะแจ้งทางแชตนี้นะคะ")
PREVIEW_ALT = "ตัวอย่างสินค้า: {name}"

# ---- my products ----------------------------------------------------------------------------------------------------
MY_PRODUCTS_EMPTY = "ยังไม่มีสินค้าค่ะ กด “ลงขายสินค้า” เพื่อเริ่มขายได้เลย"
MY_PRODUCTS_ALT = "สินค้าของฉัน ({count} รายการ)"
MY_PRODUCTS_INTRO = "สินค้าของร้าน “{shop}” ทั้งหมด {count} รายการค่ะ"
EDIT_PRICE = "แก้ราคา"
EDIT_STOCK = "แก้จำนวน"
HIDE = "ซ่อน"
SHOW = "แสดง"
DELETE = "ลบ"
CERTIFICATE = "ใบรับรอง/QR"
RESUBMIT = "ขอรับรองใหม่"
RENEW = "ต่ออายุใบรับรอง"
STOCK_LINE = "คงเหลือ {stock} {unit}"
HIDDEN_TAG = "ซ่อนอยู่"
REASON_LINE = "เหตุผล: {reason}"
VALID_UNTIL_LINE = "ถึง {date}"
EDIT_TITLE = "แก้ไขสินค้า"
ASK_NEW_PRICE = "ราคาใหม่ของ “{name}” คะ? (ตอนนี้ {price})"
ASK_NEW_STOCK = "จำนวนคงเหลือของ “{name}” คะ? (ตอนนี้ {stock} {unit})"
PRICE_SAVED = "แก้ราคา “{name}” เป็น {price} แล้วค่ะ ✅"
STOCK_SAVED = "แก้จำนวน “{name}” เป็น {stock} {unit} แล้วค่ะ ✅"
OUT_OF_STOCK_NOTE = "สินค้าหมด จะไม่แสดงในตลาดจนกว่าจะเพิ่มจำนวนนะคะ"
HIDDEN_DONE = "ซ่อน “{name}” จากตลาดแล้วค่ะ"
SHOWN_DONE = "แสดง “{name}” ในตลาดแล้วค่ะ"
ASK_DELETE = "ลบ “{name}” ใช่ไหมคะ? ลบแล้วกู้คืนไม่ได้ และใบรับรองจะถูกยกเลิก"
DELETE_YES = "ลบเลย"
DELETE_NO = "ไม่ลบ"
DELETED = "ลบ “{name}” แล้วค่ะ"
NOT_DELETED = "ไม่ลบค่ะ สินค้ายังอยู่เหมือนเดิม"
DELETED_REASON = "ผู้ขายนำสินค้าออกจากระบบ"
NOT_YOUR_PRODUCT = "ขออภัยค่ะ ไม่พบสินค้านี้ในร้านของคุณ"
RESUBMITTED = "ส่ง “{name}” ให้เจ้าหน้าที่ตรวจรับรองอีกครั้งแล้วค่ะ ✅"
CERT_CARD_ALT = "ใบรับรอง {number}"
CERT_CARD_TEXT = ("ใบรับรองเลขที่ {number}\nสินค้า: {name}\nใช้ได้ถึง {until}\n"
                  "พิมพ์ QR นี้ติดบนฉลาก ผู้ซื้อสแกนเพื่อตรวจสอบได้ค่ะ")
OPEN_CERT_PAGE = "เปิดหน้าตรวจสอบ"
NO_CERTIFICATE = "สินค้านี้ยังไม่มีใบรับรองที่ใช้ได้ค่ะ"

# ---- certification (staff) ------------------------------------------------------------------------------------------
STAFF_NEW_VENDOR = ("🏪 ร้านค้าสมัครใหม่ รออนุมัติ\n{shop} · อ.{district}\nเจ้าของ: {owner} · โทร {phone}\n"
                    "ส่งสินค้า: {delivery}")
STAFF_NEW_VENDOR_ALT = "ร้านค้าสมัครใหม่: {shop}"
STAFF_NEW_PRODUCT_ALT = "สินค้ารอตรวจรับรอง: {name}"
STAFF_NEW_PRODUCT = "📋 สินค้ารอตรวจรับรอง #{id}\nร้าน {shop} · อ.{district}\n{description}"
STAFF_ONLY = "ขออภัยค่ะ ปุ่มนี้สำหรับเจ้าหน้าที่เท่านั้น"
ALREADY_DECIDED = "รายการนี้ดำเนินการไปแล้วค่ะ (สถานะ: {status})"
REASON_TITLE = "เหตุผลที่ไม่อนุมัติ"
ASK_REJECT_REASON = "เหตุผลที่ไม่อนุมัติ “{name}” คะ? เลือกจากปุ่มหรือพิมพ์เอง (ผู้ขายจะเห็นข้อความนี้)"
ASK_REVOKE_REASON = "เหตุผลที่เพิกถอนใบรับรองของ “{name}” คะ? (ผู้ขายจะเห็นข้อความนี้)"
REASON_BAD = "กรุณาพิมพ์เหตุผล 3–{max} ตัวอักษรค่ะ"
REJECT_REASONS = ("รูปสินค้าไม่ชัด", "ข้อมูลไม่ครบถ้วน", "ราคาไม่เหมาะสม", "ไม่ใช่สินค้าในจังหวัด")
VENDOR_REJECT_REASONS = ("ข้อมูลติดต่อไม่ครบ", "ไม่ได้อยู่ในจังหวัดขอนแก่น", "ข้อมูลไม่ถูกต้อง")
STAFF_VENDOR_APPROVED = "อนุมัติร้าน “{shop}” แล้วค่ะ ✅"
STAFF_VENDOR_REJECTED = "ไม่อนุมัติร้าน “{shop}” แล้วค่ะ แจ้งผู้สมัครแล้ว"
STAFF_CERTIFIED = "รับรอง “{name}” แล้วค่ะ ✅ เลขที่ {number} ใช้ได้ถึง {until}"
STAFF_REJECTED = "ไม่อนุมัติ “{name}” แล้วค่ะ แจ้งผู้ขายแล้ว"
STAFF_REVOKED = "เพิกถอนใบรับรอง {number} ของ “{name}” แล้วค่ะ แจ้งผู้ขายแล้ว"

# ---- vendor notices ---------------------------------------------------------------------------------------------------
VENDOR_APPROVED_NOTICE = "ยินดีด้วยค่ะ 🎉 ร้าน “{shop}” ได้รับการอนุมัติแล้ว\nกด “ลงขายสินค้า” เพื่อเริ่มขายได้เลย"
VENDOR_REJECTED_NOTICE = ("ขออภัยค่ะ ใบสมัครร้าน “{shop}” ไม่ผ่านการอนุมัติ\nเหตุผล: {reason}\n"
                          "แก้ไขแล้วสมัครใหม่ได้ที่ “ลงทะเบียนร้านค้า” ค่ะ")
CERTIFIED_NOTICE = ("ยินดีด้วยค่ะ 🎉 “{name}” ผ่านการรับรองแล้ว\nเลขที่ {number} ใช้ได้ถึง {until}\n"
                    "สินค้าขึ้นใน “ตลาดชุมชน” แล้วค่ะ")
REJECTED_NOTICE = ("“{name}” ยังไม่ผ่านการรับรองค่ะ\nเหตุผล: {reason}\n"
                   "ดูและขอรับรองใหม่ได้ที่ “สินค้าของฉัน” ค่ะ")
REVOKED_NOTICE = ("ใบรับรอง {number} ของ “{name}” ถูกเพิกถอนค่ะ\nเหตุผล: {reason}\n"
                  "สินค้านี้ออกจากตลาดแล้ว สอบถามเจ้าหน้าที่ได้ทางแชตนี้ค่ะ")
REMINDER_NOTICE = ("แจ้งเตือนค่ะ ⏰ ใบรับรอง {number} ของ “{name}” จะหมดอายุวันที่ {until}\n"
                   "กด “ต่ออายุใบรับรอง” เพื่อให้เจ้าหน้าที่ตรวจอีกครั้งนะคะ")
EXPIRED_NOTICE = ("ใบรับรอง {number} ของ “{name}” หมดอายุแล้วค่ะ สินค้าออกจากตลาดชั่วคราว\n"
                  "กด “ขอรับรองใหม่” เพื่อกลับเข้าตลาดนะคะ")

# ---- catalog -------------------------------------------------------------------------------------------------------------
CATALOG_INTRO = ("ตลาดชุมชน 🛍️ สินค้าที่ อบจ.ขอนแก่น ตรวจรับรองแล้ว\nเลือกหมวดด้านล่าง "
                 "หรือ 🔎 พิมพ์ชื่อสินค้าส่งมาในแชตนี้เพื่อค้นหาได้เลยค่ะ เช่น “น้ำพริก” “ผ้าไหม”")
ALL_CATEGORIES = "ดูทั้งหมด"
CATALOG_EMPTY = "ตอนนี้ยังไม่มีสินค้าในหมวดนี้ค่ะ ลองหมวดอื่นนะคะ"
CATALOG_ALT = "ตลาดชุมชน: {title} ({count} รายการ)"
SEARCH_ALT = "ผลการค้นหา “{query}” ({count} รายการ)"
SEARCH_FOUND = "พบสินค้า “{query}” {count} รายการค่ะ"
CATALOG_FOUND = "{title}: {count} รายการค่ะ"
MORE_TITLE = "ยังมีอีก {count} รายการ"
MORE_BUTTON = "ดูเพิ่มเติม"
CERTIFIED_BADGE = "✔ รับรองโดย อบจ.ขอนแก่น"
CONTACT = "ติดต่อร้าน"
SHARE = "แชร์"
OPEN_PAGE = "ดูรายละเอียด"
SHARE_TEXT = "{name} {price} จากตลาดชุมชน อบจ.ขอนแก่น {url}"
PER_UNIT = "{price} / {unit}"
BAHT = "{amount} บาท"
FROM_DISTRICT = "📍 อ.{district}"
PRODUCT_UNAVAILABLE = "ขออภัยค่ะ สินค้านี้ไม่มีในตลาดแล้ว ลองดูสินค้าอื่นใน “ตลาดชุมชน” นะคะ"
CONTACT_ALT = "ติดต่อร้าน {shop}"
CONTACT_TEXT = "ร้าน {shop} · อ.{district}\nสินค้า: {name} ({price})\n🚚 {delivery}\n🏠 รับสินค้า: {address}"
CALL = "โทรหาร้าน"
FACEBOOK = "เพจ Facebook"
PROMPTPAY_LINE = "💳 พร้อมเพย์: {promptpay}"

# ---- search (services/catalog.py: chat_query and read_query) ---------------------------------------------------------
SEARCH_NOT_FOUND = ("ไม่พบสินค้า “{query}” ค่ะ 🔎\n"
                    "ลองพิมพ์ชื่อสั้น ๆ เช่น “น้ำพริก” หรือเลือกหมวดด้านล่างนะคะ")
# Words around a product name that are not the product ("อยากได้น้ำผึ้งค่ะ" searches "น้ำผึ้ง"); the reader tries the
# longest first, and every word again after each cut.
SEARCH_LEADING_WORDS = ("อยากได้", "อยากซื้อ", "อยากหา", "อยากดู", "ช่วยหา", "ค้นหา", "ต้องการ", "ขอดู", "ขอซื้อ",
                        "สั่งซื้อ", "มีขาย", "หา", "ซื้อ", "ขอ", "มี", "ขาย", "สั่ง")
# Dropped at the end only after a leading word or after a space ("มีผ้าไหมไหม" -> "ผ้าไหม", but "ผ้าไหม" stays).
SEARCH_ENDINGS = ("ไหม", "มั้ย", "มั๊ย", "ไม๊", "หรือเปล่า", "รึเปล่า", "หรือไม่", "เปล่า", "ป่าว", "บ้าง",
                  "ได้ที่ไหน", "ที่ไหน", "ได้", "ขาย", "อยู่")
# "ไหม" is a question ending and silk: dropped only after one of the asking words ("มีผ้าไหมไหม") or a space.
SEARCH_SILK_ENDINGS = ("ไหม",)
SEARCH_ASKING_WORDS = ("มี", "มีขาย")
# Polite particles, dropped at the end always.
SEARCH_PARTICLES = ("ครับผม", "ครับ", "คับ", "คร้าบ", "ค้าบ", "ค่ะ", "คะ", "ค๊ะ", "จ้า", "จ้ะ", "จ๊ะ", "นะ", "หน่อย",
                    "ด้วย")
# Text that starts with these is a greeting or thanks, never a product ("สวัสดีปีใหม่ค่ะ").
SEARCH_GREETINGS = ("สวัสดี", "หวัดดี", "ดีจ้า", "ขอบคุณ", "ขอบใจ", "อรุณสวัสดิ์", "ราตรีสวัสดิ์", "hello", "thank")
# Whole messages (polite particles dropped) that are small talk, not a search.
SEARCH_SMALL_TALK = ("ดี", "โอเค", "ok", "okay", "hi", "hey", "yes", "no", "bye", "thx", "test", "menu", "help",
                     "ได้", "ได้เลย", "ตกลง", "ใช่", "ไม่ใช่", "ไม่", "ไม่เอา", "ไม่เป็นไร", "เข้าใจแล้ว", "รับทราบ",
                     "ทราบแล้ว", "บาย", "ลาก่อน", "อิอิ", "ฮ่าๆ", "ฮาฮา", "คิคิ", "ทดสอบ", "เทส", "เมนู", "สอบถาม",
                     "ฮัลโหล", "ฮาโหล", "อะไร", "อะไรนะ", "ว่าไง", "งง", "ขอโทษ", "ขออภัย", "โทษที", "sorry",
                     "เยี่ยม", "ดีมาก", "เก่งมาก", "สุดยอด", "น่ารัก", "จ้า", "จ้ะ", "ช่วย", "ช่วยที")
# A question for a person, not a product name, unless it starts with a shopping word ("ซื้อน้ำผึ้งได้ที่ไหน").
SEARCH_QUESTION_WORDS = ("อย่างไร", "ยังไง", "ทำไม", "เมื่อไร", "เมื่อไหร่", "กี่โมง", "ที่ไหน", "ได้ไหม", "ได้มั้ย",
                         "ได้หรือไม่", "หรือยัง", "ใคร", "อะไร")
# Words for people and for the bot's other services, anywhere in the text: the help answer lists those services
# ("ขอคุยกับเจ้าหน้าที่", "สมัครอบรม", "ข่าวโครงการถนน").
SEARCH_NOT_PRODUCT_WORDS = ("คุยกับ", "ติดต่อ", "สอบถาม", "คำถาม", "ร้องเรียน", "แจ้งเรื่อง", "เจ้าหน้าที่", "แอดมิน", "admin",
                            "นายก", "สมัคร", "อบรม", "ข่าว", "โครงการ", "ลงทะเบียน", "ยกเลิก",
                            "บ้านเลขที่", "หมู่ที่", "ตำบล", "จังหวัด", "รหัสไปรษณีย์")

# ---- web pages -----------------------------------------------------------------------------------------------------------
SITE_MARKET = "ตลาดชุมชน อบจ.ขอนแก่น"
PAGE_PRICE = "ราคา"
PAGE_VENDOR = "ร้านค้า"
PAGE_SELLING_POINTS = "จุดเด่น"
PAGE_DELIVERY = "การส่งสินค้า"
PAGE_CERT = "การรับรอง"
PAGE_CERT_NUMBER = "เลขที่ใบรับรอง"
PAGE_VALIDITY = "ระยะเวลา"
PAGE_STATUS = "สถานะ"
PAGE_PRODUCT = "สินค้า"
PAGE_SHARE = "แชร์สินค้านี้"
PAGE_SHARE_LINE = "แชร์ทาง LINE"
PAGE_SHARE_FACEBOOK = "แชร์ทาง Facebook"
PAGE_ASK_LINE = "สอบถามทาง LINE"
PAGE_CALL = "โทรหาร้าน"
PAGE_CHECK_CERT = "ตรวจสอบใบรับรอง"
PAGE_NOT_LISTED = "สินค้านี้ยังไม่อยู่ในตลาดชุมชน ({status})"
PAGE_OUT_OF_STOCK = "สินค้าหมดชั่วคราว"
PAGE_PRODUCT_GONE = "ไม่พบสินค้านี้ อาจถูกนำออกจากระบบแล้ว"
PAGE_CERT_TITLE = "ตรวจสอบใบรับรองสินค้า"
PAGE_CERT_VALID = "ใบรับรองนี้ใช้ได้ ✔"
PAGE_CERT_EXPIRED = "ใบรับรองนี้หมดอายุแล้ว"
PAGE_CERT_REVOKED = "ใบรับรองนี้ถูกเพิกถอนแล้ว"
PAGE_CERT_NOT_FOUND = "ไม่พบใบรับรองเลขที่นี้ โปรดระวังสินค้าที่อ้างการรับรองโดยไม่มีในระบบ"
PAGE_CERT_ISSUER = "ออกโดย องค์การบริหารส่วนจังหวัดขอนแก่น"
PAGE_QR = "QR สำหรับพิมพ์ติดฉลาก"
PAGE_DOWNLOAD_LABEL = "ดาวน์โหลดฉลาก QR"
PAGE_REASON = "เหตุผล"
PAGE_VIEW_PRODUCT = "ดูหน้าสินค้า"
# the catalog page (/market) and the certificate lookup form (/market/c)
PAGE_MARKET_INTRO = "สินค้าชุมชนที่ อบจ.ขอนแก่น ตรวจรับรองแล้ว สั่งซื้อและสอบถามร้านได้ทาง LINE"
PAGE_SEARCH_LABEL = "ค้นหาสินค้า"
PAGE_SEARCH_PLACEHOLDER = "เช่น น้ำพริก ผ้าไหม"
PAGE_SEARCH_BUTTON = "ค้นหา"
PAGE_SEARCH_CLEAR = "ล้างคำค้น"
PAGE_CATEGORIES = "หมวดสินค้า"
PAGE_ALL_CATEGORIES = "ทุกหมวด"
PAGE_COUNT = "{count} รายการ"
PAGE_SEARCH_COUNT = "ผลการค้นหา “{query}”: {count} รายการ"
PAGE_SEARCH_NONE = "ไม่พบสินค้า “{query}” ค่ะ ลองคำที่สั้นลง หรือเลือกหมวดสินค้าด้านบน"
PAGE_CATEGORY_NONE = "ตอนนี้ยังไม่มีสินค้าในหมวดนี้ค่ะ ลองหมวดอื่นนะคะ"
PAGE_MARKET_EMPTY = "ตอนนี้ยังไม่มีสินค้าที่ผ่านการรับรองค่ะ"
PAGE_PAST_END = "ไม่มีหน้านี้แล้วค่ะ"
PAGE_FIRST = "กลับไปหน้าแรก"
PAGE_PREVIOUS = "‹ ก่อนหน้า"
PAGE_NEXT = "ถัดไป ›"
PAGE_OF = "หน้า {page} จาก {pages}"
PAGE_FROM = "{shop} · อ.{district}"
PAGE_LOOKUP_LINK = "มีเลขที่ใบรับรองบนฉลาก? ตรวจสอบได้ที่นี่"
PAGE_LOOKUP_INTRO = "พิมพ์เลขที่ใบรับรองที่อยู่บนฉลากสินค้า เพื่อดูว่าใบรับรองยังใช้ได้หรือไม่"
PAGE_LOOKUP_LABEL = "เลขที่ใบรับรอง"
PAGE_LOOKUP_PLACEHOLDER = "เช่น KK-2569-000123"
PAGE_LOOKUP_BUTTON = "ตรวจสอบ"
PAGE_LOOKUP_MALFORMED = ("เลขที่ “{number}” ไม่ใช่รูปแบบเลขที่ใบรับรองค่ะ เลขที่ใบรับรองเป็นแบบ KK-ปี-เลข 6 หลัก "
                         "เช่น KK-2569-000123 กรุณาตรวจสอบอีกครั้งนะคะ")
PAGE_LOOKUP_NOT_FOUND = ("ไม่พบใบรับรองเลขที่ “{number}” ค่ะ กรุณาตรวจสอบเลขอีกครั้ง "
                         "และโปรดระวังสินค้าที่อ้างการรับรองโดยไม่มีในระบบ")
PAGE_LOOKUP_EMPTY = "กรุณาพิมพ์เลขที่ใบรับรองค่ะ"
PAGE_BACK_TO_MARKET = "ดูสินค้าทั้งหมดในตลาดชุมชน"
LABEL_SCAN = "สแกนเพื่อตรวจสอบการรับรอง"
LABEL_ISSUER = "รับรองโดย อบจ.ขอนแก่น"

# console
CONSOLE_MARKET = "ตลาดชุมชน"
CONSOLE_QUEUE = "รอตรวจ"
CONSOLE_PENDING_VENDORS = "ร้านค้ารออนุมัติ"
CONSOLE_PENDING_PRODUCTS = "สินค้ารอตรวจรับรอง"
CONSOLE_VENDORS = "ร้านค้าทั้งหมด"
CONSOLE_CERTIFIED = "สินค้าที่รับรองแล้ว"
CONSOLE_NOTHING = "ไม่มีรายการรอตรวจค่ะ"
CONSOLE_REASON_LABEL = "เหตุผล (ผู้ขายจะเห็น)"
CONSOLE_REVOKE = "เพิกถอนใบรับรอง"
CONSOLE_APPROVE_DONE = "อนุมัติแล้ว"
CONSOLE_HISTORY = "ประวัติการรับรอง"
CONSOLE_OWNER = "เจ้าของ"
CONSOLE_PHONE = "โทร"
CONSOLE_ADDRESS = "ที่อยู่รับสินค้า"
CONSOLE_SUBMITTED_AT = "ส่งเมื่อ"
CONSOLE_PRODUCTS_OF = "สินค้าของร้าน"
CONSOLE_BACK = "‹ กลับ"
CONSOLE_NEXT = "หน้าถัดไป ›"
CONSOLE_FILTER_ALL = "ทั้งหมด"
API_VENDOR_NOT_FOUND = "ไม่พบร้านค้านี้"
API_PRODUCT_NOT_FOUND = "ไม่พบสินค้านี้"
API_CERT_NOT_FOUND = "ไม่พบใบรับรองนี้"
PREVIEW_BUTTON_NOTE = "นี่คือตัวอย่างค่ะ ปุ่มนี้จะใช้ได้เมื่อสินค้าผ่านการรับรองและขึ้นในตลาดแล้ว"
PREVIEW_BADGE = "รอตรวจรับรอง (ตัวอย่าง)"
CONSOLE_OPEN = "เปิดในหน้าเจ้าหน้าที่"
CONSENT_NEEDED = "ต้องยินยอมเข้าร่วมโครงการตลาดชุมชนก่อนค่ะ กด “ลงทะเบียนร้านค้า” เพื่อเริ่ม"
PHOTO_SIXTH_LATE = "ขออภัยค่ะ รับได้ไม่เกิน {max} รูป รูปนี้ไม่ได้บันทึกนะคะ\nมีสินค้าพร้อมขายกี่{unit}คะ? (พิมพ์ตัวเลข)"
CONSENT_WITHDRAWN = ("คุณถอนความยินยอมโครงการตลาดชุมชนแล้ว ร้านจึงไม่แสดงในตลาดค่ะ "
                     "ถ้าต้องการขายต่อ กด “ลงทะเบียนร้านค้า” เพื่อให้ความยินยอมอีกครั้ง")

# Console overview: what waits for staff
WAITING_VENDORS = "ร้านค้ารออนุมัติ"
WAITING_CERTIFICATIONS = "สินค้ารอตรวจรับรอง"

# ---- contact details known from before, the shop's LINE, same shop names (registration) ----------------------------
ASK_USE_CONTACT = ("ใช้ชื่อ {name} เบอร์ {phone} ไหมคะ? 😊\n"
                   "(ข้อมูลที่เคยให้ไว้ตอนสมัครอบรม/สมัครร้าน เบอร์นี้จะแสดงให้ผู้ซื้อเห็น)")
USE_CONTACT = "ใช้ข้อมูลนี้"
CHANGE_CONTACT = "แก้ไข"
USE_CONTACT_PLEASE_TAP = "กรุณากด “ใช้ข้อมูลนี้” หรือ “แก้ไข” ค่ะ"
ASK_LINE = ("ร้านมี LINE ไว้คุยกับลูกค้าไหมคะ? 💬 ผู้ซื้อจะกด “แชทกับร้าน” ได้\n"
            "ส่งไอดีร้าน เช่น @paasri ไอดี LINE หรือลิงก์ line.me มาได้เลย ถ้าไม่มีกด “ข้าม” ค่ะ")
LINE_BAD = ("ไอดีหรือลิงก์ LINE ไม่ถูกต้องค่ะ 🙏 ส่งได้แบบ @ไอดีร้าน (เช่น @paasri) "
            "ไอดี LINE (เช่น paasri.silk) หรือลิงก์ เช่น https://line.me/R/ti/p/@paasri ถ้าไม่มีกด “ข้าม” ค่ะ")
REGISTER_SUMMARY_LINE = "💚 LINE ร้าน: {line}"
CHANNEL_LINE_SHOP = "LINE ของร้าน"
SHOP_SAME_NAME = ("มีร้าน “{shop}” (อ.{district}) ในตลาดชุมชนแล้วค่ะ 🙏\n"
                  "ถ้าเป็นคนละร้าน กด “เป็นคนละร้าน” หรือพิมพ์ชื่อร้านใหม่ให้ต่างออกไป เช่น ใส่ชื่อหมู่บ้านต่อท้าย")
SAME_NAME_OK = "เป็นคนละร้าน"
SAME_NAME_RENAME = "ตั้งชื่อใหม่"
ASK_SHOP_AGAIN = "ร้านของคุณชื่ออะไรคะ? พิมพ์ชื่อใหม่ได้เลยค่ะ (ไม่เกิน {max} ตัวอักษร)"
STAFF_SAME_NAME_NOTE = "⚠️ ชื่อเดียวกับร้าน “{shop}” (อ.{district}) ผู้สมัครยืนยันว่าเป็นคนละร้าน"
CHAT_SHOP = "แชทกับร้าน"
CONSOLE_LINE = "LINE ของร้าน"

# ---- the product preview: แก้ไข / ยกเลิก -----------------------------------------------------------------------------
PREVIEW_CHOICES_BODY = ("ถูกต้องแล้วกด “ส่งตรวจรับรอง” ค่ะ\n"
                        "อยากแก้ตรงไหนกด “แก้ไข” ถ้าไม่ลงขายแล้วกด “ยกเลิก”")
PREVIEW_EDIT = "แก้ไข"
PREVIEW_CANCEL = "ยกเลิก"
PREVIEW_PLEASE_TAP = "กรุณากด “ส่งตรวจรับรอง” “แก้ไข” หรือ “ยกเลิก” ค่ะ"
EDIT_PICK_TITLE = "แก้ไขส่วนไหนคะ?"
EDIT_PICK_ALT = "เลือกส่วนที่จะแก้ไข"
EDIT_FIELDS = {
    "name": "ชื่อสินค้า",
    "category": "หมวดสินค้า",
    "price": "ราคา",
    "unit": "หน่วย",
    "description": "รายละเอียด",
    "points": "จุดเด่น",
    "photos": "รูปสินค้า",
    "stock": "จำนวนพร้อมขาย",
}
EDIT_BACK = "กลับไปดูตัวอย่าง"
EDIT_NOW = "แก้{field}ค่ะ ตอนนี้: {value}"
EDIT_PHOTOS_NOTE = "ส่งรูปใหม่ได้เลยค่ะ รูปเดิม {count} รูปจะถูกแทนที่ ถ้าจะใช้รูปเดิมกด “เสร็จแล้ว”"
ASK_CANCEL_POST = "ยกเลิกการลงขาย “{name}” ใช่ไหมคะ? ข้อมูลและรูปที่ส่งมาจะไม่ถูกบันทึก"
CANCEL_POST_YES = "ยกเลิกการลงขาย"
CANCEL_POST_NO = "กลับไปดูตัวอย่าง"
POST_CANCELLED = "ยกเลิกการลงขาย “{name}” แล้วค่ะ ไม่ได้บันทึกสินค้านี้ ลงขายใหม่ได้ทุกเมื่อที่ “ลงขายสินค้า”"


# ---- a product's share-and-earn rate ("ค่าแนะนำ (%)", services/products.set_commission_percent) -----------------------
EDIT_COMMISSION = "ค่าแนะนำ (%)"
COMMISSION_LINE = "ค่าแนะนำผู้แชร์ {percent}%"
COMMISSION_NONE_LINE = "ไม่ร่วมแชร์รับรายได้"
ASK_NEW_COMMISSION = (
    "ให้ค่าแนะนำคนที่แชร์ “{name}” กี่ % ของราคาสินค้าคะ? (ตอนนี้ {percent}%)\n"
    "พิมพ์ 0-30 หรือกดปุ่ม ร้านจ่ายให้ผู้แชร์เมื่อผู้ซื้อได้รับของแล้ว • 0 = ไม่ร่วมโครงการ"
)
COMMISSION_BAD = "กรุณาพิมพ์ตัวเลขเต็ม 0 ถึง {max} ค่ะ เช่น 10"
COMMISSION_SAVED = "ตั้งค่าแนะนำ “{name}” เป็น {percent}% แล้วค่ะ ✅"
COMMISSION_OFF_SAVED = "“{name}” ไม่ร่วมแชร์รับรายได้แล้วค่ะ (ค่าแนะนำ 0%)"
COMMISSION_CHOICES = ("0", "5", "10", "15", "20")
