"""Citizens: follow onboarding (welcome, PDPA notice, optional opt-in), the profile flow (also "ตั้งค่า"),
"ข้อมูลของฉัน" (see, export, withdraw, erase). Share-and-earn ("แชร์รับรายได้") is handlers/referrals.py."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context, normalise_text
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import message_action, postback_action, text
from flex_templates.citizens import choice_card, consents_card, my_data_card, privacy_notice, toggle_picker
from flex_templates.platform import district_picker, link_card
from models.platform import Citizen
from services import citizens, consent, privacy, profile, vendors
from texts import citizens as T
from texts import platform as PT
from texts.districts import DISTRICTS, district_name, find_district

router = Router("citizens")
router.menu_item(T.WORD_MY_DATA, order=60)

ERASE_CONFIRM_SECONDS = 600


# ---- typed buttons ----------------------------------------------------------------------------------------------------
@dataclass
class ProfileDistrict(PostbackData, prefix="cz-d"):
    key: str


@dataclass
class ProfileAge(PostbackData, prefix="cz-a"):
    key: str


@dataclass
class ProfileInterest(PostbackData, prefix="cz-i"):
    key: str


@dataclass
class ProfileSkip(PostbackData, prefix="cz-skip"):
    pass


@dataclass
class ProfileDone(PostbackData, prefix="cz-done"):
    pass


@dataclass
class SetConsent(PostbackData, prefix="cz-c"):
    purpose: str
    on: bool


@dataclass
class ShowConsents(PostbackData, prefix="cz-cs"):
    pass


@dataclass
class ExportData(PostbackData, prefix="cz-x"):
    pass


@dataclass
class EraseAsk(PostbackData, prefix="cz-e"):
    pass


@dataclass
class EraseConfirm(PostbackData, prefix="cz-ey"):
    issued: int  # unix seconds: an old confirm button must not erase anything


@dataclass
class EraseCancel(PostbackData, prefix="cz-en"):
    pass



def _citizen(ctx: Context) -> Citizen:
    return citizens.get_or_create(ctx.session, ctx.user_id, ctx.now)


# ---- follow / unfollow ------------------------------------------------------------------------------------------------
@router.on_event("follow")
def on_follow(ctx: Context) -> None:
    """Welcomes a new follower with the privacy notice; a returning one (unblocked) just gets a welcome back."""
    if not ctx.user_id:
        return
    citizen, _first = citizens.record_follow(ctx.session, ctx.user_id, ctx.now)
    unblocked = bool((ctx.event.get("follow") or {}).get("isUnblocked"))
    if unblocked and not profile.needs_onboarding(citizen):
        ctx.reply(text(T.WELCOME_BACK, ctx.menu_actions()))
        return
    profile.mark_notice_shown(ctx.session, citizen, ctx.now)
    ctx.reply(
        text(T.WELCOME),
        privacy_notice(T.NOTICE_ALT, T.NOTICE_TITLE, T.NOTICE_SECTIONS, T.NOTICE_FULL,
                       f"{ctx.settings.public_base_url}/privacy"),
        choice_card(T.OPTIN_ALT, T.OPTIN_TITLE, T.OPTIN_BODY, [
            postback_action(T.OPTIN_YES, SetConsent(consent.MARKETING, True).pack(), T.OPTIN_YES),
            postback_action(T.OPTIN_NO, SetConsent(consent.MARKETING, False).pack(), T.OPTIN_NO),
        ]),
        text(T.ASK_PROFILE, [message_action(T.START_PROFILE, T.WORD_PROFILE), *ctx.menu_actions()]),
    )


@router.on_event("unfollow")
def on_unfollow(ctx: Context) -> None:
    """Marks the citizen inactive: every send (announcements, reminders) skips them from now on."""
    if ctx.user_id:
        citizens.record_unfollow(ctx.session, ctx.user_id, ctx.now)


# ---- profile flow ("ตั้งค่าโปรไฟล์") and "ตั้งค่า": one flow, the same steps -----------------------------------------------
# "ตั้งค่าโปรไฟล์" (the greeting's button) asks all three; "ตั้งค่า" asks what the greeting promises, district and
# interests. One Flow, so a button of either conversation is always the flow's own (the engine maps each postback
# prefix to one flow); the steps to walk are kept in the flow's state.
PROFILE_STEPS = ("district", "age", "interests")
SETTINGS_STEPS = ("district", "interests")


def _steps(state: FlowState) -> tuple[str, ...]:
    kept = tuple(s for s in state.data.get("steps", ()) if s in PROFILE_STEPS)
    return kept if "district" in kept and "interests" in kept else PROFILE_STEPS


def _numbered(state: FlowState, step: str, question: str) -> str:
    steps = _steps(state)
    return T.STEP_OF.format(n=steps.index(step) + 1, total=len(steps), question=question)


def _after(state: FlowState, step: str) -> str:
    steps = _steps(state)
    return steps[steps.index(step) + 1]  # interests, the last step, ends the flow itself


def start_profile(ctx: Context, state: FlowState) -> None:
    """Chooses the steps by the word that started the flow."""
    settings = normalise_text(ctx.text or "") == PT.WORD_SETTINGS
    state.data["steps"] = list(SETTINGS_STEPS if settings else PROFILE_STEPS)


def _skip_action() -> dict:
    return postback_action(T.SKIP, ProfileSkip().pack(), T.SKIP)


def _choice_values(citizen: Citizen) -> dict[str, str]:
    interests = ", ".join(T.INTEREST_NAMES[i] for i in citizen.interests or [] if i in T.INTEREST_NAMES)
    return {"district": district_name(citizen.district) or T.NOT_SET,
            "age": T.AGE_NAMES.get(citizen.age_group or "", T.NOT_SET),
            "interests": interests or T.NOT_SET}


def _choice_lines(citizen: Citizen, steps: tuple[str, ...]) -> str:
    values = _choice_values(citizen)
    return "\n".join(T.CHOICE_LINE.format(label=T.CHOICE_LABELS[s], value=values[s]) for s in steps)


def ask_district(ctx: Context, state: FlowState) -> None:
    citizen = _citizen(ctx)
    current = []
    if citizen.district or citizen.age_group or citizen.interests:
        current.append(text(T.CURRENT_CHOICES.format(choices=_choice_lines(citizen, _steps(state)))))
    options = [(name, ProfileDistrict(key).pack()) for key, name in DISTRICTS.items()]
    ctx.reply(*current,
              text(f"{_numbered(state, 'district', T.ASK_DISTRICT)}\n({PT.FLOW_CANCEL_HINT})"),
              {**district_picker(T.DISTRICT_CARD, T.DISTRICT_ALT, options),
               "quickReply": {"items": [{"type": "action", "action": _skip_action()}]}})


def _postback(ctx: Context, cls: type[PostbackData]) -> PostbackData | None:
    if ctx.postback_data is None:
        return None
    try:
        return cls.unpack(ctx.postback_data)
    except ValueError:
        return None


def answer_district(ctx: Context, state: FlowState) -> str | None:
    if _postback(ctx, ProfileSkip) is not None or ctx.text == T.SKIP:
        return _after(state, "district")
    chosen = _postback(ctx, ProfileDistrict)
    key = chosen.key if isinstance(chosen, ProfileDistrict) else find_district(ctx.text) if ctx.text else None
    if key not in DISTRICTS:
        shown = (ctx.text or "")[:40]
        ctx.reply(text(T.DISTRICT_NOT_FOUND.format(text=shown) if shown
                       else _numbered(state, "district", T.ASK_DISTRICT), [_skip_action()]))
        return None
    profile.set_district(ctx.session, ctx.user_id, key, ctx.now)
    ctx.reply(text(T.DISTRICT_SAVED.format(district=district_name(key))))
    return _after(state, "district")


def _age_buttons() -> list[dict]:
    return [postback_action(label, ProfileAge(key).pack(), label) for key, label in T.AGE_NAMES.items()]


def ask_age(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(_numbered(state, "age", T.ASK_AGE), [*_age_buttons(), _skip_action()]))


def answer_age(ctx: Context, state: FlowState) -> str | None:
    if _postback(ctx, ProfileSkip) is not None or ctx.text == T.SKIP:
        return _after(state, "age")
    chosen = _postback(ctx, ProfileAge)
    key = chosen.key if isinstance(chosen, ProfileAge) else next(
        (k for k, label in T.AGE_NAMES.items() if ctx.text and ctx.text == label), None)
    if key not in T.AGE_NAMES:
        ctx.reply(text(T.AGE_NEEDED, [*_age_buttons(), _skip_action()]))
        return None
    profile.set_age_group(ctx.session, ctx.user_id, key, ctx.now)
    return _after(state, "age")


def ask_interests(ctx: Context, state: FlowState) -> None:
    chosen = set(_citizen(ctx).interests or [])
    options = [(f"{T.INTEREST_ICONS[key]} {T.INTEREST_NAMES[key]}", ProfileInterest(key).pack(), key in chosen)
               for key in profile.INTERESTS]
    ctx.reply(toggle_picker(T.INTERESTS_ALT, _numbered(state, "interests", T.ASK_INTERESTS), T.INTERESTS_HINT,
                            options, postback_action(T.INTERESTS_DONE, ProfileDone().pack(), T.INTERESTS_DONE)))


def answer_interests(ctx: Context, state: FlowState) -> str | None:
    if _postback(ctx, ProfileDone) is not None or ctx.text in (T.INTERESTS_DONE, T.SKIP):
        summary = _choice_lines(_citizen(ctx), _steps(state))
        ctx.reply(text(T.PROFILE_SAVED.format(choices=summary), ctx.menu_actions()))
        return END
    chosen = _postback(ctx, ProfileInterest)
    if not isinstance(chosen, ProfileInterest) or chosen.key not in profile.INTERESTS:
        ctx.reply(text(T.INTERESTS_NEEDED))
        return None
    profile.toggle_interest(ctx.session, ctx.user_id, chosen.key, ctx.now)
    return "interests"  # asks again, showing the new ticks


profile_flow = router.add_flow(Flow(
    "profile", T.PROFILE_TITLE,
    [Step("district", ask_district, answer_district), Step("age", ask_age, answer_age),
     Step("interests", ask_interests, answer_interests)],
    entry_words=(T.WORD_PROFILE, PT.WORD_SETTINGS), on_start=start_profile,
    postbacks=(ProfileDistrict, ProfileAge, ProfileInterest, ProfileSkip, ProfileDone),
))


# ---- "ข้อมูลของฉัน" ----------------------------------------------------------------------------------------------------
def _my_data_rows(ctx: Context, citizen: Citizen) -> list[tuple[str, str]]:
    data = privacy.collect_personal_data(ctx.session, ctx.user_id)
    interests = ", ".join(T.INTEREST_NAMES[i] for i in citizen.interests or [] if i in T.INTEREST_NAMES)
    followed = len((data.get("projects") or {}).get("followed_projects", []))
    given = [T.PURPOSE_NAMES[p] for p, on in consent.opted_in(ctx.session, ctx.user_id).items() if on]
    rows = [
        (T.ROW_DISTRICT, district_name(citizen.district) or T.NOT_SET),
        (T.ROW_AGE, T.AGE_NAMES.get(citizen.age_group or "", T.NOT_SET)),
        (T.ROW_INTERESTS, interests or T.NOT_SET),
        (T.ROW_FOLLOWING, T.COUNT_PROJECTS.format(n=followed)),
        (T.ROW_CONSENT, ", ".join(given) if given else T.CONSENT_OFF),
    ]
    if citizen.full_name or citizen.phone:
        rows.append((T.ROW_NAME, T.ROW_NAME_KEPT))
    others = [T.OTHER_FEATURES.get(name, name) for name in data if name not in ("profile", "consent", "projects")]
    if others:
        rows.append((T.ROW_OTHER, ", ".join(others)))
    return rows


@router.on_text(T.WORD_MY_DATA)
def show_my_data(ctx: Context) -> None:
    """Shows what is kept about the user, with buttons to edit, export, manage consents and erase."""
    citizen = _citizen(ctx)
    rows = _my_data_rows(ctx, citizen)
    privacy.log_request(ctx.session, "view", citizen, ctx.now)
    ctx.reply(my_data_card(
        T.MY_DATA_ALT, T.MY_DATA_TITLE, T.MY_DATA_INTRO, rows,
        [message_action(T.BUTTON_EDIT_PROFILE, T.WORD_PROFILE),
         postback_action(T.BUTTON_CONSENTS, ShowConsents().pack(), T.BUTTON_CONSENTS),
         postback_action(T.BUTTON_EXPORT, ExportData().pack(), T.BUTTON_EXPORT)],
        postback_action(T.BUTTON_ERASE, EraseAsk().pack(), T.BUTTON_ERASE),
        quick_replies=ctx.menu_actions(),
    ))


def _consents_message(ctx: Context) -> dict:
    state = consent.opted_in(ctx.session, ctx.user_id)
    items = []
    for purpose in consent.PURPOSES:
        on = state[purpose]
        if purpose == consent.MARKET_VENDOR and not on:
            continue  # joining the vendor programme happens in the market's own flow
        action = postback_action(T.BUTTON_WITHDRAW if on else T.BUTTON_GRANT, SetConsent(purpose, not on).pack(),
                                 f"{T.BUTTON_WITHDRAW if on else T.BUTTON_GRANT}: {T.PURPOSE_NAMES[purpose]}")
        items.append((T.PURPOSE_NAMES[purpose], T.PURPOSE_HELP[purpose], T.CONSENT_ON if on else T.CONSENT_OFF,
                      action))
    return consents_card(T.CONSENTS_ALT, T.CONSENTS_TITLE, T.CONSENTS_INTRO, items, ctx.menu_actions())


@router.on_postback(ShowConsents)
def show_consents(ctx: Context, data: ShowConsents) -> None:
    ctx.reply(_consents_message(ctx))


@router.on_postback(SetConsent)
def set_consent(ctx: Context, data: SetConsent) -> None:
    """Gives or withdraws one opt-in (the user's own, so the button's data is all that is needed)."""
    if data.purpose not in consent.PURPOSES:
        ctx.reply(text(PT.STALE_BUTTON, ctx.menu_actions()))
        return
    name = T.PURPOSE_NAMES[data.purpose]
    _citizen(ctx)
    if data.on and data.purpose == consent.MARKET_VENDOR:
        ctx.reply(text(T.VENDOR_GRANT_ELSEWHERE, ctx.menu_actions()))
        return
    if data.on:
        consent.grant(ctx.session, ctx.user_id, data.purpose, ctx.now)
        ctx.reply(text(T.GRANTED.format(purpose=name), ctx.menu_actions()))
    elif not consent.has_opt_in(ctx.session, ctx.user_id, data.purpose):
        ctx.reply(text(T.NOT_GIVEN.format(purpose=name), ctx.menu_actions()))
    else:
        consent.withdraw(ctx.session, ctx.user_id, data.purpose, ctx.now)
        privacy.log_request(ctx.session, "withdraw", citizens.get(ctx.session, ctx.user_id), ctx.now)
        ctx.reply(text(T.WITHDRAWN.format(purpose=name), ctx.menu_actions()))


@router.on_postback(ExportData)
def export_data(ctx: Context, data: ExportData) -> None:
    """Sends a private, short-lived link to a page with everything kept about the user (and a JSON download)."""
    citizen = _citizen(ctx)
    token = privacy.issue_export_link(ctx.session, ctx.user_id, ctx.now)
    privacy.log_request(ctx.session, "export", citizen, ctx.now)
    url = f"{ctx.settings.public_base_url}/my-data/{token}"
    ctx.reply(link_card(T.BUTTON_EXPORT, T.EXPORT_TEXT, T.EXPORT_BUTTON, url, T.BUTTON_EXPORT))


@router.on_postback(EraseAsk)
def erase_ask(ctx: Context, data: EraseAsk) -> None:
    issued = int(ctx.now.timestamp())
    body = T.ERASE_ASK
    shop = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if shop is not None and shop.status != "rejected":  # erasing closes the shop: say so before, not after
        lines = body.split("\n")
        body = "\n".join([*lines[:-1], T.ERASE_ASK_SHOP.format(shop=shop.shop_name), lines[-1]])
    ctx.reply(choice_card(T.BUTTON_ERASE, T.BUTTON_ERASE, body, [
        postback_action(T.ERASE_NO, EraseCancel().pack(), T.ERASE_NO),
        postback_action(T.ERASE_YES, EraseConfirm(issued).pack(), T.ERASE_YES),
    ]))


@router.on_postback(EraseCancel)
def erase_cancel(ctx: Context, data: EraseCancel) -> None:
    ctx.reply(text(T.ERASE_KEPT, ctx.menu_actions()))


@router.on_postback(EraseConfirm)
def erase_confirm(ctx: Context, data: EraseConfirm) -> None:
    """Erases the user's personal data in every feature (only within 10 minutes of being asked)."""
    age = ctx.now.timestamp() - data.issued
    if not 0 <= age <= ERASE_CONFIRM_SECONDS:
        ctx.reply(text(T.ERASE_EXPIRED, ctx.menu_actions()))
        return
    if citizens.get(ctx.session, ctx.user_id) is None:
        ctx.reply(text(T.NO_DATA, ctx.menu_actions()))
        return
    privacy.erase_personal_data(ctx.session, ctx.user_id, ctx.now)
    ctx.reply(text(T.ERASED, ctx.menu_actions()))


@router.on_text(T.WORD_PRIVACY, "PDPA", "pdpa")
def show_privacy(ctx: Context) -> None:
    ctx.reply(privacy_notice(T.NOTICE_ALT, T.NOTICE_TITLE, T.NOTICE_SECTIONS, T.NOTICE_FULL,
                             f"{ctx.settings.public_base_url}/privacy"),
              text(PT.HELP_INTRO, ctx.menu_actions()))
