"""Thai copy for commissions and payouts."""

# Words people type or tap (contracts: DESIGN.md §4; keep them).
WORD_MY_EARNINGS = "รายได้ของฉัน"
