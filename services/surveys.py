"""The survey engine: staff build surveys (or start from a template), people are invited on a schedule and
answer in chat one question at a time, and staff read the results.

Rules kept here:
- one response per person per survey (unique row); answering resumes at the first unanswered question;
- a person is invited at most once per `min_days_between_surveys` days across all surveys (SurveySettings);
  a skipped invitation is recorded too, so a scan run twice never invites twice;
- a training's survey goes to those who checked in, `survey_delay_hours` after it ends; a project's survey to
  its followers and the residents of its districts once it is completed; one reminder to non-responders after 24 hours;
- figures (means, distributions, choices, the chart, the CSV, the API) need MIN_RESPONSES_FOR_DETAIL completed
  responses, below that counts only; staff reading the anonymous free-text and photo answers in the console see
  them however few (`results(..., staff=True)`): that suppression is for what gets published.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from flex_templates import surveys as cards
from models.media import MediaImage
from models.platform import Citizen
from models.surveys import (
    QUESTION_KINDS,
    SURVEY_KINDS,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveySettings,
)
from models.trainings import Training, TrainingSignup
from services import citizens, notify
from services.errors import Conflict, DomainError, NotFound
from texts import surveys as surveys_texts

if TYPE_CHECKING:
    from models.projects import Project

DEFAULT_MIN_DAYS = 14
REMIND_AFTER = timedelta(hours=24)
MAX_LATE = timedelta(days=7)  # a scan that was down longer does not send stale invitations or reminders
MAX_QUESTIONS = 30
MAX_OPTIONS = 12
MAX_TEXT = 1000
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


# ---- settings ----------------------------------------------------------------------------------------------------------
def settings(session: Session) -> SurveySettings:
    """The survey settings row (created with the defaults on first use)."""
    row = session.get(SurveySettings, 1)
    if row is None:
        row = SurveySettings(id=1, min_days_between_surveys=DEFAULT_MIN_DAYS)
        session.add(row)
        session.flush()
    return row


def set_min_days(session: Session, days: int, actor: str, now: datetime) -> SurveySettings:
    """Changes how often one person may be surveyed (0 = no limit)."""
    if not 0 <= days <= 365:
        raise DomainError(surveys_texts.ERR_CAP_DAYS, code="bad_cap_days")
    row = settings(session)
    row.min_days_between_surveys, row.updated_by, row.updated_at = days, actor, now
    session.flush()
    return row


# ---- building surveys (staff) --------------------------------------------------------------------------------------
@dataclass
class QuestionInput:
    kind: str
    prompt: str
    options: list[str] = field(default_factory=list)
    required: bool = True


def _clean_question(q: QuestionInput) -> QuestionInput:
    if q.kind not in QUESTION_KINDS:
        raise DomainError(surveys_texts.ERR_QUESTION_KIND, code="bad_question_kind")
    prompt = " ".join(q.prompt.split())
    if not prompt or len(prompt) > 300:
        raise DomainError(surveys_texts.ERR_PROMPT, code="bad_prompt")
    options: list[str] = []
    if q.kind in ("single", "multi"):
        options = list(dict.fromkeys(" ".join(o.split()) for o in q.options if o.strip()))
        if not 2 <= len(options) <= MAX_OPTIONS or any(len(o) > 60 for o in options):
            raise DomainError(surveys_texts.ERR_OPTIONS, code="bad_options")
    return QuestionInput(q.kind, prompt, options, bool(q.required))


def create_survey(session: Session, *, title: str, kind: str, actor: str, now: datetime, intro: str = "",
                  questions: Sequence[QuestionInput] = (), template_key: str | None = None,
                  training_id: int | None = None, project_id: int | None = None) -> Survey:
    """Creates a draft survey with its questions."""
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise DomainError(surveys_texts.ERR_TITLE, code="bad_title")
    if kind not in SURVEY_KINDS:
        raise DomainError(surveys_texts.ERR_KIND, code="bad_kind")
    cleaned = [_clean_question(q) for q in questions]
    if len(cleaned) > MAX_QUESTIONS:
        raise DomainError(surveys_texts.ERR_TOO_MANY_QUESTIONS, code="too_many_questions")
    survey = Survey(title=title, intro=intro.strip()[:1000], kind=kind, status="draft", template_key=template_key,
                    created_by=actor, created_at=now, updated_at=now)
    session.add(survey)
    session.flush()
    for position, q in enumerate(cleaned):
        session.add(SurveyQuestion(survey_id=survey.id, position=position, kind=q.kind, prompt=q.prompt,
                                   options=q.options, required=q.required))
    session.flush()
    if training_id is not None or project_id is not None:
        attach(session, survey.id, training_id=training_id, project_id=project_id, now=now)
    return survey


def create_from_template(session: Session, template_key: str, actor: str, now: datetime, *,
                         title: str | None = None, training_id: int | None = None,
                         project_id: int | None = None) -> Survey:
    """Creates a draft survey from a shipped template (e.g. "training_satisfaction")."""
    template = surveys_texts.TEMPLATES.get(template_key)
    if template is None:
        raise NotFound(surveys_texts.ERR_TEMPLATE, code="template_not_found")
    if title is None:
        title = template["title"]
        if training_id is not None:
            training = session.get(Training, training_id)
            title = f"{template['title']}: {training.title}" if training else title
    questions = [QuestionInput(kind, prompt, list(options), required)
                 for kind, prompt, options, required in template["questions"]]
    return create_survey(session, title=title[:200], kind=template["kind"], actor=actor, now=now,
                         intro=template["intro"], questions=questions, template_key=template_key,
                         training_id=training_id, project_id=project_id)


def get_survey(session: Session, survey_id: int) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(surveys_texts.ERR_NOT_FOUND, code="survey_not_found")
    return survey


def questions(session: Session, survey_id: int) -> list[SurveyQuestion]:
    return list(session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
                                .order_by(SurveyQuestion.position, SurveyQuestion.id)))


def _editable(session: Session, survey_id: int) -> Survey:
    survey = get_survey(session, survey_id)
    if survey.status != "draft":
        raise Conflict(surveys_texts.ERR_LOCKED, code="survey_locked")
    return survey


def add_question(session: Session, survey_id: int, question: QuestionInput, now: datetime) -> SurveyQuestion:
    """Adds a question at the end (drafts only: answers must always match the questions they answered)."""
    survey = _editable(session, survey_id)
    q = _clean_question(question)
    existing = questions(session, survey_id)
    if len(existing) >= MAX_QUESTIONS:
        raise DomainError(surveys_texts.ERR_TOO_MANY_QUESTIONS, code="too_many_questions")
    row = SurveyQuestion(survey_id=survey_id, position=(existing[-1].position + 1) if existing else 0, kind=q.kind,
                         prompt=q.prompt, options=q.options, required=q.required)
    session.add(row)
    survey.updated_at = now
    session.flush()
    return row


def remove_question(session: Session, survey_id: int, question_id: int, now: datetime) -> None:
    survey = _editable(session, survey_id)
    row = session.get(SurveyQuestion, question_id)
    if row is None or row.survey_id != survey_id:
        raise NotFound(surveys_texts.ERR_NOT_FOUND, code="question_not_found")
    session.delete(row)
    survey.updated_at = now
    session.flush()


def move_question(session: Session, survey_id: int, question_id: int, delta: int, now: datetime) -> None:
    """Moves a question up (-1) or down (+1)."""
    survey = _editable(session, survey_id)
    rows = questions(session, survey_id)
    index = next((i for i, q in enumerate(rows) if q.id == question_id), None)
    if index is None:
        raise NotFound(surveys_texts.ERR_NOT_FOUND, code="question_not_found")
    other = index + (1 if delta > 0 else -1)
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, q in enumerate(rows):
        q.position = position
    survey.updated_at = now
    session.flush()


def attach(session: Session, survey_id: int, *, training_id: int | None = None, project_id: int | None = None,
           now: datetime) -> Survey:
    """Attaches the survey to a training (sent to attendees) or a project (sent to residents when completed)."""
    survey = get_survey(session, survey_id)
    if training_id is not None and project_id is not None:
        raise DomainError(surveys_texts.ERR_ATTACH_BOTH, code="attach_both")
    if training_id is not None:
        if survey.kind != "training":
            raise DomainError(surveys_texts.ERR_ATTACH_TRAINING, code="wrong_kind")
        if session.get(Training, training_id) is None:
            raise NotFound(surveys_texts.ERR_TRAINING, code="training_not_found")
        survey.training_id, survey.project_id = training_id, None
    elif project_id is not None:
        from models.projects import Project

        if survey.kind != "project":
            raise DomainError(surveys_texts.ERR_ATTACH_PROJECT, code="wrong_kind")
        if session.get(Project, project_id) is None:
            raise NotFound(surveys_texts.ERR_PROJECT, code="project_not_found")
        survey.project_id, survey.training_id = project_id, None
    survey.updated_at = now
    session.flush()
    return survey


def set_status(session: Session, survey_id: int, status: str, now: datetime) -> Survey:
    """Opens a draft (it then goes out on its schedule) or closes an open survey (no more answers)."""
    survey = get_survey(session, survey_id)
    allowed = {("draft", "active"), ("active", "closed"), ("closed", "active")}
    if (survey.status, status) not in allowed:
        raise Conflict(surveys_texts.ERR_STATUS, code="bad_status_change")
    if status == "active" and not questions(session, survey_id):
        raise DomainError(surveys_texts.ERR_NO_QUESTIONS, code="no_questions")
    survey.status, survey.updated_at = status, now
    session.flush()
    return survey


def list_surveys(session: Session, *, training_id: int | None = None, limit: int = 200) -> list[Survey]:
    stmt = select(Survey).order_by(Survey.id.desc()).limit(limit)
    if training_id is not None:
        stmt = stmt.where(Survey.training_id == training_id)
    return list(session.scalars(stmt))


# ---- invitations ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InviteCounts:
    sent: int = 0
    skipped_cap: int = 0
    unreachable: int = 0


def minutes_needed(count: int) -> int:
    return max(1, math.ceil(count * 0.4))


def subject_name(session: Session, survey: Survey) -> str | None:
    """The title of the training or project the survey asks about (None for a general survey)."""
    if survey.training_id is not None:
        return session.scalar(select(Training.title).where(Training.id == survey.training_id))
    if survey.project_id is not None:
        from models.projects import Project

        return session.scalar(select(Project.title).where(Project.id == survey.project_id))
    return None


def about_line(session: Session, survey: Survey) -> str:
    """"เรื่องการอบรม “…” ที่คุณเข้าร่วม" (or the project's), so a person knows what the survey is about."""
    name = subject_name(session, survey)
    if not name:
        return ""
    about = surveys_texts.ABOUT_TRAINING if survey.training_id is not None else surveys_texts.ABOUT_PROJECT
    return about.format(name=name)


def _card(session: Session, survey: Survey, body: str) -> dict:
    name = subject_name(session, survey)
    alt = (surveys_texts.ALT_WITH_SUBJECT.format(title=survey.title, name=name) if name and name not in survey.title
           else survey.title)
    return cards.invitation(body, alt)


def invitation_message(session: Session, survey: Survey, count: int) -> dict:
    """The invitation card: the survey's title, what it is about, how long it takes."""
    intro = f"{survey.intro}\n" if survey.intro else ""
    about = about_line(session, survey)
    return _card(session, survey, surveys_texts.INVITE.format(title=survey.title, about=f"{about}\n" if about else "",
                                                              intro=intro, count=count, minutes=minutes_needed(count)))


def invite(session: Session, survey: Survey, citizen_ids: Sequence[int], now: datetime) -> InviteCounts:
    """Invites people to an open survey: once each, never within the per-person cap of another survey, never
    someone who unfollowed. Each decision is recorded, so inviting again changes nothing. Other features may
    call this too (e.g. buyers sampled for a satisfaction survey)."""
    if survey.status != "active":
        return InviteCounts()
    ids = list(dict.fromkeys(citizen_ids))
    if not ids:
        return InviteCounts()
    done = set(session.scalars(select(SurveyInvitation.citizen_id).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.citizen_id.in_(ids))))
    ids = [i for i in ids if i not in done]
    days = settings(session).min_days_between_surveys
    recent: set[int] = set()
    if days > 0 and ids:
        recent = set(session.scalars(select(SurveyInvitation.citizen_id).where(
            SurveyInvitation.citizen_id.in_(ids), SurveyInvitation.status == "sent",
            SurveyInvitation.invited_at > now - timedelta(days=days))))
    people = {c.id: c for c in session.scalars(select(Citizen).where(Citizen.id.in_(ids)))}
    to_send: list[str] = []
    counts = {"sent": 0, "skipped_cap": 0, "unreachable": 0}
    for citizen_id in ids:
        citizen = people.get(citizen_id)
        if citizen is None:
            continue
        if citizen_id in recent:
            status = "skipped_cap"
        elif not citizen.is_following or citizen.line_user_id.startswith("erased:"):
            status = "unreachable"
        else:
            status = "sent"
            to_send.append(citizen.line_user_id)
        counts[status] += 1
        session.add(SurveyInvitation(survey_id=survey.id, citizen_id=citizen_id, status=status, invited_at=now))
    session.flush()
    if to_send:
        count = len(questions(session, survey.id))
        notify.multicast(session, to_send, [invitation_message(session, survey, count)], now,
                         source=f"survey:{survey.id}:invite", already_filtered=True)
    return InviteCounts(**counts)


def _locked_survey(session: Session, survey_id: int) -> Survey:
    return session.scalars(select(Survey).where(Survey.id == survey_id).with_for_update()
                           .execution_options(populate_existing=True)).one()


def send_due_training_surveys(session: Session, now: datetime) -> int:
    """Invites those who checked in to a training, `survey_delay_hours` after it ended (idempotent)."""
    sent = 0
    rows = session.execute(select(Survey.id, Training.id, Training.ends_at, Training.survey_delay_hours)
                           .join(Training, Training.id == Survey.training_id)
                           .where(Survey.status == "active", Survey.kind == "training",
                                  Training.status == "published", Training.ends_at <= now)).all()
    for survey_id, training_id, ends_at, delay in rows:
        due = ends_at + timedelta(hours=delay)
        if not due <= now < due + MAX_LATE:
            continue
        survey = _locked_survey(session, survey_id)
        if survey.status != "active":
            continue
        invited = select(SurveyInvitation.id).where(SurveyInvitation.survey_id == survey.id,
                                                    SurveyInvitation.citizen_id == TrainingSignup.citizen_id)
        attendees = list(session.scalars(select(TrainingSignup.citizen_id).where(
            TrainingSignup.training_id == training_id, TrainingSignup.checked_in_at.is_not(None),
            TrainingSignup.citizen_id.is_not(None), ~exists(invited))))
        sent += invite(session, survey, attendees, now).sent
    return sent


def project_audience(session: Session, project: Project) -> list[int]:
    """Who a project's survey goes to: the citizens following the project (whatever their district) and the
    residents of its districts who follow the OA (everyone following, if the project is province-wide), each
    once, followers first. Project followers who left the OA stay in the list so `invite` records them as
    unreachable; people who are neither are not asked at all."""
    from models.projects import ProjectFollower
    from services.announcements import Audience, audience_ids

    followers = list(session.scalars(select(Citizen.id).join(ProjectFollower,
                                                             ProjectFollower.line_user_id == Citizen.line_user_id)
                                     .where(ProjectFollower.project_id == project.id)
                                     .order_by(ProjectFollower.created_at, ProjectFollower.id)))
    line_ids = audience_ids(session, Audience(districts=tuple(project.districts or ())))
    ids = list(followers)
    for start in range(0, len(line_ids), 1000):
        chunk = line_ids[start:start + 1000]
        ids += list(session.scalars(select(Citizen.id).where(Citizen.line_user_id.in_(chunk)).order_by(Citizen.id)))
    return list(dict.fromkeys(ids))


def launch_project_survey(session: Session, survey_id: int, now: datetime) -> InviteCounts | None:
    """Sends an open project survey to `project_audience`, once: `launched_at` is set under a row lock, so a
    second call (or a second scan running at the same time) sends nothing and returns None."""
    from models.projects import Project

    survey = _locked_survey(session, survey_id)
    if survey.launched_at is not None or survey.status != "active" or survey.project_id is None:
        return None
    project = session.get(Project, survey.project_id)
    if project is None:
        return None
    survey.launched_at = now
    return invite(session, survey, project_audience(session, project), now)


def send_due_project_surveys(session: Session, now: datetime) -> int:
    """Sends a project's satisfaction survey to its followers and the residents of its districts (see
    `project_audience`) once the project is completed; `launched_at` makes it happen once."""
    from models.projects import Project, ProjectStageChange

    sent = 0
    completed = exists(select(ProjectStageChange.id).where(ProjectStageChange.project_id == Project.id,
                                                           ProjectStageChange.stage == "completed"))
    rows = session.scalars(select(Survey.id).join(Project, Project.id == Survey.project_id).where(
        Survey.status == "active", Survey.kind == "project", Survey.launched_at.is_(None),
        (Project.stage == "completed") | completed)).all()
    for survey_id in rows:
        counts = launch_project_survey(session, survey_id, now)
        sent += counts.sent if counts else 0
    return sent


def send_due_reminders(session: Session, now: datetime) -> int:
    """Reminds, once, those invited 24 hours ago who have not finished (the marker is set with the outbox row)."""
    sent = 0
    finished = select(SurveyResponse.id).where(SurveyResponse.survey_id == SurveyInvitation.survey_id,
                                               SurveyResponse.citizen_id == SurveyInvitation.citizen_id,
                                               SurveyResponse.completed_at.is_not(None))
    survey_ids = session.scalars(select(SurveyInvitation.survey_id).join(Survey, Survey.id == SurveyInvitation.survey_id)
                                 .where(Survey.status == "active", SurveyInvitation.status == "sent",
                                        SurveyInvitation.reminded_at.is_(None),
                                        SurveyInvitation.invited_at <= now - REMIND_AFTER,
                                        SurveyInvitation.invited_at > now - REMIND_AFTER - MAX_LATE)
                                 .distinct()).all()
    for survey_id in survey_ids:
        survey = _locked_survey(session, survey_id)
        rows = session.execute(select(SurveyInvitation, Citizen).join(Citizen, Citizen.id == SurveyInvitation.citizen_id)
                               .where(SurveyInvitation.survey_id == survey_id, SurveyInvitation.status == "sent",
                                      SurveyInvitation.reminded_at.is_(None),
                                      SurveyInvitation.invited_at <= now - REMIND_AFTER,
                                      SurveyInvitation.invited_at > now - REMIND_AFTER - MAX_LATE,
                                      ~exists(finished))).all()
        if not rows:
            continue
        for invitation, _ in rows:
            invitation.reminded_at = now
        session.flush()
        count = len(questions(session, survey_id))
        about = about_line(session, survey)
        message = _card(session, survey, surveys_texts.REMIND.format(title=survey.title,
                                                                     about=f"{about}\n" if about else "",
                                                                     minutes=minutes_needed(count)))
        notify.multicast(session, [c.line_user_id for _, c in rows], [message], now,
                         source=f"survey:{survey_id}:remind", already_filtered=False)
        sent += len(rows)
    return sent


# ---- answering -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """Where a person is in a survey: the next question (None when done) and its number."""

    survey: Survey
    response: SurveyResponse
    question: SurveyQuestion | None
    index: int
    total: int
    just_completed: bool = False

    @property
    def done(self) -> bool:
        return self.question is None


def pending(session: Session, line_user_id: str) -> list[tuple[Survey, SurveyResponse | None]]:
    """Open surveys the person was invited to and has not finished, oldest invitation first."""
    citizen = citizens.get(session, line_user_id)
    if citizen is None:
        return []
    rows = session.execute(select(Survey, SurveyResponse).join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
                           .outerjoin(SurveyResponse, (SurveyResponse.survey_id == Survey.id)
                                      & (SurveyResponse.citizen_id == citizen.id))
                           .where(SurveyInvitation.citizen_id == citizen.id, SurveyInvitation.status == "sent",
                                  Survey.status == "active", SurveyResponse.completed_at.is_(None))
                           .order_by(SurveyInvitation.invited_at, Survey.id).limit(10)).all()
    return [(s, r) for s, r in rows]


def _progress(session: Session, survey: Survey, response: SurveyResponse, just_completed: bool = False) -> Progress:
    qs = questions(session, survey.id)
    answered = set(session.scalars(select(SurveyAnswer.question_id).where(SurveyAnswer.response_id == response.id)))
    for index, q in enumerate(qs, start=1):
        if q.id not in answered:
            return Progress(survey, response, q, index, len(qs))
    return Progress(survey, response, None, len(qs), len(qs), just_completed)


def start(session: Session, survey_id: int, line_user_id: str, now: datetime) -> Progress:
    """Starts or resumes the person's response. Only invited people answer; each answers once."""
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(surveys_texts.SURVEY_NOT_FOUND, code="survey_not_found")
    citizen = citizens.get(session, line_user_id)
    invited = citizen is not None and session.scalar(select(SurveyInvitation.id).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.citizen_id == citizen.id,
        SurveyInvitation.status == "sent")) is not None
    if not invited:
        raise DomainError(surveys_texts.NOT_INVITED, code="not_invited")
    response = session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                                            SurveyResponse.citizen_id == citizen.id)).one_or_none()
    if response is not None and response.completed_at is not None:
        raise Conflict(surveys_texts.COMPLETED_ALREADY.format(title=survey.title), code="completed")
    if survey.status != "active":
        raise DomainError(surveys_texts.SURVEY_CLOSED.format(title=survey.title), code="closed")
    if response is None:
        response = SurveyResponse(survey_id=survey.id, citizen_id=citizen.id, started_at=now, pending_choices=[])
        session.add(response)
        session.flush()
    return _progress(session, survey, response)


def current(session: Session, response_id: int, line_user_id: str) -> Progress:
    """The person's own response and its next question (else a DomainError for an old or foreign button)."""
    response = session.get(SurveyResponse, response_id)
    citizen = citizens.get(session, line_user_id)
    if response is None or citizen is None or response.citizen_id != citizen.id:
        raise NotFound(surveys_texts.SURVEY_NOT_FOUND, code="response_not_found")
    survey = get_survey(session, response.survey_id)
    if response.completed_at is not None:
        raise Conflict(surveys_texts.COMPLETED_ALREADY.format(title=survey.title), code="completed")
    if survey.status != "active":
        raise DomainError(surveys_texts.SURVEY_CLOSED.format(title=survey.title), code="closed")
    return _progress(session, survey, response)


class WrongAnswer(DomainError):
    """The input does not answer the current question; the question should be asked again."""

    code = "wrong_answer"


class AlreadyAnswered(DomainError):
    """A button of a question answered before (e.g. tapped twice); the current question should be asked."""

    code = "already_answered"


def _for_question(session: Session, response_id: int, question_id: int | None, line_user_id: str) -> Progress:
    progress = current(session, response_id, line_user_id)
    if question_id is not None and (progress.question is None or progress.question.id != question_id):
        if session.get(SurveyQuestion, question_id) is None or session.get(
                SurveyQuestion, question_id).survey_id != progress.survey.id:
            raise NotFound(surveys_texts.SURVEY_NOT_FOUND, code="question_not_found")
        raise AlreadyAnswered(surveys_texts.ALREADY_ANSWERED)
    assert progress.question is not None  # a response without a next question is completed (raised above)
    return progress


def _save(session: Session, progress: Progress, now: datetime, **values: object) -> Progress:
    question = progress.question
    assert question is not None
    session.add(SurveyAnswer(response_id=progress.response.id, question_id=question.id, answered_at=now, **values))
    progress.response.pending_choices = []
    session.flush()
    after = _progress(session, progress.survey, progress.response)
    if after.done:
        progress.response.completed_at = now
        session.flush()
        return _progress(session, progress.survey, progress.response, just_completed=True)
    return after


def parse_rating(text: str | None) -> int | None:
    """1-5 from what people type ('5', '๕', ' 4 ')."""
    value = (text or "").strip().translate(_THAI_DIGITS)
    return int(value) if re.fullmatch(r"[1-5]", value) else None


def answer_rating(session: Session, response_id: int, question_id: int | None, line_user_id: str,
                  value: int | None, now: datetime) -> Progress:
    progress = _for_question(session, response_id, question_id, line_user_id)
    if progress.question.kind != "rating" or value is None or not 1 <= value <= 5:
        raise WrongAnswer(surveys_texts.BAD_RATING)
    return _save(session, progress, now, rating=value)


def answer_choice(session: Session, response_id: int, question_id: int | None, line_user_id: str,
                  option: int | None, now: datetime) -> Progress:
    """A single-choice answer (option index)."""
    progress = _for_question(session, response_id, question_id, line_user_id)
    q = progress.question
    if q.kind != "single" or option is None or not 0 <= option < len(q.options):
        raise WrongAnswer(surveys_texts.BAD_CHOICE)
    return _save(session, progress, now, choices=[option])


def toggle_choice(session: Session, response_id: int, question_id: int | None, line_user_id: str,
                  option: int | None, now: datetime) -> Progress:
    """Selects or unselects one option of a multiple-choice question (saved when the person taps "done")."""
    progress = _for_question(session, response_id, question_id, line_user_id)
    q = progress.question
    if q.kind != "multi" or option is None or not 0 <= option < len(q.options):
        raise WrongAnswer(surveys_texts.BAD_CHOICE)
    chosen = [c for c in (progress.response.pending_choices or []) if isinstance(c, int)]
    chosen = [c for c in chosen if c != option] if option in chosen else sorted([*chosen, option])
    progress.response.pending_choices = chosen  # a new list: JSON columns track reassignment only
    session.flush()
    return progress


def finish_choices(session: Session, response_id: int, question_id: int | None, line_user_id: str,
                   now: datetime) -> Progress:
    progress = _for_question(session, response_id, question_id, line_user_id)
    q = progress.question
    if q.kind != "multi":
        raise WrongAnswer(surveys_texts.BAD_CHOICE)
    chosen = sorted(c for c in (progress.response.pending_choices or []) if isinstance(c, int)
                    and 0 <= c < len(q.options))
    if not chosen:
        if q.required:
            raise WrongAnswer(surveys_texts.BAD_MULTI_EMPTY)
        return _save(session, progress, now, skipped=True)
    return _save(session, progress, now, choices=chosen)


def match_option(question: SurveyQuestion, text: str | None) -> int | None:
    """The option someone typed instead of tapping: its number (1-based) or its exact words."""
    value = " ".join((text or "").split())
    if not value:
        return None
    digits = value.translate(_THAI_DIGITS)
    if digits.isdigit() and 1 <= int(digits) <= len(question.options):
        return int(digits) - 1
    for index, option in enumerate(question.options):
        if option.casefold() == value.casefold():
            return index
    return None


def answer_text(session: Session, response_id: int, line_user_id: str, text: str | None, now: datetime) -> Progress:
    progress = _for_question(session, response_id, None, line_user_id)
    if progress.question.kind != "text":
        raise WrongAnswer(surveys_texts.BAD_TEXT_EMPTY)
    value = (text or "").strip()
    if not value:
        raise WrongAnswer(surveys_texts.BAD_TEXT_EMPTY)
    if len(value) > MAX_TEXT:
        raise WrongAnswer(surveys_texts.BAD_TEXT_LONG.format(limit=MAX_TEXT))
    return _save(session, progress, now, text=value)


def answer_photo(session: Session, response_id: int, line_user_id: str, data: bytes, now: datetime) -> Progress:
    """Stores a photo answer through the safe image pipeline (size, format and EXIF are handled there)."""
    from services.images import accept_image, save_image

    progress = _for_question(session, response_id, None, line_user_id)
    if progress.question.kind != "photo":
        raise WrongAnswer(surveys_texts.BAD_PHOTO)
    processed = accept_image(data)  # ImageRejected is a DomainError with a Thai reason
    image = save_image(session, processed, kind="survey", owner_key=f"survey_response:{progress.response.id}", now=now)
    return _save(session, progress, now, image_id=image.id)


def skip(session: Session, response_id: int, question_id: int | None, line_user_id: str, now: datetime) -> Progress:
    progress = _for_question(session, response_id, question_id, line_user_id)
    if progress.question.required:
        raise WrongAnswer(surveys_texts.NOT_SKIPPABLE)
    return _save(session, progress, now, skipped=True)


# ---- PDPA ----------------------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """Invitations received and the person's own answers."""
    invitations = session.execute(select(SurveyInvitation, Survey).join(Survey, Survey.id == SurveyInvitation.survey_id)
                                  .where(SurveyInvitation.citizen_id == citizen.id)
                                  .order_by(SurveyInvitation.id)).all()
    responses = []
    for response, survey in session.execute(select(SurveyResponse, Survey).join(Survey, Survey.id ==
                                                                                SurveyResponse.survey_id)
                                            .where(SurveyResponse.citizen_id == citizen.id)
                                            .order_by(SurveyResponse.id)).all():
        qs = {q.id: q for q in questions(session, survey.id)}
        answers = []
        for a in session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == response.id)
                                 .order_by(SurveyAnswer.id)):
            q = qs.get(a.question_id)
            answers.append({"question": q.prompt if q else None, "rating": a.rating,
                            "choices": [q.options[c] for c in a.choices or [] if q and 0 <= c < len(q.options)],
                            "text": a.text, "photo": bool(a.image_id), "skipped": a.skipped})
        responses.append({"survey": survey.title, "started_at": response.started_at.isoformat(),
                          "completed_at": response.completed_at.isoformat() if response.completed_at else None,
                          "answers": answers})
    if not invitations and not responses:
        return {}
    return {"survey_invitations": [{"survey": s.title, "status": i.status, "invited_at": i.invited_at.isoformat(),
                                    "reminded_at": i.reminded_at.isoformat() if i.reminded_at else None}
                                   for i, s in invitations],
            "survey_responses": responses}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Deletes the person's free-text answers and photos (they may identify someone) and unlinks their
    invitations and responses; the ratings and choices stay as anonymous statistics."""
    response_ids = list(session.scalars(select(SurveyResponse.id).where(SurveyResponse.citizen_id == citizen.id)))
    if response_ids:
        answers = list(session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id.in_(response_ids))))
        image_ids = [a.image_id for a in answers if a.image_id]
        for answer in answers:
            answer.text, answer.image_id = None, None
        session.flush()
        if image_ids:
            session.execute(delete(MediaImage).where(MediaImage.id.in_(image_ids)))
        for response in session.scalars(select(SurveyResponse).where(SurveyResponse.id.in_(response_ids))):
            response.citizen_id, response.pending_choices = None, []
    for invitation in session.scalars(select(SurveyInvitation).where(SurveyInvitation.citizen_id == citizen.id)):
        invitation.citizen_id = None
    session.flush()
