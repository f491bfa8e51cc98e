"""A citizen's profile for targeting (district, age group, interests) and the privacy notice they were shown."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.platform import Citizen
from services import citizens, contact_details
from services.errors import DomainError
from texts.districts import DISTRICTS

# Stored keys (Thai labels live in texts/citizens.py). Contracts: other features target by these.
INTERESTS = ("infrastructure", "training", "market")
AGE_GROUPS = ("under_25", "25_39", "40_59", "60_plus")
PRIVACY_NOTICE_VERSION = "2026-11"


def get_or_create(session: Session, line_user_id: str, now: datetime) -> Citizen:
    return citizens.get_or_create(session, line_user_id, now)


def set_district(session: Session, line_user_id: str, district: str, now: datetime) -> Citizen:
    """Saves the citizen's district (one of the 26 of Khon Kaen)."""
    if district not in DISTRICTS:
        raise DomainError("ไม่พบอำเภอนี้ในจังหวัดขอนแก่น", code="unknown_district")
    return citizens.set_district(session, line_user_id, district, now)


def set_age_group(session: Session, line_user_id: str, age_group: str, now: datetime) -> Citizen:
    """Saves the citizen's age group."""
    if age_group not in AGE_GROUPS:
        raise DomainError("ไม่พบช่วงอายุนี้", code="unknown_age_group")
    citizen = get_or_create(session, line_user_id, now)
    citizen.age_group, citizen.updated_at = age_group, now
    session.flush()
    return citizen


def toggle_interest(session: Session, line_user_id: str, interest: str, now: datetime) -> bool:
    """Adds or removes one interest; returns True when it is now on."""
    if interest not in INTERESTS:
        raise DomainError("ไม่พบหัวข้อนี้", code="unknown_interest")
    citizen = get_or_create(session, line_user_id, now)
    current = [i for i in (citizen.interests or []) if i in INTERESTS]
    on = interest not in current
    current = [*current, interest] if on else [i for i in current if i != interest]
    citizen.interests = [i for i in INTERESTS if i in current]  # new list: JSON columns track reassignment only
    citizen.updated_at = now
    session.flush()
    return on


def mark_notice_shown(session: Session, citizen: Citizen, now: datetime) -> None:
    """Records which privacy notice the citizen was shown, and when."""
    citizen.privacy_notice_version, citizen.privacy_notice_at = PRIVACY_NOTICE_VERSION, now
    session.flush()


def needs_onboarding(citizen: Citizen) -> bool:
    """True until the citizen has been shown the current privacy notice."""
    return citizen.privacy_notice_version is None


# ---- PDPA ---------------------------------------------------------------------------------------------------------
# ---- name and mobile number (asked once, at the first training sign-up; kept on the profile) ----------------
# The rules live in services/contact_details.py. A trainee's number must be a mobile: staff call or message people
# on the day (a venue change, "are you on your way?"), and a home landline does not reach someone who has left.
def clean_contact_name(raw: str | None) -> str:
    """The trainee's name, or a DomainError with the Thai reason and an example."""
    return contact_details.clean_person_name(raw)


def clean_contact_phone(raw: str | None) -> str:
    """The trainee's mobile number as 10 digits ('0812345678'), or a DomainError with the Thai reason and an
    example (a landline or a 9-digit '081-234-567' is refused)."""
    return contact_details.clean_phone(raw, allow_landline=False)



def needs_contact(session: Session, line_user_id: str) -> bool:
    """True when the citizen has not given a name and mobile number yet."""
    citizen = citizens.get(session, line_user_id)
    return citizen is None or not citizen.full_name or not citizen.phone


def save_contact(session: Session, line_user_id: str, full_name: str, phone: str, now: datetime) -> Citizen:
    """Validates and keeps the citizen's name and mobile number on their profile."""
    name, number = clean_contact_name(full_name), clean_contact_phone(phone)
    citizen = citizens.get_or_create(session, line_user_id, now)
    citizen.full_name, citizen.phone, citizen.updated_at = name, number, now
    session.flush()
    return citizen



def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The profile and account facts kept about the citizen."""
    return {
        "line_user_id": citizen.line_user_id,
        "following": citizen.is_following,
        "followed_at": citizen.followed_at.isoformat() if citizen.followed_at else None,
        "district": citizen.district,
        "age_group": citizen.age_group,
        "interests": list(citizen.interests or []),
        "full_name": citizen.full_name,
        "phone": citizen.phone,
        "privacy_notice_version": citizen.privacy_notice_version,
        "privacy_notice_at": citizen.privacy_notice_at.isoformat() if citizen.privacy_notice_at else None,
        "first_contact_at": citizen.created_at.isoformat() if citizen.created_at else None,
    }


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Clears name, phone and interests. District and age group stay for statistics: services.privacy then
    unlinks the row from the LINE account, which makes them anonymous."""
    citizen.full_name = citizen.phone = None
    citizen.interests = []
    citizen.updated_at = now
    session.flush()
