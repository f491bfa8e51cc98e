"""Checking trainees in at the door (staff): a scanned or typed code becomes attendance, once, and the trainee is
told "เช็กอินแล้ว" in LINE in the same transaction. Before the training's Bangkok calendar day nothing is recorded
unless staff confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from flex_templates.basic import text
from models.platform import Citizen
from models.trainings import Training, TrainingSignup
from services import notify, qr, trainings
from texts import dates
from texts import trainings as trainings_texts


@dataclass(frozen=True)
class CheckinResult:
    """What happened to a scanned or typed code: ok | already | not_found | bad_code | other_training |
    waitlisted | cancelled | training_cancelled | early (before the training's day: nothing recorded until staff
    confirm)."""

    outcome: str
    message: str
    name: str | None = None
    training_id: int | None = None
    signup_id: int | None = None
    checked_in_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def find_code(session: Session, raw: str | None) -> tuple[TrainingSignup, Training, Citizen | None] | None:
    """The sign-up a code belongs to (typed in any form, or the QR's link), or None."""
    code = qr.normalise_code(raw)
    if code is None:
        return None
    signup = session.scalars(select(TrainingSignup).where(TrainingSignup.checkin_code == code)).one_or_none()
    if signup is None:
        return None
    citizen = session.get(Citizen, signup.citizen_id) if signup.citizen_id else None
    return signup, trainings.get_training(session, signup.training_id), citizen


def before_training_day(training: Training, now: datetime) -> bool:
    """True on any Bangkok calendar day before the training's first day (arriving early on the day is normal)."""
    return dates.to_local(now).date() < dates.to_local(training.starts_at).date()


def check_in(session: Session, raw_code: str | None, actor: str, now: datetime,
             training_id: int | None = None, *, confirm_early: bool = False) -> CheckinResult:
    """Records attendance once and tells the trainee "เช็กอินแล้ว" in LINE (in the same transaction, so one
    notice per check-in; a second scan records and sends nothing). With `training_id` (the scanner page of one
    training), a code of another training is refused rather than checked in somewhere unexpected. Before the
    training's day nothing is recorded unless staff confirmed (`confirm_early`): a code scanned by mistake at a
    briefing or on the wrong list must not count as attendance."""
    if qr.normalise_code(raw_code) is None:
        return CheckinResult("bad_code", trainings_texts.CHECKIN_BAD_CODE)
    found = find_code(session, raw_code)
    if found is None:
        return CheckinResult("not_found", trainings_texts.CHECKIN_NOT_FOUND)
    signup, training, citizen = found
    name = (citizen.full_name if citizen and citizen.full_name else None) or trainings_texts.NO_NAME
    base = {"name": name, "training_id": training.id, "signup_id": signup.id}
    if training_id is not None and training.id != training_id:
        return CheckinResult("other_training", trainings_texts.CHECKIN_OTHER_TRAINING.format(title=training.title),
                             **base)
    if training.status == "cancelled":
        return CheckinResult("training_cancelled", trainings_texts.CHECKIN_TRAINING_NOT_OPEN, **base)
    if signup.status == "waitlisted":
        return CheckinResult("waitlisted", trainings_texts.CHECKIN_WAITLISTED.format(name=name), **base)
    if signup.status == "cancelled":
        return CheckinResult("cancelled", trainings_texts.CHECKIN_CANCELLED.format(name=name), **base)
    if not confirm_early and signup.checked_in_at is None and before_training_day(training, now):
        return CheckinResult("early", trainings_texts.CHECKIN_EARLY.format(
            date=trainings_texts.thai_date(training.starts_at)), **base)
    # Compare-and-set: two staff phones scanning the same person at once record one check-in.
    done = session.execute(update(TrainingSignup).where(TrainingSignup.id == signup.id,
                                                        TrainingSignup.checked_in_at.is_(None))
                           .values(checked_in_at=now, checked_in_by=actor)).rowcount
    session.refresh(signup)
    if done != 1:
        return CheckinResult("already", trainings_texts.CHECKIN_ALREADY.format(
            name=name, when=trainings_texts.thai_datetime(signup.checked_in_at)),
            checked_in_at=signup.checked_in_at, **base)
    if citizen is not None:
        notify.push(session, citizen.line_user_id,
                    [text(trainings_texts.CHECKED_IN_NOTICE.format(title=training.title))], now,
                    source=f"training:{training.id}:checked_in")
    return CheckinResult("ok", trainings_texts.CHECKIN_OK.format(name=name), checked_in_at=now, **base)
