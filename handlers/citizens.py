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
from texts import citizens as citizens_texts
from texts import platform as platform_texts
from texts.districts import DISTRICTS, district_name, find_district

router = Router("citizens")
router.menu_item(citizens_texts.WORD_MY_DATA, order=60)

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
        ctx.reply(text(citizens_texts.WELCOME_BACK, ctx.menu_actions()))
        return
    profile.mark_notice_shown(ctx.session, citizen, ctx.now)
    ctx.reply(
        text(citizens_texts.WELCOME),
        privacy_notice(citizens_texts.NOTICE_ALT, citizens_texts.NOTICE_TITLE, citizens_texts.NOTICE_SECTIONS,
                       citizens_texts.NOTICE_FULL, f"{ctx.settings.public_base_url}/privacy"),
        choice_card(citizens_texts.OPTIN_ALT, citizens_texts.OPTIN_TITLE, citizens_texts.OPTIN_BODY, [
            postback_action(citizens_texts.OPTIN_YES, SetConsent(consent.MARKETING, True).pack(),
                            citizens_texts.OPTIN_YES),
            postback_action(citizens_texts.OPTIN_NO, SetConsent(consent.MARKETING, False).pack(),
                            citizens_texts.OPTIN_NO),
        ]),
        text(citizens_texts.ASK_PROFILE,
             [message_action(citizens_texts.START_PROFILE, citizens_texts.WORD_PROFILE), *ctx.menu_actions()]),
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
    return citizens_texts.STEP_OF.format(n=steps.index(step) + 1, total=len(steps), question=question)


def _after(state: FlowState, step: str) -> str:
    steps = _steps(state)
    return steps[steps.index(step) + 1]  # interests, the last step, ends the flow itself


def start_profile(ctx: Context, state: FlowState) -> None:
    """Chooses the steps by the word that started the flow."""
    settings = normalise_text(ctx.text or "") == platform_texts.WORD_SETTINGS
    state.data["steps"] = list(SETTINGS_STEPS if settings else PROFILE_STEPS)


def _skip_action() -> dict:
    return postback_action(citizens_texts.SKIP, ProfileSkip().pack(), citizens_texts.SKIP)


def _choice_values(citizen: Citizen) -> dict[str, str]:
    interests = ", ".join(citizens_texts.INTEREST_NAMES[i] for i in citizen.interests or []
                          if i in citizens_texts.INTEREST_NAMES)
    return {"district": district_name(citizen.district) or citizens_texts.NOT_SET,
            "age": citizens_texts.AGE_NAMES.get(citizen.age_group or "", citizens_texts.NOT_SET),
            "interests": interests or citizens_texts.NOT_SET}


def _choice_lines(citizen: Citizen, steps: tuple[str, ...]) -> str:
    values = _choice_values(citizen)
    return "\n".join(citizens_texts.CHOICE_LINE.format(label=citizens_texts.CHOICE_LABELS[s], value=values[s])
                     for s in steps)


def ask_district(ctx: Context, state: FlowState) -> None:
    citizen = _citizen(ctx)
    current = []
    if citizen.district or citizen.age_group or citizen.interests:
        current.append(text(citizens_texts.CURRENT_CHOICES.format(choices=_choice_lines(citizen, _steps(state)))))
    options = [(name, ProfileDistrict(key).pack()) for key, name in DISTRICTS.items()]
    ctx.reply(*current,
              text(f"{_numbered(state, 'district', citizens_texts.ASK_DISTRICT)}\n({platform_texts.FLOW_CANCEL_HINT})"),
              {**district_picker(citizens_texts.DISTRICT_CARD, citizens_texts.DISTRICT_ALT, options),
               "quickReply": {"items": [{"type": "action", "action": _skip_action()}]}})


def _postback(ctx: Context, cls: type[PostbackData]) -> PostbackData | None:
    if ctx.postback_data is None:
        return None
    try:
        return cls.unpack(ctx.postback_data)
    except ValueError:
        return None


def answer_district(ctx: Context, state: FlowState) -> str | None:
    if _postback(ctx, ProfileSkip) is not None or ctx.text == citizens_texts.SKIP:
        return _after(state, "district")
    chosen = _postback(ctx, ProfileDistrict)
    key = chosen.key if isinstance(chosen, ProfileDistrict) else find_district(ctx.text) if ctx.text else None
    if key not in DISTRICTS:
        shown = (ctx.text or "")[:40]
        ctx.reply(text(citizens_texts.DISTRICT_NOT_FOUND.format(text=shown) if shown
                       else _numbered(state, "district", citizens_texts.ASK_DISTRICT), [_skip_action()]))
        return None
    profile.set_district(ctx.session, ctx.user_id, key, ctx.now)
    ctx.reply(text(citizens_texts.DISTRICT_SAVED.format(district=district_name(key))))
    return _after(state, "district")


def _age_buttons() -> list[dict]:
    return [postback_action(label, ProfileAge(key).pack(), label) for key, label in citizens_texts.AGE_NAMES.items()]


def ask_age(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(_numbered(state, "age", citizens_texts.ASK_AGE), [*_age_buttons(), _skip_action()]))


def answer_age(ctx: Context, state: FlowState) -> str | None:
    if _postback(ctx, ProfileSkip) is not None or ctx.text == citizens_texts.SKIP:
        return _after(state, "age")
    chosen = _postback(ctx, ProfileAge)
    key = chosen.key if isinstance(chosen, ProfileAge) else next(
        (k for k, label in citizens_texts.AGE_NAMES.items() if ctx.text and ctx.text == label), None)
    if key not in citizens_texts.AGE_NAMES:
        ctx.reply(text(citizens_texts.AGE_NEEDED, [*_age_buttons(), _skip_action()]))
        return None
    profile.set_age_group(ctx.session, ctx.user_id, key, ctx.now)
    return _after(state, "age")


def ask_interests(ctx: Context, state: FlowState) -> None:
    chosen = set(_citizen(ctx).interests or [])
    options = [(f"{citizens_texts.INTEREST_ICONS[key]} {citizens_texts.INTEREST_NAMES[key]}",
                ProfileInterest(key).pack(), key in chosen)
               for key in profile.INTERESTS]
    ctx.reply(toggle_picker(citizens_texts.INTERESTS_ALT, _numbered(state, "interests", citizens_texts.ASK_INTERESTS),
                            citizens_texts.INTERESTS_HINT, options,
                            postback_action(citizens_texts.INTERESTS_DONE, ProfileDone().pack(),
                                            citizens_texts.INTERESTS_DONE)))


def answer_interests(ctx: Context, state: FlowState) -> str | None:
    if _postback(ctx, ProfileDone) is not None or ctx.text in (citizens_texts.INTERESTS_DONE, citizens_texts.SKIP):
        summary = _choice_lines(_citizen(ctx), _steps(state))
        ctx.reply(text(citizens_texts.PROFILE_SAVED.format(choices=summary), ctx.menu_actions()))
        return END
    chosen = _postback(ctx, ProfileInterest)
    if not isinstance(chosen, ProfileInterest) or chosen.key not in profile.INTERESTS:
        ctx.reply(text(citizens_texts.INTERESTS_NEEDED))
        return None
    profile.toggle_interest(ctx.session, ctx.user_id, chosen.key, ctx.now)
    return "interests"  # asks again, showing the new ticks


profile_flow = router.add_flow(Flow(
    "profile", citizens_texts.PROFILE_TITLE,
    [Step("district", ask_district, answer_district), Step("age", ask_age, answer_age),
     Step("interests", ask_interests, answer_interests)],
    entry_words=(citizens_texts.WORD_PROFILE, platform_texts.WORD_SETTINGS), on_start=start_profile,
    postbacks=(ProfileDistrict, ProfileAge, ProfileInterest, ProfileSkip, ProfileDone),
))


# ---- "ข้อมูลของฉัน" ----------------------------------------------------------------------------------------------------
def _my_data_rows(ctx: Context, citizen: Citizen) -> list[tuple[str, str]]:
    data = privacy.collect_personal_data(ctx.session, ctx.user_id)
    interests = ", ".join(citizens_texts.INTEREST_NAMES[i] for i in citizen.interests or []
                          if i in citizens_texts.INTEREST_NAMES)
    followed = len((data.get("projects") or {}).get("followed_projects", []))
    given = [citizens_texts.PURPOSE_NAMES[p] for p, on in consent.opted_in(ctx.session, ctx.user_id).items() if on]
    rows = [
        (citizens_texts.ROW_DISTRICT, district_name(citizen.district) or citizens_texts.NOT_SET),
        (citizens_texts.ROW_AGE, citizens_texts.AGE_NAMES.get(citizen.age_group or "", citizens_texts.NOT_SET)),
        (citizens_texts.ROW_INTERESTS, interests or citizens_texts.NOT_SET),
        (citizens_texts.ROW_FOLLOWING, citizens_texts.COUNT_PROJECTS.format(n=followed)),
        (citizens_texts.ROW_CONSENT, ", ".join(given) if given else citizens_texts.CONSENT_OFF),
    ]
    if citizen.full_name or citizen.phone:
        rows.append((citizens_texts.ROW_NAME, citizens_texts.ROW_NAME_KEPT))
    others = [citizens_texts.OTHER_FEATURES.get(name, name) for name in data
              if name not in ("profile", "consent", "projects")]
    if others:
        rows.append((citizens_texts.ROW_OTHER, ", ".join(others)))
    return rows


@router.on_text(citizens_texts.WORD_MY_DATA)
def show_my_data(ctx: Context) -> None:
    """Shows what is kept about the user, with buttons to edit, export, manage consents and erase."""
    citizen = _citizen(ctx)
    rows = _my_data_rows(ctx, citizen)
    privacy.log_request(ctx.session, "view", citizen, ctx.now)
    ctx.reply(my_data_card(
        citizens_texts.MY_DATA_ALT, citizens_texts.MY_DATA_TITLE, citizens_texts.MY_DATA_INTRO, rows,
        [message_action(citizens_texts.BUTTON_EDIT_PROFILE, citizens_texts.WORD_PROFILE),
         postback_action(citizens_texts.BUTTON_CONSENTS, ShowConsents().pack(), citizens_texts.BUTTON_CONSENTS),
         postback_action(citizens_texts.BUTTON_EXPORT, ExportData().pack(), citizens_texts.BUTTON_EXPORT)],
        postback_action(citizens_texts.BUTTON_ERASE, EraseAsk().pack(), citizens_texts.BUTTON_ERASE),
        quick_replies=ctx.menu_actions(),
    ))


def _consents_message(ctx: Context) -> dict:
    state = consent.opted_in(ctx.session, ctx.user_id)
    items = []
    for purpose in consent.PURPOSES:
        on = state[purpose]
        if purpose == consent.MARKET_VENDOR and not on:
            continue  # joining the vendor programme happens in the market's own flow
        button = citizens_texts.BUTTON_WITHDRAW if on else citizens_texts.BUTTON_GRANT
        action = postback_action(button, SetConsent(purpose, not on).pack(),
                                 f"{button}: {citizens_texts.PURPOSE_NAMES[purpose]}")
        items.append((citizens_texts.PURPOSE_NAMES[purpose], citizens_texts.PURPOSE_HELP[purpose],
                      citizens_texts.CONSENT_ON if on else citizens_texts.CONSENT_OFF, action))
    return consents_card(citizens_texts.CONSENTS_ALT, citizens_texts.CONSENTS_TITLE, citizens_texts.CONSENTS_INTRO,
                         items, ctx.menu_actions())


@router.on_postback(ShowConsents)
def show_consents(ctx: Context, data: ShowConsents) -> None:
    ctx.reply(_consents_message(ctx))


@router.on_postback(SetConsent)
def set_consent(ctx: Context, data: SetConsent) -> None:
    """Gives or withdraws one opt-in (the user's own, so the button's data is all that is needed)."""
    if data.purpose not in consent.PURPOSES:
        ctx.reply(text(platform_texts.STALE_BUTTON, ctx.menu_actions()))
        return
    name = citizens_texts.PURPOSE_NAMES[data.purpose]
    _citizen(ctx)
    if data.on and data.purpose == consent.MARKET_VENDOR:
        ctx.reply(text(citizens_texts.VENDOR_GRANT_ELSEWHERE, ctx.menu_actions()))
        return
    if data.on:
        consent.grant(ctx.session, ctx.user_id, data.purpose, ctx.now)
        ctx.reply(text(citizens_texts.GRANTED.format(purpose=name), ctx.menu_actions()))
    elif not consent.has_opt_in(ctx.session, ctx.user_id, data.purpose):
        ctx.reply(text(citizens_texts.NOT_GIVEN.format(purpose=name), ctx.menu_actions()))
    else:
        consent.withdraw(ctx.session, ctx.user_id, data.purpose, ctx.now)
        privacy.log_request(ctx.session, "withdraw", citizens.get(ctx.session, ctx.user_id), ctx.now)
        ctx.reply(text(citizens_texts.WITHDRAWN.format(purpose=name), ctx.menu_actions()))


@router.on_postback(ExportData)
def export_data(ctx: Context, data: ExportData) -> None:
    """Sends a private, short-lived link to a page with everything kept about the user (and a JSON download)."""
    citizen = _citizen(ctx)
    token = privacy.issue_export_link(ctx.session, ctx.user_id, ctx.now)
    privacy.log_request(ctx.session, "export", citizen, ctx.now)
    url = f"{ctx.settings.public_base_url}/my-data/{token}"
    ctx.reply(link_card(citizens_texts.BUTTON_EXPORT, citizens_texts.EXPORT_TEXT, citizens_texts.EXPORT_BUTTON, url,
                        citizens_texts.BUTTON_EXPORT))


@router.on_postback(EraseAsk)
def erase_ask(ctx: Context, data: EraseAsk) -> None:
    issued = int(ctx.now.timestamp())
    body = citizens_texts.ERASE_ASK
    shop = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if shop is not None and shop.status != "rejected":  # erasing closes the shop: say so before, not after
        lines = body.split("\n")
        body = "\n".join([*lines[:-1], citizens_texts.ERASE_ASK_SHOP.format(shop=shop.shop_name), lines[-1]])
    ctx.reply(choice_card(citizens_texts.BUTTON_ERASE, citizens_texts.BUTTON_ERASE, body, [
        postback_action(citizens_texts.ERASE_NO, EraseCancel().pack(), citizens_texts.ERASE_NO),
        postback_action(citizens_texts.ERASE_YES, EraseConfirm(issued).pack(), citizens_texts.ERASE_YES),
    ]))


@router.on_postback(EraseCancel)
def erase_cancel(ctx: Context, data: EraseCancel) -> None:
    ctx.reply(text(citizens_texts.ERASE_KEPT, ctx.menu_actions()))


@router.on_postback(EraseConfirm)
def erase_confirm(ctx: Context, data: EraseConfirm) -> None:
    """Erases the user's personal data in every feature (only within 10 minutes of being asked)."""
    age = ctx.now.timestamp() - data.issued
    if not 0 <= age <= ERASE_CONFIRM_SECONDS:
        ctx.reply(text(citizens_texts.ERASE_EXPIRED, ctx.menu_actions()))
        return
    if citizens.get(ctx.session, ctx.user_id) is None:
        ctx.reply(text(citizens_texts.NO_DATA, ctx.menu_actions()))
        return
    privacy.erase_personal_data(ctx.session, ctx.user_id, ctx.now)
    ctx.reply(text(citizens_texts.ERASED, ctx.menu_actions()))


@router.on_text(citizens_texts.WORD_PRIVACY, "PDPA", "pdpa")
def show_privacy(ctx: Context) -> None:
    ctx.reply(privacy_notice(citizens_texts.NOTICE_ALT, citizens_texts.NOTICE_TITLE, citizens_texts.NOTICE_SECTIONS,
                             citizens_texts.NOTICE_FULL, f"{ctx.settings.public_base_url}/privacy"),
              text(platform_texts.HELP_INTRO, ctx.menu_actions()))
