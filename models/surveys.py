"""Surveys: questions, who was invited (and reminded), responses and answers, and the per-person cap setting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

SURVEY_KINDS = ("training", "project", "general")
SURVEY_STATUSES = ("draft", "active", "closed")
QUESTION_KINDS = ("rating", "single", "multi", "text", "photo")
INVITATION_STATUSES = ("sent", "skipped_cap", "unreachable")


class Survey(Base):
    """A list of questions answered in chat. A training survey goes to those who attended; a project survey
    goes to the residents of the project's districts when the project is completed."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="general")  # training | project | general
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)  # draft | active | closed
    template_key: Mapped[str | None] = mapped_column(String(40))
    training_id: Mapped[int | None] = mapped_column(ForeignKey("trainings.id", ondelete="SET NULL"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    launched_at: Mapped[datetime | None]  # a project survey: when its invitations went out (sent once)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyQuestion(Base):
    """One question: 1-5 rating, single or multiple choice (`options`), free text, or a photo."""

    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(String(300))
    options: Mapped[list] = mapped_column(default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class SurveyInvitation(Base):
    """That a person was asked (or deliberately not asked: the per-person cap, or they no longer follow).

    One row per person per survey, so a scan run twice never invites twice. `citizen_id` is NULL after the
    person's data was erased (the row remains as an anonymous count)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("survey_id", "citizen_id", name="uq_survey_invitations_survey_citizen"),
        Index("ix_survey_invitations_citizen_status", "citizen_id", "status", "invited_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))  # sent | skipped_cap | unreachable
    invited_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """One person's answers to one survey; `completed_at` is set when the last question is answered."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "citizen_id", name="uq_survey_responses_survey_citizen"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    pending_choices: Mapped[list] = mapped_column(default=list)  # a multiple-choice answer being built


class SurveyAnswer(Base):
    """The answer to one question: `rating` (1-5), `choices` (option indexes), `text`, or a photo."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id", name="uq_survey_answers_response_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    choices: Mapped[list | None]
    text: Mapped[str | None] = mapped_column(Text)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveySettings(Base):
    """Province-wide survey settings staff may change in the console (one row, id 1)."""

    __tablename__ = "survey_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    min_days_between_surveys: Mapped[int] = mapped_column(Integer, default=14)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
