"""The catalogue of every user-facing Thai word, one module per feature, so copy is reviewed in one place.

Keep messages short and clear: many readers are older people on small phones. Words that users type or that
menus send (e.g. "ตั้งค่า") are contracts: change them only on purpose.
"""
