"""Surveys in chat: "แบบสอบถาม" starts or resumes a waiting survey; questions come one at a time with buttons and
progress "(2/6)"; typed answers, photos and wrong input are handled in a flow; thanks at the end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates import surveys as cards
from flex_templates.basic import postback_action, text
from models.platform import Conversation
from services import images, surveys
from services.errors import DomainError
from services.surveys import AlreadyAnswered, Progress, WrongAnswer
from texts import surveys as surveys_texts

router = Router("surveys")
router.menu_item(surveys_texts.WORD_SURVEYS, order=50)

FLOW_NAME = "survey"


@dataclass
class StartSurvey(PostbackData, prefix="srv_go"):
    survey_id: int


@dataclass
class Rate(PostbackData, prefix="srv_r"):
    response_id: int
    question_id: int
    value: int


@dataclass
class Pick(PostbackData, prefix="srv_p"):
    response_id: int
    question_id: int
    option: int


@dataclass
class Toggle(PostbackData, prefix="srv_t"):
    response_id: int
    question_id: int
    option: int


@dataclass
class DoneChoosing(PostbackData, prefix="srv_f"):
    response_id: int
    question_id: int


@dataclass
class Skip(PostbackData, prefix="srv_k"):
    response_id: int
    question_id: int


# ---- showing a question ---------------------------------------------------------------------------------------------
def question_message(progress: Progress) -> dict:
    """The current question: "(2/6) prompt", a hint, and its answer buttons."""
    q = progress.question
    assert q is not None
    rid, qid = progress.response.id, q.id
    lines = [surveys_texts.PROGRESS.format(index=progress.index, total=progress.total, prompt=q.prompt)]
    actions: list[dict] = []
    if q.kind == "rating":
        lines.append(surveys_texts.HINT_RATING)
        for value in (5, 4, 3, 2, 1):
            label = f"{value} {surveys_texts.RATING_LABELS[value]}"
            actions.append(postback_action(label, Rate(rid, qid, value).pack(), label))
    elif q.kind == "single":
        lines.append(surveys_texts.HINT_SINGLE)
        lines += [f"{i}. {option}" for i, option in enumerate(q.options, start=1)]
        actions += [postback_action(option, Pick(rid, qid, i).pack(), option) for i, option in enumerate(q.options)]
    elif q.kind == "multi":
        chosen = set(progress.response.pending_choices or [])
        lines.append(surveys_texts.HINT_MULTI)
        lines += [f"{'✅' if i in chosen else '▫️'} {i + 1}. {option}" for i, option in enumerate(q.options)]
        actions += [postback_action(("✅ " if i in chosen else "") + option, Toggle(rid, qid, i).pack(), option)
                    for i, option in enumerate(q.options)][:11]
        actions.append(postback_action(surveys_texts.LABEL_DONE, DoneChoosing(rid, qid).pack(),
                                       surveys_texts.LABEL_DONE))
    elif q.kind == "text":
        lines.append(surveys_texts.HINT_TEXT)
    elif q.kind == "photo":
        lines.append(surveys_texts.HINT_PHOTO)
        actions += cards.camera_actions()
    if not q.required and q.kind != "multi":
        lines.append(surveys_texts.HINT_OPTIONAL)
        actions.append(postback_action(surveys_texts.LABEL_SKIP, Skip(rid, qid).pack(), surveys_texts.LABEL_SKIP))
    return cards.question("\n".join(lines), actions)


def _leave_flow(ctx: Context) -> None:
    row = ctx.session.get(Conversation, ctx.user_id) if ctx.user_id else None
    if row is not None and row.flow == FLOW_NAME:
        ctx.session.delete(row)
        ctx.session.flush()


def _next(ctx: Context, progress: Progress, *lead: str) -> None:
    """Thanks at the end; otherwise keeps the survey flow open on the next question and asks it."""
    for line in lead:
        ctx.reply(text(line))
    if progress.done:
        _leave_flow(ctx)
        ctx.reply(text(surveys_texts.THANKS, ctx.menu_actions()))
        return
    survey_flow.start(ctx, {"response_id": progress.response.id})


def _stop(ctx: Context, exc: DomainError) -> None:
    """An old, closed, finished or foreign survey: says so politely and leaves the flow."""
    _leave_flow(ctx)
    ctx.reply(text(exc.message, ctx.menu_actions()))


def _reask(ctx: Context, response_id: int, *lead: str) -> None:
    try:
        progress = surveys.current(ctx.session, response_id, ctx.user_id or "")
    except DomainError as exc:
        _stop(ctx, exc)
        return
    _next(ctx, progress, *lead)


# ---- "แบบสอบถาม" ----------------------------------------------------------------------------------------------------------
@router.on_text(surveys_texts.WORD_SURVEYS)
def waiting_surveys(ctx: Context) -> None:
    """Starts the one waiting survey (or resumes it), or lets the person pick when several wait."""
    if ctx.user_id is None:
        return
    waiting = surveys.pending(ctx.session, ctx.user_id)
    if not waiting:
        ctx.reply(text(surveys_texts.NONE_PENDING, ctx.menu_actions()))
        return
    if len(waiting) == 1:
        _start(ctx, waiting[0][0].id)
        return
    items = [(s.title, " · ".join(part for part in (surveys.about_line(ctx.session, s),
                                                     surveys_texts.RESUMING if r is not None else "") if part),
              StartSurvey(s.id).pack()) for s, r in waiting]
    ctx.reply(cards.survey_picker(items))


@router.on_postback(StartSurvey)
def start_survey(ctx: Context, data: StartSurvey) -> None:
    _start(ctx, data.survey_id)


def _start(ctx: Context, survey_id: int) -> None:
    try:
        progress = surveys.start(ctx.session, survey_id, ctx.user_id or "", ctx.now)
    except DomainError as exc:
        _stop(ctx, exc)
        return
    lead = (surveys_texts.RESUMING if progress.index > 1 else
            surveys_texts.SURVEY_INTRO.format(title=progress.survey.title, count=progress.total))
    _next(ctx, progress, lead)


# ---- answers by button -------------------------------------------------------------------------------------------------
def _answer(ctx: Context, response_id: int, call) -> None:  # noqa: ANN001 - a service call taking no arguments
    try:
        progress = call()
    except AlreadyAnswered as exc:
        _reask(ctx, response_id, exc.message)
        return
    except WrongAnswer as exc:
        _reask(ctx, response_id, exc.message)
        return
    except DomainError as exc:
        _stop(ctx, exc)
        return
    _next(ctx, progress)


@router.on_postback(Rate)
def rate(ctx: Context, data: Rate) -> None:
    _answer(ctx, data.response_id, lambda: surveys.answer_rating(
        ctx.session, data.response_id, data.question_id, ctx.user_id or "", data.value, ctx.now))


@router.on_postback(Pick)
def pick(ctx: Context, data: Pick) -> None:
    _answer(ctx, data.response_id, lambda: surveys.answer_choice(
        ctx.session, data.response_id, data.question_id, ctx.user_id or "", data.option, ctx.now))


@router.on_postback(Toggle)
def toggle(ctx: Context, data: Toggle) -> None:
    _answer(ctx, data.response_id, lambda: surveys.toggle_choice(
        ctx.session, data.response_id, data.question_id, ctx.user_id or "", data.option, ctx.now))


@router.on_postback(DoneChoosing)
def done_choosing(ctx: Context, data: DoneChoosing) -> None:
    _answer(ctx, data.response_id, lambda: surveys.finish_choices(
        ctx.session, data.response_id, data.question_id, ctx.user_id or "", ctx.now))


@router.on_postback(Skip)
def skip(ctx: Context, data: Skip) -> None:
    _answer(ctx, data.response_id, lambda: surveys.skip(
        ctx.session, data.response_id, data.question_id, ctx.user_id or "", ctx.now))


# ---- typed answers and photos (the flow) ----------------------------------------------------------------------------------
def ask_question(ctx: Context, state: FlowState) -> None:
    try:
        progress = surveys.current(ctx.session, int(state.data["response_id"]), ctx.user_id or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return
    if not progress.done:
        ctx.reply(question_message(progress))


def answer_message(ctx: Context, state: FlowState) -> str | None:
    """Reads a typed answer or a photo for the current question; anything else is asked again politely."""
    response_id = int(state.data["response_id"])
    user = ctx.user_id or ""
    try:
        progress = surveys.current(ctx.session, response_id, user)
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return END
    q = progress.question
    assert q is not None
    typed = ctx.text
    try:
        if typed == surveys_texts.LABEL_SKIP and not q.required:
            progress = surveys.skip(ctx.session, response_id, q.id, user, ctx.now)
        elif ctx.message_type == "image" and q.kind == "photo":
            ctx.show_loading()
            data = ctx.message_content(images.MAX_BYTES)
            progress = surveys.answer_photo(ctx.session, response_id, user, data, ctx.now)
        elif q.kind == "rating":
            progress = surveys.answer_rating(ctx.session, response_id, q.id, user, surveys.parse_rating(typed), ctx.now)
        elif q.kind == "single":
            progress = surveys.answer_choice(ctx.session, response_id, q.id, user, surveys.match_option(q, typed),
                                             ctx.now)
        elif q.kind == "multi":
            if typed in (surveys_texts.LABEL_DONE, "เสร็จแล้ว"):
                progress = surveys.finish_choices(ctx.session, response_id, q.id, user, ctx.now)
            else:
                progress = surveys.toggle_choice(ctx.session, response_id, q.id, user, surveys.match_option(q, typed),
                                                 ctx.now)
        elif q.kind == "text":
            progress = surveys.answer_text(ctx.session, response_id, user, typed, ctx.now)
        else:
            raise WrongAnswer(surveys_texts.BAD_PHOTO)
    except DomainError as exc:  # wrong input, or a photo the image pipeline refused: say why, ask again
        ctx.reply(text(exc.message))
        ctx.reply(question_message(surveys.current(ctx.session, response_id, user)))
        return None
    if progress.done:
        ctx.reply(text(surveys_texts.THANKS, ctx.menu_actions()))
        return END
    return "answer"


survey_flow = router.add_flow(Flow(
    FLOW_NAME, surveys_texts.FLOW_TITLE, [Step("answer", ask_question, answer_message)], timeout=timedelta(hours=12),
))

