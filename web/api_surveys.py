"""REST API of surveys: templates, create from a template, attach to a training or project, open/close, and
results (counts; per-question detail only with enough responses to keep respondents anonymous)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from bot.runtime import runtime
from models.surveys import Survey
from services import survey_results, surveys
from services.errors import DomainError
from texts import surveys as surveys_texts
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of, paginate

router = ApiRouter("surveys", "แบบสอบถามความพึงพอใจและผลลัพธ์")

ACTOR = "api"
TemplateKey = Literal[tuple(surveys_texts.TEMPLATES)]  # type: ignore[valid-type]
SurveyStatus = Literal["draft", "active", "closed"]
SurveyKind = Literal["training", "project", "general"]
QuestionKind = Literal["rating", "single", "multi", "text", "photo"]


class TemplateOut(ApiModel):
    key: str
    name: str
    kind: SurveyKind
    questions: int


class TemplateList(ApiModel):
    """The survey templates that ship with the system."""

    data: list[TemplateOut]


class QuestionOut(ApiModel):
    id: int
    position: int
    kind: QuestionKind
    prompt: str
    options: list[str]
    required: bool


class SurveyOut(ApiModel):
    """A survey and where it is sent: to a training's attendees or a completed project's residents."""

    id: int
    title: str
    intro: str
    kind: SurveyKind
    status: SurveyStatus
    template_key: str | None
    training_id: int | None
    project_id: int | None
    launched_at: UtcDateTime | None = Field(description="A project survey: when its invitations went out.")
    created_at: UtcDateTime
    questions: list[QuestionOut]


class SurveyFromTemplateIn(ApiModel):
    template: TemplateKey = Field(description="e.g. `training_satisfaction`.")
    title: str | None = Field(None, max_length=200, description="Default: the template's title.")
    training_id: int | None = None
    project_id: int | None = None


class AttachIn(ApiModel):
    """Exactly one of the two."""

    training_id: int | None = None
    project_id: int | None = None


class StatusIn(ApiModel):
    status: Literal["active", "closed"] = Field(description="`active` opens a draft (or reopens); `closed` stops.")


class RatingOut(ApiModel):
    mean: float | None
    distribution: dict[str, int] = Field(description="Count of each score, keys \"1\"..\"5\".")


class ChoiceOut(ApiModel):
    option: str
    count: int


class QuestionResultOut(ApiModel):
    question_id: int
    prompt: str
    kind: QuestionKind
    answered: int
    rating: RatingOut | None = None
    choices: list[ChoiceOut] | None = None
    texts: list[str] | None = None
    photo_count: int | None = None


class ResultsOut(ApiModel):
    """Counts always; `questions` only when `detail` is true (at least `minimum_for_detail` responses)."""

    survey_id: int
    invited: int
    skipped_by_cap: int = Field(description="Not invited: they had another survey within the per-person cap.")
    started: int
    responses: int = Field(description="Completed responses.")
    response_rate: float
    detail: bool
    minimum_for_detail: int
    questions: list[QuestionResultOut] | None


def _out(session: Any, survey: Survey) -> SurveyOut:
    return SurveyOut(id=survey.id, title=survey.title, intro=survey.intro, kind=survey.kind, status=survey.status,
                     template_key=survey.template_key, training_id=survey.training_id, project_id=survey.project_id,
                     launched_at=survey.launched_at, created_at=survey.created_at,
                     questions=[QuestionOut.model_validate(q) for q in surveys.questions(session, survey.id)])


@router.get("/survey-templates", summary="List survey templates", response=TemplateList)
def list_templates() -> Any:
    return TemplateList(data=[TemplateOut(key=key, name=t["name"], kind=t["kind"], questions=len(t["questions"]))
                              for key, t in surveys_texts.TEMPLATES.items()])


@router.get("/surveys", summary="List surveys", query=ListQuery, response=page_of(SurveyOut))
def list_surveys(query: ListQuery) -> Any:
    with runtime().db.transaction() as session:
        return paginate(session, select(Survey), Survey.id, query, SurveyOut, convert=lambda s: _out(session, s))


@router.post("/surveys", summary="Create a survey from a template", body=SurveyFromTemplateIn, response=SurveyOut,
             status=201)
def create_survey(body: SurveyFromTemplateIn) -> Any:
    """Creates a draft survey from a template, optionally attached to a training or a project."""
    rt = runtime()
    with rt.db.transaction() as session:
        survey = surveys.create_from_template(session, body.template, ACTOR, rt.clock(), title=body.title,
                                              training_id=body.training_id, project_id=body.project_id)
        return _out(session, survey)


@router.get("/surveys/<int:survey_id>", summary="Get one survey with its questions", response=SurveyOut)
def get_survey(survey_id: int) -> Any:
    with runtime().db.transaction() as session:
        return _out(session, surveys.get_survey(session, survey_id))


@router.post("/surveys/<int:survey_id>/attach", summary="Attach a survey to a training or project", body=AttachIn,
             response=SurveyOut)
def attach_survey(survey_id: int, body: AttachIn) -> Any:
    rt = runtime()
    if (body.training_id is None) == (body.project_id is None):
        raise DomainError(surveys_texts.ERR_ATTACH_BOTH, code="attach_one")
    with rt.db.transaction() as session:
        survey = surveys.attach(session, survey_id, training_id=body.training_id, project_id=body.project_id,
                                now=rt.clock())
        return _out(session, survey)


@router.post("/surveys/<int:survey_id>/status", summary="Open or close a survey", body=StatusIn, response=SurveyOut,
             errors=(409,))
def set_status(survey_id: int, body: StatusIn) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        return _out(session, surveys.set_status(session, survey_id, body.status, rt.clock()))


@router.get("/surveys/<int:survey_id>/results", summary="Results of a survey", response=ResultsOut)
def get_results(survey_id: int) -> Any:
    """Invitations, responses and rate; with enough responses, per question the mean and distribution (ratings),
    choice counts and free-text answers."""
    with runtime().db.transaction() as session:
        res = survey_results.results(session, survey_id)
        questions = None
        if res.detail:
            questions = []
            for q in res.questions:
                item = QuestionResultOut(question_id=q.question.id, prompt=q.question.prompt, kind=q.question.kind,
                                         answered=q.answered)
                if q.question.kind == "rating":
                    item.rating = RatingOut(mean=round(q.mean, 3) if q.mean is not None else None,
                                            distribution={str(i + 1): n for i, n in enumerate(q.distribution)})
                elif q.question.kind in ("single", "multi"):
                    item.choices = [ChoiceOut(option=o, count=n) for o, n in q.choice_counts]
                elif q.question.kind == "text":
                    item.texts = list(q.texts)
                elif q.question.kind == "photo":
                    item.photo_count = len(q.image_ids)
                questions.append(item)
        return ResultsOut(survey_id=survey_id, invited=res.invited, skipped_by_cap=res.skipped_cap,
                          started=res.started, responses=res.responses, response_rate=round(res.rate, 4),
                          detail=res.detail, minimum_for_detail=survey_results.MIN_RESPONSES_FOR_DETAIL, questions=questions)
