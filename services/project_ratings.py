"""Citizens rate finished projects: 1-5 stars, a comment and a photo of the result, through the survey engine.

When a published project is finished (it reached "completed", or jumped straight to "evaluated": the work is done
and "evaluated" is the office's own assessment, which these ratings feed), a scan creates the project's rating
survey (three questions: stars, an optional comment, an optional photo; `template_key = "project_rating"`) and
launches it with the survey engine's project path: the project's followers and the residents of its districts,
each once, within the per-person frequency cap, every decision recorded as a SurveyInvitation. The survey row and
its `launched_at` make the scan idempotent; a project that finished more than INVITE_WINDOW ago is not asked about
(so switching this on does not survey people about projects from years ago, and a scan that was down longer does
not send stale invitations).

Published figures follow the survey engine's rule: the average and count, and the citizens' photos, appear once
MIN_RATINGS people have rated. Answers and photos are the survey engine's rows, so its PDPA export and erasure
cover them (an erased person's photo disappears from the page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from models.media import MediaImage
from models.projects import STAGES, Project, ProjectStageChange
from models.surveys import Survey, SurveyAnswer, SurveyQuestion
from services import images, projects, surveys
from services.survey_results import MIN_RESPONSES_FOR_DETAIL
from texts import project_ratings as project_ratings_texts

TEMPLATE_KEY = "project_rating"
FINISHED_STAGES = ("completed", "evaluated")
BEFORE_STAGES = ("announced", "in_progress")
INVITE_WINDOW = timedelta(days=14)
MIN_RATINGS = MIN_RESPONSES_FOR_DETAIL  # 5: the same threshold as every published survey figure
MAX_CITIZEN_PHOTOS = 24
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Rating:
    """The mean of 1-5 stars and how many people gave them."""

    mean: float
    count: int


@dataclass(frozen=True)
class ScanCounts:
    projects: int = 0
    sent: int = 0
    skipped_cap: int = 0
    unreachable: int = 0


@dataclass(frozen=True)
class BeforeAfter:
    """Photos to show side by side: (full URL, thumbnail URL) each. `before` is the earliest stage with photos
    before the work was done; `after` the latest finished stage's photos, or the citizens' result photos when
    staff posted none (`after_from_citizens`)."""

    before: list[tuple[str, str]] = field(default_factory=list)
    after: list[tuple[str, str]] = field(default_factory=list)
    before_stage: str | None = None
    after_stage: str | None = None
    after_from_citizens: bool = False


def is_finished(project: Project) -> bool:
    return project.stage in FINISHED_STAGES


# ---- the survey -----------------------------------------------------------------------------------------------------
def rating_survey(session: Session, project_id: int) -> Survey | None:
    """The project's rating survey (one per project), if it was created."""
    return session.scalars(select(Survey).where(Survey.project_id == project_id, Survey.template_key == TEMPLATE_KEY)
                           .order_by(Survey.id).limit(1)).first()


def _create_survey(session: Session, project: Project, now: datetime) -> Survey:
    questions = [surveys.QuestionInput("rating", project_ratings_texts.Q_STARS),
                 surveys.QuestionInput("text", project_ratings_texts.Q_COMMENT, required=False),
                 surveys.QuestionInput("photo", project_ratings_texts.Q_PHOTO, required=False)]
    title = project_ratings_texts.SURVEY_TITLE.format(title=project.title)
    if len(title) > 200:
        title = title[:199] + "…"
    survey = surveys.create_survey(session, title=title, kind="project", actor=SYSTEM_ACTOR, now=now,
                                   intro=project_ratings_texts.SURVEY_INTRO, questions=questions,
                                   template_key=TEMPLATE_KEY, project_id=project.id)
    return surveys.set_status(session, survey.id, "active", now)


def due_projects(session: Session, now: datetime) -> list[int]:
    """Published projects that first became finished within INVITE_WINDOW and whose rating survey has not gone
    out yet."""
    first_finish = (select(ProjectStageChange.project_id, func.min(ProjectStageChange.changed_at).label("at"))
                    .where(ProjectStageChange.stage.in_(FINISHED_STAGES))
                    .group_by(ProjectStageChange.project_id).subquery())
    launched = exists(select(Survey.id).where(Survey.project_id == Project.id, Survey.template_key == TEMPLATE_KEY,
                                              Survey.launched_at.is_not(None)))
    return list(session.scalars(select(Project.id).join(first_finish, first_finish.c.project_id == Project.id)
                                .where(Project.published.is_(True), first_finish.c.at > now - INVITE_WINDOW,
                                       first_finish.c.at <= now, ~launched).order_by(Project.id)))


def scan(session: Session, now: datetime) -> ScanCounts:
    """Creates and sends the rating survey of each newly finished project (idempotent: run twice, invites once)."""
    totals = {"projects": 0, "sent": 0, "skipped_cap": 0, "unreachable": 0}
    for project_id in due_projects(session, now):
        # The project row lock serialises two scans, so a project never gets two rating surveys.
        project = session.scalars(select(Project).where(Project.id == project_id).with_for_update()
                                  .execution_options(populate_existing=True)).one()
        survey = rating_survey(session, project.id) or _create_survey(session, project, now)
        counts = surveys.launch_project_survey(session, survey.id, now)
        if counts is None:
            continue
        totals["projects"] += 1
        totals["sent"] += counts.sent
        totals["skipped_cap"] += counts.skipped_cap
        totals["unreachable"] += counts.unreachable
    return ScanCounts(**totals)


# ---- what the page and the reports show ---------------------------------------------------------------------------
def _answers(project_id: int, kind: str):  # noqa: ANN202 - a select built for two callers
    return (select(SurveyAnswer).join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
            .join(Survey, Survey.id == SurveyQuestion.survey_id)
            .where(Survey.project_id == project_id, Survey.template_key == TEMPLATE_KEY, SurveyQuestion.kind == kind))


def rating_count(session: Session, project_id: int) -> int:
    """How many people gave stars (for staff; the public sees `project_rating`)."""
    stmt = _answers(project_id, "rating").where(SurveyAnswer.rating.is_not(None))
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def project_rating(session: Session, project_id: int) -> Rating | None:
    """The citizens' average stars and count, or None while fewer than MIN_RATINGS people have rated.

    A rating counts once given, even if the person did not go on to the optional comment and photo; ratings of
    people whose data was erased stay, as anonymous statistics."""
    answers = _answers(project_id, "rating").where(SurveyAnswer.rating.is_not(None)).subquery()
    count, mean = session.execute(select(func.count(), func.avg(answers.c.rating))).one()
    if not count or count < MIN_RATINGS:
        return None
    return Rating(mean=round(float(mean), 2), count=int(count))


def result_photos(session: Session, project_id: int, base_url: str) -> list[tuple[str, str]]:
    """The photos citizens sent as answers to the rating survey ((full URL, thumbnail URL), oldest first), shown
    without names, and only once the rating itself is published (MIN_RATINGS), so a lone photo cannot be tied to
    the one person who answered."""
    if project_rating(session, project_id) is None:
        return []
    answers = _answers(project_id, "photo").where(SurveyAnswer.image_id.is_not(None)).subquery()
    rows = session.scalars(select(MediaImage).join(answers, answers.c.image_id == MediaImage.id)
                           .order_by(answers.c.id).limit(MAX_CITIZEN_PHOTOS))
    return [(images.image_url(base_url, image), images.thumb_url(base_url, image)) for image in rows]


def before_after(session: Session, project_id: int, base_url: str,
                 citizen_photos: list[tuple[str, str]] | None = None) -> BeforeAfter:
    """Staff's photos of the earliest stage before the work was done against the latest finished stage's (or,
    when staff posted none after, the citizens' result photos)."""
    by_stage: dict[str, list[tuple[str, str]]] = {}
    for photo, full, thumb in projects.photo_links(session, project_id, base_url):
        by_stage.setdefault(photo.stage, []).append((full, thumb))
    before_stage = next((s for s in STAGES if s in BEFORE_STAGES and by_stage.get(s)), None)
    after_stage = next((s for s in reversed(STAGES) if s in FINISHED_STAGES and by_stage.get(s)), None)
    if after_stage is None:
        citizens = citizen_photos if citizen_photos is not None else result_photos(session, project_id, base_url)
        return BeforeAfter(before=by_stage.get(before_stage, []) if before_stage else [], after=list(citizens),
                           before_stage=before_stage, after_from_citizens=bool(citizens))
    return BeforeAfter(before=by_stage.get(before_stage, []) if before_stage else [], after=by_stage[after_stage],
                       before_stage=before_stage, after_stage=after_stage)
