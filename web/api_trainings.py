"""REST API of trainings: create, update, publish, list and read them (with seats left), their sign-ups (list,
cancel), check-ins and attendance. Trainees' names, phones and LINE user IDs are not exposed (PDPA)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from bot.runtime import runtime
from models.trainings import Training, TrainingSignup
from services import training_checkin, trainings
from services.errors import Conflict, NotFound
from texts import trainings as trainings_texts
from texts.districts import DISTRICTS
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of, paginate

router = ApiRouter("trainings", "การอบรม ผู้สมัคร รายชื่อสำรอง และการเช็กอิน")

ACTOR = "api"
TrainingStatus = Literal["draft", "published", "cancelled"]
SignupStatus = Literal["confirmed", "waitlisted", "cancelled"]
DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]


class SpeakerIn(ApiModel):
    name: str = Field(min_length=1, max_length=120)
    bio: str = Field("", max_length=500)
    photo_image_id: int | None = Field(None, description="An image already stored (media_images id).")


class TrainingIn(ApiModel):
    """A training as staff describe it. Times are ISO 8601 with a zone (UTC recommended)."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    project_id: int | None = None
    topic_tags: list[str] = Field(default_factory=list, max_length=10)
    speakers: list[SpeakerIn] = Field(default_factory=list, max_length=10)
    venue_name: str = Field("", max_length=200)
    venue_map_url: str | None = Field(None, max_length=1000, json_schema_extra={"format": "uri"},
                                      description="https:// link to a map (e.g. Google Maps' share link); the "
                                                  "training card in LINE shows a \"ดูแผนที่\" button for it. "
                                                  "Not https: 400 `bad_map_url`.")
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    capacity: int = Field(ge=1, le=10_000)
    signup_deadline: UtcDateTime
    districts: list[DistrictKey] = Field(default_factory=list, description="Target districts; empty: province-wide.")
    what_to_bring: str = Field("", max_length=1000)
    cover_image_id: int | None = None
    survey_delay_hours: int = Field(2, ge=0, le=168, description="The survey goes this many hours after the end.")


class SpeakerOut(ApiModel):
    name: str
    bio: str


class TrainingOut(ApiModel):
    """A training with its seats: `seats_left` = capacity - confirmed."""

    id: int
    title: str
    description: str
    status: TrainingStatus
    project_id: int | None
    topic_tags: list[str]
    speakers: list[SpeakerOut]
    venue_name: str
    venue_map_url: str | None
    calendar_url: str | None = Field(description="The public .ics file (add to calendar); null for a training "
                                                 "never published.")
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    signup_deadline: UtcDateTime
    capacity: int
    confirmed: int
    waitlisted: int
    checked_in: int
    seats_left: int
    signup_open: bool
    districts: list[str]
    what_to_bring: str
    survey_delay_hours: int
    announcement_id: int | None
    published_at: UtcDateTime | None
    created_at: UtcDateTime


class TrainingQuery(ListQuery):
    status: TrainingStatus | None = Field(None, description="Only trainings in this status.")
    upcoming: bool | None = Field(None, description="true: only trainings that have not ended.")


class SignupOut(ApiModel):
    """A sign-up (who it is stays private: no name, phone or LINE id)."""

    id: int
    training_id: int
    status: SignupStatus
    waitlist_position: int | None = Field(description="1 = next to get a seat; null unless waitlisted.")
    district: str | None
    signed_up_at: UtcDateTime
    confirmed_at: UtcDateTime | None
    cancelled_at: UtcDateTime | None
    checked_in_at: UtcDateTime | None


class SignupQuery(ListQuery):
    status: SignupStatus | None = Field(None, description="Only sign-ups in this status.")


class CheckinIn(ApiModel):
    code: str = Field(min_length=1, max_length=300, description="The trainee's code as typed, or the QR's link.")
    confirm_early: bool = Field(False, description="true: check in although the training's day (Bangkok) has not "
                                                   "come yet; without it such a check-in answers 409 `early`.")


class CheckinOut(ApiModel):
    """`outcome`: ok | already | not_found | bad_code | other_training | waitlisted | cancelled |
    training_cancelled."""

    outcome: str
    message: str
    signup_id: int | None
    checked_in_at: UtcDateTime | None


class AttendanceOut(ApiModel):
    training_id: int
    confirmed: int
    checked_in: int
    attendance_rate: float = Field(description="checked_in / confirmed (0 when nobody is confirmed).")
    checked_in_signups: list[SignupOut]


class AnnouncementOut(ApiModel):
    announcement_id: int


def _input(body: TrainingIn) -> trainings.TrainingInput:
    return trainings.TrainingInput(
        title=body.title, description=body.description, project_id=body.project_id, topic_tags=body.topic_tags,
        venue_name=body.venue_name, venue_map_url=body.venue_map_url,
        starts_at=body.starts_at, ends_at=body.ends_at, capacity=body.capacity, signup_deadline=body.signup_deadline,
        districts=list(body.districts), what_to_bring=body.what_to_bring, cover_image_id=body.cover_image_id,
        survey_delay_hours=body.survey_delay_hours,
        speakers=[trainings.SpeakerInput(s.name, s.bio, s.photo_image_id) for s in body.speakers])


def _out(session: Any, training: Training, now: datetime) -> TrainingOut:
    counts = trainings.seat_counts(session, [training.id])[training.id]
    return TrainingOut(
        id=training.id, title=training.title, description=training.description, status=training.status,
        project_id=training.project_id, topic_tags=list(training.topic_tags or []),
        speakers=[SpeakerOut(name=s.name, bio=s.bio) for s in trainings.speakers(session, training.id)],
        venue_name=training.venue_name, venue_map_url=training.venue_map_url,
        calendar_url=trainings.calendar_url(runtime().settings.public_base_url, training.id)
        if training.published_at is not None else None, starts_at=training.starts_at,
        ends_at=training.ends_at, signup_deadline=training.signup_deadline, capacity=training.capacity,
        confirmed=counts["confirmed"], waitlisted=counts["waitlisted"], checked_in=counts["checked_in"],
        seats_left=max(0, training.capacity - counts["confirmed"]), signup_open=trainings.is_open(training, now),
        districts=list(training.districts or []), what_to_bring=training.what_to_bring,
        survey_delay_hours=training.survey_delay_hours, announcement_id=training.announcement_id,
        published_at=training.published_at, created_at=training.created_at)


def _signup_out(session: Any, signup: TrainingSignup) -> SignupOut:
    from models.platform import Citizen

    citizen = session.get(Citizen, signup.citizen_id) if signup.citizen_id else None
    return SignupOut(id=signup.id, training_id=signup.training_id, status=signup.status,
                     waitlist_position=trainings.waitlist_position(session, signup),
                     district=citizen.district if citizen else None, signed_up_at=signup.queued_at,
                     confirmed_at=signup.confirmed_at, cancelled_at=signup.cancelled_at,
                     checked_in_at=signup.checked_in_at)


@router.get("/trainings", summary="List trainings", query=TrainingQuery, response=page_of(TrainingOut))
def list_trainings(query: TrainingQuery) -> Any:
    """Trainings in id order with their seats."""
    rt = runtime()
    now = rt.clock()
    stmt = select(Training)
    if query.status is not None:
        stmt = stmt.where(Training.status == query.status)
    if query.upcoming:
        stmt = stmt.where(Training.ends_at > now)
    with rt.db.transaction() as session:
        return paginate(session, stmt, Training.id, query, TrainingOut, convert=lambda t: _out(session, t, now))


@router.post("/trainings", summary="Create a training (draft)", body=TrainingIn, response=TrainingOut, status=201)
def create_training(body: TrainingIn) -> Any:
    """Creates a draft; publish it to open sign-ups."""
    rt = runtime()
    with rt.db.transaction() as session:
        training = trainings.create_training(session, _input(body), ACTOR, rt.clock())
        return _out(session, training, rt.clock())


def _get(session: Any, training_id: int) -> Training:
    training = session.get(Training, training_id)
    if training is None:
        raise NotFound(trainings_texts.DOMAIN_NOT_FOUND, code="training_not_found")
    return training


@router.get("/trainings/<int:training_id>", summary="Get one training with seats left", response=TrainingOut)
def get_training(training_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        return _out(session, _get(session, training_id), rt.clock())


@router.route("/trainings/<int:training_id>", methods=["PUT"], summary="Update a training", body=TrainingIn,
              response=TrainingOut, errors=(409,))
def update_training(training_id: int, body: TrainingIn) -> Any:
    """Replaces the training's details (speakers included). More seats promote people from the waitlist;
    fewer seats than people already confirmed is refused (409)."""
    rt = runtime()
    with rt.db.transaction() as session:
        training = trainings.update_training(session, training_id, _input(body), ACTOR, rt.clock(),
                                             rt.settings.public_base_url)
        result = _out(session, training, rt.clock())
    rt.dispatcher.wake()
    return result


@router.post("/trainings/<int:training_id>/publish", summary="Publish a training (opens sign-ups)",
             response=TrainingOut, errors=(409,))
def publish_training(training_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        training = trainings.publish(session, training_id, ACTOR, rt.clock())
        return _out(session, training, rt.clock())


@router.post("/trainings/<int:training_id>/announce", summary="Announce a published training",
             response=AnnouncementOut, errors=(409,))
def announce_training(training_id: int) -> Any:
    """Sends the training's announcement to its target districts (everyone if none), once."""
    rt = runtime()
    with rt.db.transaction() as session:
        announcement_id = trainings.announce(session, training_id, ACTOR, rt.clock(), rt.settings.public_base_url)
    rt.dispatcher.wake()
    return AnnouncementOut(announcement_id=announcement_id)


@router.get("/trainings/<int:training_id>/signups", summary="List a training's sign-ups", query=SignupQuery,
            response=page_of(SignupOut))
def list_signups(training_id: int, query: SignupQuery) -> Any:
    with runtime().db.transaction() as session:
        _get(session, training_id)
        stmt = select(TrainingSignup).where(TrainingSignup.training_id == training_id)
        if query.status is not None:
            stmt = stmt.where(TrainingSignup.status == query.status)
        return paginate(session, stmt, TrainingSignup.id, query, SignupOut, convert=lambda s: _signup_out(session, s))


@router.post("/trainings/<int:training_id>/signups/<int:signup_id>/cancel", summary="Cancel a sign-up",
             response=SignupOut, errors=(409,))
def cancel_signup(training_id: int, signup_id: int) -> Any:
    """Cancels a sign-up; the first person waiting gets the seat and is told in LINE. 409 if already cancelled."""
    rt = runtime()
    with rt.db.transaction() as session:
        trainings.staff_cancel_signup(session, signup_id, ACTOR, rt.clock(), rt.settings.public_base_url,
                                      training_id=training_id)
        result = _signup_out(session, session.get(TrainingSignup, signup_id))
    rt.dispatcher.wake()
    return result


@router.post("/trainings/<int:training_id>/checkins", summary="Check a trainee in by code", body=CheckinIn,
             response=CheckinOut, errors=(409,))
def check_in(training_id: int, body: CheckinIn) -> Any:
    """Records attendance once (`already` on a repeat) and tells the trainee "เช็กอินแล้ว" in LINE. Codes that are
    unknown, malformed, of another training or not holding a seat answer 409 with the outcome in `error.code`;
    so does a check-in before the training's day without `confirm_early` (`early`: nothing recorded)."""
    rt = runtime()
    with rt.db.transaction() as session:
        _get(session, training_id)
        result = training_checkin.check_in(session, body.code, ACTOR, rt.clock(), training_id=training_id,
                                    confirm_early=body.confirm_early)
    if result.ok:
        rt.dispatcher.wake()
    if result.outcome not in ("ok", "already"):
        raise Conflict(result.message, code=result.outcome)
    return CheckinOut(outcome=result.outcome, message=result.message, signup_id=result.signup_id,
                      checked_in_at=result.checked_in_at)


@router.get("/trainings/<int:training_id>/attendance", summary="Attendance of a training", response=AttendanceOut)
def attendance(training_id: int) -> Any:
    with runtime().db.transaction() as session:
        _get(session, training_id)
        counts = trainings.seat_counts(session, [training_id])[training_id]
        present = session.scalars(select(TrainingSignup).where(TrainingSignup.training_id == training_id,
                                                               TrainingSignup.checked_in_at.is_not(None))
                                  .order_by(TrainingSignup.checked_in_at, TrainingSignup.id)).all()
        return AttendanceOut(training_id=training_id, confirmed=counts["confirmed"], checked_in=counts["checked_in"],
                             attendance_rate=counts["checked_in"] / counts["confirmed"] if counts["confirmed"] else 0.0,
                             checked_in_signups=[_signup_out(session, s) for s in present])
