"""The buyer satisfaction survey in chat: the invitation's button starts it; the product, the shop, the delivery and
overall are rated with buttons, a product rated 1 asks what went wrong, then an optional photo (ข้าม allowed); typed
answers, photos and wrong input are read in a flow; thanks at the end. Every button re-checks, in the service, that
the questionnaire is this buyer's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates import buyer_feedback as cards
from flex_templates.basic import postback_action, text
from models.platform import Conversation
from services import buyer_feedback, images
from services.buyer_feedback import AlreadyAnswered, Progress, WrongAnswer
from services.errors import DomainError
from texts import buyer_feedback as buyer_feedback_texts

router = Router("buyer_feedback")

FLOW_NAME = "buyer_feedback"


@dataclass
class StartFeedback(PostbackData, prefix="fbgo"):
    survey_id: int


@dataclass
class RateFeedback(PostbackData, prefix="fbr"):
    survey_id: int
    step: str
    value: int


@dataclass
class SkipFeedback(PostbackData, prefix="fbk"):
    survey_id: int
    step: str


def start_data(survey_id: int) -> str:
    """The invitation's start button (the scheduler's invitation scan packs it through this)."""
    return StartFeedback(survey_id).pack()


# ---- showing a question ---------------------------------------------------------------------------------------------
def question_message(progress: Progress) -> dict:
    """The current question: "(2/5) prompt", a hint, and its buttons."""
    step = progress.step
    assert step is not None
    sid = progress.survey.id
    lines = [buyer_feedback_texts.PROGRESS.format(index=progress.index, total=progress.total,
                                                  prompt=buyer_feedback_texts.QUESTIONS[step])]
    actions: list[dict] = []
    if step in buyer_feedback.RATING_FIELDS:
        lines.append(buyer_feedback_texts.HINT_RATING)
        for value in (5, 4, 3, 2, 1):
            label = f"{value} {buyer_feedback_texts.RATING_LABELS[value]}"
            actions.append(postback_action(label, RateFeedback(sid, step, value).pack(), label))
    else:
        if step == "comment":
            lines.append(buyer_feedback_texts.HINT_COMMENT)
        else:
            lines.append(buyer_feedback_texts.HINT_PHOTO)
            actions += cards.camera_actions()
        actions.append(postback_action(buyer_feedback_texts.LABEL_SKIP, SkipFeedback(sid, step).pack(),
                                       buyer_feedback_texts.LABEL_SKIP))
    return cards.question("\n".join(lines), actions)


def _leave_flow(ctx: Context) -> None:
    row = ctx.session.get(Conversation, ctx.user_id) if ctx.user_id else None
    if row is not None and row.flow == FLOW_NAME:
        ctx.session.delete(row)
        ctx.session.flush()


def _thanks(ctx: Context, progress: Progress) -> None:
    lines = [buyer_feedback_texts.THANKS]
    if progress.survey.comment:
        lines.append(buyer_feedback_texts.THANKS_COMPLAINT)
    ctx.reply(text("\n".join(lines), ctx.menu_actions()))


def _next(ctx: Context, progress: Progress, *lead: str) -> None:
    """Thanks at the end; otherwise keeps the flow open on the next question (for typed answers) and asks it."""
    for line in lead:
        ctx.reply(text(line))
    if progress.done:
        _leave_flow(ctx)
        _thanks(ctx, progress)
        return
    feedback_flow.start(ctx, {"survey_id": progress.survey.id})


def _stop(ctx: Context, exc: DomainError) -> None:
    """An old, finished or foreign questionnaire: says so politely and leaves the flow."""
    _leave_flow(ctx)
    ctx.reply(text(exc.message, ctx.menu_actions()))


def _answer(ctx: Context, survey_id: int, call: Callable[[], Progress]) -> None:
    try:
        progress = call()
    except (AlreadyAnswered, WrongAnswer) as exc:
        try:
            progress = buyer_feedback.current(ctx.session, survey_id, ctx.user_id or "")
        except DomainError as stop:
            _stop(ctx, stop)
            return
        _next(ctx, progress, exc.message)
        return
    except DomainError as exc:
        _stop(ctx, exc)
        return
    _next(ctx, progress)


# ---- buttons ----------------------------------------------------------------------------------------------------------
@router.on_postback(StartFeedback)
def start(ctx: Context, data: StartFeedback) -> None:
    """Starts (or resumes) the questionnaire from the invitation."""
    try:
        progress = buyer_feedback.start(ctx.session, data.survey_id, ctx.user_id or "", ctx.now)
    except DomainError as exc:
        _stop(ctx, exc)
        return
    lead = buyer_feedback_texts.INTRO.format(product=progress.product, shop=progress.shop)
    _next(ctx, progress, lead)


@router.on_postback(RateFeedback)
def rate(ctx: Context, data: RateFeedback) -> None:
    _answer(ctx, data.survey_id, lambda: buyer_feedback.answer_rating(
        ctx.session, data.survey_id, data.step, ctx.user_id or "", data.value, ctx.now))


@router.on_postback(SkipFeedback)
def skip(ctx: Context, data: SkipFeedback) -> None:
    _answer(ctx, data.survey_id, lambda: buyer_feedback.skip(
        ctx.session, data.survey_id, data.step, ctx.user_id or "", ctx.now))


# ---- typed answers and photos (the flow) ----------------------------------------------------------------------------------
def ask_question(ctx: Context, state: FlowState) -> None:
    try:
        progress = buyer_feedback.current(ctx.session, int(state.data["survey_id"]), ctx.user_id or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return
    if not progress.done:
        ctx.reply(question_message(progress))


def answer_message(ctx: Context, state: FlowState) -> str | None:
    """Reads a typed rating, the complaint, a photo or "ข้าม"; anything else is asked again politely."""
    survey_id = int(state.data["survey_id"])
    user = ctx.user_id or ""
    try:
        progress = buyer_feedback.current(ctx.session, survey_id, user)
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return END
    step = progress.step
    typed = ctx.text
    try:
        if typed == buyer_feedback_texts.LABEL_SKIP and step in ("comment", "photo"):
            progress = buyer_feedback.skip(ctx.session, survey_id, step, user, ctx.now)
        elif step == "photo":
            if ctx.message_type != "image":
                raise WrongAnswer(buyer_feedback_texts.BAD_PHOTO)
            ctx.show_loading()
            data = ctx.message_content(images.MAX_BYTES)
            progress = buyer_feedback.answer_photo(ctx.session, survey_id, user, data, ctx.now)
        elif step == "comment":
            progress = buyer_feedback.answer_comment(ctx.session, survey_id, user, typed, ctx.now)
        else:
            progress = buyer_feedback.answer_rating(ctx.session, survey_id, step, user,
                                                    buyer_feedback.parse_rating(typed), ctx.now)
    except DomainError as exc:  # wrong input, or a photo the image pipeline refused: say why, ask again
        ctx.reply(text(exc.message))
        ctx.reply(question_message(buyer_feedback.current(ctx.session, survey_id, user)))
        return None
    if progress.done:
        _thanks(ctx, progress)
        return END
    return "answer"


feedback_flow = router.add_flow(Flow(
    FLOW_NAME, buyer_feedback_texts.FLOW_TITLE, [Step("answer", ask_question, answer_message)],
    timeout=timedelta(hours=12),
))
