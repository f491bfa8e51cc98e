"""Thai copy for commissions and payouts."""

# Words people type or tap (contracts: DESIGN.md §4; keep them).
WORD_MY_EARNINGS = "รายได้ของฉัน"

# ---- PromptPay ----------------------------------------------------------------------------------------------------
PROMPTPAY_ID_BAD = (
    "เลขพร้อมเพย์ไม่ถูกต้อง ใช้ได้ 3 แบบ:\n• เบอร์มือถือ 10 หลัก เช่น 0812345678\n• เลขประจำตัวประชาชน 13 หลัก\n"
    "• เลขวอลเล็ต (e-Wallet) 15 หลัก"
)
