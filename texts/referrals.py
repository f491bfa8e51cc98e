"""Thai copy for share-and-earn."""

# Words people type or tap (contracts: DESIGN.md §4; keep them). "แชร์รับรายได้" itself is texts.citizens.WORD_SHARE_EARN.
WORD_MY_LINKS = "ลิงก์ของฉัน"
WORD_SHARE = "แชร์"
