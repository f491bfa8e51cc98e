"""The 26 districts (อำเภอ) of Khon Kaen province: stable keys for storage, Thai names for people."""

from __future__ import annotations

DISTRICTS: dict[str, str] = {
    "mueang": "เมืองขอนแก่น",
    "ban_fang": "บ้านฝาง",
    "phra_yuen": "พระยืน",
    "nong_ruea": "หนองเรือ",
    "chum_phae": "ชุมแพ",
    "si_chomphu": "สีชมพู",
    "nam_phong": "น้ำพอง",
    "ubolratana": "อุบลรัตน์",
    "kranuan": "กระนวน",
    "ban_phai": "บ้านไผ่",
    "pueai_noi": "เปือยน้อย",
    "phon": "พล",
    "waeng_yai": "แวงใหญ่",
    "waeng_noi": "แวงน้อย",
    "nong_song_hong": "หนองสองห้อง",
    "phu_wiang": "ภูเวียง",
    "mancha_khiri": "มัญจาคีรี",
    "chonnabot": "ชนบท",
    "khao_suan_kwang": "เขาสวนกวาง",
    "phu_pha_man": "ภูผาม่าน",
    "sam_sung": "ซำสูง",
    "khok_pho_chai": "โคกโพธิ์ไชย",
    "nong_na_kham": "หนองนาคำ",
    "ban_haet": "บ้านแฮด",
    "non_sila": "โนนศิลา",
    "wiang_kao": "เวียงเก่า",
}


def district_name(key: str | None) -> str:
    """Returns the Thai name of a district key, or an empty string."""
    return DISTRICTS.get(key or "", "")


def find_district(text: str) -> str | None:
    """Finds a district from what a user typed: "อ.พล", "อำเภอพล", "เมือง" all work."""
    cleaned = text.strip().replace(" ", "")
    for prefix in ("อำเภอ", "อ."):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix):]
    if not cleaned:
        return None
    for key, name in DISTRICTS.items():
        if cleaned in (name, key):
            return key
    if cleaned in ("เมือง", "อำเภอเมือง", "เมืองขอนแก่น"):
        return "mueang"
    return None
