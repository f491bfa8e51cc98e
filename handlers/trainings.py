"""Trainings in chat: "อบรม" (browse, details, "สมัคร"), name and phone asked once, "การสมัครของฉัน" (QR, cancel)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates import trainings as cards
from flex_templates.basic import message_action, postback_action, text
from models.trainings import Training
from services import profile, trainings
from services.errors import DomainError
from texts import trainings as trainings_texts

router = Router("trainings")
router.menu_item(trainings_texts.WORD_TRAININGS, order=20)


@dataclass
class TrainingDetail(PostbackData, prefix="trn_d"):
    training_id: int


@dataclass
class SignUp(PostbackData, prefix="trn_s"):
    training_id: int


@dataclass
class ShowQr(PostbackData, prefix="trn_q"):
    signup_id: int


@dataclass
class CancelSignup(PostbackData, prefix="trn_c"):
    signup_id: int


@dataclass
class ConfirmCancel(PostbackData, prefix="trn_cy"):
    signup_id: int


@dataclass
class KeepSignup(PostbackData, prefix="trn_cn"):
    signup_id: int


def _base(ctx: Context) -> str:
    return ctx.settings.public_base_url


def _sorry(ctx: Context, exc: DomainError) -> None:
    ctx.reply(text(exc.message, [message_action(trainings_texts.WORD_TRAININGS),
                                 message_action(trainings_texts.WORD_MY_SIGNUPS)]))


def _cover(ctx: Context, training: Training) -> str | None:
    urls = trainings.image_urls(ctx.session, training.cover_image_id, _base(ctx))
    return urls[0] if urls else None


# ---- browsing --------------------------------------------------------------------------------------------------------
@router.on_text(trainings_texts.WORD_TRAININGS)
def browse(ctx: Context) -> None:
    """Shows open trainings as a carousel with seats left."""
    rows = trainings.upcoming(ctx.session, ctx.now)
    if not rows:
        ctx.reply(text(trainings_texts.NO_TRAININGS, ctx.menu_actions()))
        return
    counts = trainings.seat_counts(ctx.session, [t.id for t in rows])
    items = [cards.TrainingCard(
        title=t.title, when=trainings_texts.when(t.starts_at, t.ends_at), where=t.venue_name,
        deadline=trainings_texts.thai_datetime(t.signup_deadline),
        seats_left=max(0, t.capacity - counts[t.id]["confirmed"]),
        cover_url=_cover(ctx, t), detail_data=TrainingDetail(t.id).pack(), signup_data=SignUp(t.id).pack(),
        map_url=t.venue_map_url,
    ) for t in rows]
    ctx.reply(text(trainings_texts.TRAININGS_INTRO),
              cards.training_carousel(items, trainings_texts.TRAININGS_ALT.format(count=len(items)),
                                      [message_action(trainings_texts.WORD_MY_SIGNUPS), *ctx.menu_actions()]))


@router.on_postback(TrainingDetail)
def detail(ctx: Context, data: TrainingDetail) -> None:
    """Shows one training in full."""
    training = ctx.session.get(Training, data.training_id)
    if training is None or training.status == "draft":
        ctx.reply(text(trainings_texts.TRAINING_GONE, [message_action(trainings_texts.WORD_TRAININGS)]))
        return
    base = _base(ctx)
    speakers = [cards.SpeakerLine(s.name, s.bio, (trainings.image_urls(ctx.session, s.photo_image_id, base)
                                                  or (None, None))[1])
                for s in trainings.speakers(ctx.session, training.id)]
    is_open = trainings.is_open(training, ctx.now)
    ctx.reply(cards.training_detail(
        title=training.title, description=training.description,
        when=trainings_texts.when(training.starts_at, training.ends_at),
        where=training.venue_name, map_url=training.venue_map_url,
        deadline=trainings_texts.thai_datetime(training.signup_deadline), what_to_bring=training.what_to_bring,
        tags=training.topic_tags or [], speakers=speakers, seats_left=trainings.seats_left(ctx.session, training),
        is_open=is_open, cover_url=_cover(ctx, training), signup_data=SignUp(training.id).pack() if is_open else None,
        calendar_url=trainings.calendar_link(base, training.id) if training.status == "published" else None,
    ))


# ---- signing up --------------------------------------------------------------------------------------------------------
@router.on_postback(SignUp)
def sign_up(ctx: Context, data: SignUp) -> None:
    """Signs up at once when name and phone are known; otherwise asks for them first."""
    if ctx.user_id is None:
        return
    if profile.needs_contact(ctx.session, ctx.user_id):
        try:
            trainings.check_open(ctx.session, data.training_id, ctx.now)
        except DomainError as exc:
            _sorry(ctx, exc)
            return
        contact_flow.start(ctx, {"training_id": data.training_id})
        return
    _sign_up(ctx, data.training_id)


def _sign_up(ctx: Context, training_id: int) -> None:
    try:
        result = trainings.sign_up(ctx.session, training_id, ctx.user_id, ctx.now)
    except DomainError as exc:
        _sorry(ctx, exc)
        return
    title = result.training.title
    if result.position is not None:
        body = (trainings_texts.ALREADY_WAITLISTED.format(title=title, position=result.position) if result.already
                else trainings_texts.WAITLISTED.format(position=result.position))
        ctx.reply(text(body, [message_action(trainings_texts.WORD_MY_SIGNUPS),
                              message_action(trainings_texts.WORD_TRAININGS)]))
        return
    if result.already:
        ctx.reply(text(trainings_texts.ALREADY_CONFIRMED.format(title=title),
                       [message_action(trainings_texts.WORD_MY_SIGNUPS),
                        message_action(trainings_texts.WORD_TRAININGS)]))
        return
    ctx.reply(*trainings.confirmation_messages(ctx.session, result.signup, result.training, _base(ctx),
                                               trainings_texts.SIGNED_UP))


# Name and phone: asked once, then kept on the profile.
def ask_name(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(trainings_texts.ASK_NAME))


def answer_name(ctx: Context, state: FlowState) -> str | None:
    try:
        state.data["name"] = profile.clean_contact_name(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    return "phone"


def ask_phone(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(trainings_texts.ASK_PHONE.format(name=state.data.get("name", ""))))


def answer_phone(ctx: Context, state: FlowState) -> str | None:
    try:
        phone = profile.clean_contact_phone(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    profile.save_contact(ctx.session, ctx.user_id, state.data["name"], phone, ctx.now)
    ctx.reply(text(trainings_texts.PROFILE_SAVED))
    _sign_up(ctx, int(state.data["training_id"]))
    return END


contact_flow = router.add_flow(Flow(
    "training_contact", trainings_texts.PROFILE_TITLE,
    [Step("name", ask_name, answer_name), Step("phone", ask_phone, answer_phone)],
))


# ---- my sign-ups, QR, cancelling ----------------------------------------------------------------------------------------
@router.on_text(trainings_texts.WORD_MY_SIGNUPS)
def my_signups(ctx: Context) -> None:
    """Lists the citizen's sign-ups with "ดู QR เช็กอิน" and "ยกเลิก"."""
    if ctx.user_id is None:
        return
    rows = trainings.my_signups(ctx.session, ctx.user_id, ctx.now)
    if not rows:
        ctx.reply(text(trainings_texts.NO_SIGNUPS,
                       [message_action(trainings_texts.WORD_TRAININGS), *ctx.menu_actions()]))
        return
    items = []
    for row in rows:
        t, s = row.training, row.signup
        if s.checked_in_at is not None:
            status = trainings_texts.STATUS_CHECKED_IN
        elif s.status == "confirmed":
            status = trainings_texts.STATUS_CONFIRMED
        else:
            status = trainings_texts.STATUS_WAITLISTED.format(position=row.position)
        items.append(cards.MySignupCard(
            title=t.title, when=trainings_texts.when(t.starts_at, t.ends_at), where=t.venue_name, status_line=status,
            confirmed=s.status == "confirmed", qr_data=ShowQr(s.id).pack() if s.status == "confirmed" else None,
            cancel_data=CancelSignup(s.id).pack() if ctx.now < t.starts_at else None))
    ctx.reply(cards.my_signups_carousel(items, trainings_texts.MY_SIGNUPS_ALT.format(count=len(items)),
                                        [message_action(trainings_texts.WORD_TRAININGS), *ctx.menu_actions()]))


@router.on_postback(ShowQr)
def show_qr(ctx: Context, data: ShowQr) -> None:
    try:
        ctx.reply(*trainings.qr_messages(ctx.session, data.signup_id, ctx.user_id or "", _base(ctx)))
    except DomainError as exc:
        _sorry(ctx, exc)


@router.on_postback(CancelSignup)
def ask_cancel(ctx: Context, data: CancelSignup) -> None:
    """Asks to confirm before cancelling (a mistaken tap must not lose a seat)."""
    try:
        _signup, training = trainings.signup_for_cancel(ctx.session, data.signup_id, ctx.user_id or "", ctx.now)
    except DomainError as exc:
        _sorry(ctx, exc)
        return
    when = trainings_texts.when(training.starts_at, training.ends_at)
    ctx.reply(text(trainings_texts.CONFIRM_CANCEL.format(title=training.title, when=when), [
        postback_action(trainings_texts.LABEL_CONFIRM_CANCEL, ConfirmCancel(data.signup_id).pack(),
                        trainings_texts.LABEL_CONFIRM_CANCEL),
        postback_action(trainings_texts.LABEL_KEEP, KeepSignup(data.signup_id).pack(), trainings_texts.LABEL_KEEP),
    ]))


@router.on_postback(ConfirmCancel)
def confirm_cancel(ctx: Context, data: ConfirmCancel) -> None:
    try:
        training = trainings.cancel_signup(ctx.session, data.signup_id, ctx.user_id or "", ctx.now, _base(ctx))
    except DomainError as exc:
        _sorry(ctx, exc)
        return
    ctx.reply(text(trainings_texts.CANCELLED.format(title=training.title),
                   [message_action(trainings_texts.WORD_TRAININGS), message_action(trainings_texts.WORD_MY_SIGNUPS)]))


@router.on_postback(KeepSignup)
def keep(ctx: Context, data: KeepSignup) -> None:
    ctx.reply(text(trainings_texts.KEPT, [message_action(trainings_texts.WORD_MY_SIGNUPS), *ctx.menu_actions()]))
