"""Thai copy for orders (buyer and shop)."""

# Words people type or tap (contracts: DESIGN.md §4; keep them).
WORD_MY_ORDERS = "คำสั่งซื้อของฉัน"
WORD_SHOP_ORDERS = "คำสั่งซื้อของร้าน"
WORD_ORDER = "สั่งซื้อ"
WORD_ACCEPT = "รับออเดอร์"
WORD_DECLINE = "ปฏิเสธ"
WORD_PAYMENT_RECEIVED = "ได้รับเงินแล้ว"
WORD_RECEIVED = "ได้รับสินค้าแล้ว"
