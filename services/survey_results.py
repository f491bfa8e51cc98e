"""Survey results: counts, and per question (with enough responses) mean, distribution, choices, texts and photos;
the chart and the anonymous table the console offers as CSV. Figures are published only from
MIN_RESPONSES_FOR_DETAIL completed responses (small counts could point at a person); staff still read the
anonymous free-text and photo answers below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.media import MediaImage
from models.surveys import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse
from services.charts import RatingRow, rating_chart
from services.images import image_url
from services.surveys import get_survey, questions
from texts import surveys as surveys_texts
from texts import trainings as trainings_texts

MIN_RESPONSES_FOR_DETAIL = 5


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    mean: float | None = None
    distribution: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])  # ratings 1..5
    choice_counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    invited: int
    skipped_cap: int
    started: int
    responses: int  # completed
    detail: bool  # False: fewer than MIN_RESPONSES_FOR_DETAIL responses, no figures
    questions: list[QuestionResult]  # without detail: empty, or for staff only the free-text and photo answers

    @property
    def rate(self) -> float:
        return self.responses / self.invited if self.invited else 0.0


def results(session: Session, survey_id: int, *, staff: bool = False) -> Results:
    """Counts, and per question (only with enough responses) mean, distribution, choices, texts and photos.

    With `staff`, free-text and photo answers are listed even below the minimum (never who gave them)."""
    survey = get_survey(session, survey_id)
    by_status = dict(session.execute(select(SurveyInvitation.status, func.count(SurveyInvitation.id))
                                     .where(SurveyInvitation.survey_id == survey_id)
                                     .group_by(SurveyInvitation.status)).all())
    started = session.scalar(select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey_id)) or 0
    done_ids = list(session.scalars(select(SurveyResponse.id).where(SurveyResponse.survey_id == survey_id,
                                                                    SurveyResponse.completed_at.is_not(None))))
    detail = len(done_ids) >= MIN_RESPONSES_FOR_DETAIL
    out = Results(survey, by_status.get("sent", 0), by_status.get("skipped_cap", 0), started, len(done_ids), detail,
                  [])
    if not detail and not staff:
        return out
    per_question = {q.id: QuestionResult(q) for q in questions(session, survey_id)
                    if detail or q.kind in ("text", "photo")}
    for q in per_question.values():
        if q.question.kind in ("single", "multi"):
            q.choice_counts = [(option, 0) for option in q.question.options]
    answers = session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id.in_(done_ids))
                              .order_by(SurveyAnswer.id))
    for answer in answers:
        q = per_question.get(answer.question_id)
        if q is None or answer.skipped:
            continue
        q.answered += 1
        if answer.rating is not None and 1 <= answer.rating <= 5:
            q.distribution[answer.rating - 1] += 1
        for choice in answer.choices or []:
            if isinstance(choice, int) and 0 <= choice < len(q.choice_counts):
                option, count = q.choice_counts[choice]
                q.choice_counts[choice] = (option, count + 1)
        if answer.text:
            q.texts.append(answer.text)
        if answer.image_id:
            q.image_ids.append(answer.image_id)
    for q in per_question.values():
        rated = sum(q.distribution)
        if q.question.kind == "rating" and rated:
            q.mean = sum((i + 1) * n for i, n in enumerate(q.distribution)) / rated
    out.questions = list(per_question.values())
    return out


def chart_png(session: Session, survey_id: int) -> bytes | None:
    """The results chart (rating questions: share of each score and the mean), or None without enough data."""
    res = results(session, survey_id)
    rows = [RatingRow(q.question.prompt, q.distribution, q.mean) for q in res.questions
            if q.question.kind == "rating"]
    if not res.detail or not rows:
        return None
    return rating_chart(surveys_texts.CHART_TITLE.format(title=res.survey.title), rows,
                        legend=[surveys_texts.RATING_LABELS[i] for i in range(1, 6)],
                        subtitle=surveys_texts.CHART_SUBTITLE.format(responses=res.responses, invited=res.invited))


def results_table(session: Session, survey_id: int, base_url: str) -> tuple[list[str], list[list[object]]]:
    """Completed responses as a Thai header and one row each, anonymous (no names, no LINE ids); below the minimum
    only the counts. The web layer writes it as CSV (web/csv_export.py), which also neutralises formulas."""
    res = results(session, survey_id)
    if not res.detail:
        return list(surveys_texts.CSV_COUNTS_HEADER), [[res.invited, res.responses, f"{res.rate:.3f}",
                                                        surveys_texts.TOO_FEW.format(minimum=MIN_RESPONSES_FOR_DETAIL)]]
    qs = questions(session, survey_id)
    header = [surveys_texts.CSV_NUMBER, surveys_texts.CSV_COMPLETED_AT,
              *[f"{i}. {q.prompt}" for i, q in enumerate(qs, start=1)]]
    responses = list(session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id,
                                                                  SurveyResponse.completed_at.is_not(None))
                                     .order_by(SurveyResponse.completed_at, SurveyResponse.id)))
    answers: dict[tuple[int, int], SurveyAnswer] = {
        (a.response_id, a.question_id): a for a in session.scalars(select(SurveyAnswer).where(
            SurveyAnswer.response_id.in_([r.id for r in responses])))}
    images = {i.id: i for i in session.scalars(select(MediaImage).where(MediaImage.id.in_(
        [a.image_id for a in answers.values() if a.image_id])))}
    rows: list[list[object]] = []
    for number, response in enumerate(responses, start=1):
        row: list[object] = [number, trainings_texts.thai_datetime(response.completed_at)]
        for q in qs:
            a = answers.get((response.id, q.id))
            if a is None or a.skipped:
                row.append("")
            elif q.kind == "rating":
                row.append(a.rating)
            elif q.kind in ("single", "multi"):
                row.append(" | ".join(q.options[c] for c in a.choices or [] if 0 <= c < len(q.options)))
            elif q.kind == "photo":
                row.append(image_url(base_url, images[a.image_id]) if a.image_id in images else "")
            else:
                row.append(a.text or "")
        rows.append(row)
    return header, rows
