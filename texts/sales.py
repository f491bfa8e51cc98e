"""Thai copy for sales records."""

# Words people type or tap (contracts: DESIGN.md §4; keep them).
WORD_RECORD_SALE = "บันทึกยอดขาย"
