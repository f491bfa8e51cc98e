"""Announcements: exact targeting, broadcast vs multicast, scheduling (idempotent job), delivery counts, rights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.platform import Citizen, OutboxMessage
from scheduler.jobs_announcements import send_due_announcements
from services import announcements, consent, projects
from services.announcements import Audience
from services.errors import DomainError, PermissionDenied
from tests.conftest import ADMIN_ID

TEXT = [{"type": "text", "text": "ประกาศทดสอบ"}]


def uid(n: int) -> str:
    return "U" + f"{n:032x}"


@pytest.fixture
def people(rt, clock):
    """Ten citizens: districts, interests, following or not, marketing opt-in or not."""
    specs = {
        1: ("phon", ["training"], True, True),
        2: ("phon", ["market"], True, False),
        3: ("phon", ["training", "market"], False, True),  # unfollowed
        4: ("ban_phai", ["infrastructure"], True, True),
        5: ("ban_phai", [], True, False),
        6: (None, ["training"], True, False),
        7: ("mueang", ["market", "infrastructure"], True, True),
    }
    with rt.db.transaction() as session:
        for n, (district, interests, following, marketing) in specs.items():
            session.add(Citizen(line_user_id=uid(n), district=district, interests=interests, is_following=following,
                                created_at=clock(), updated_at=clock()))
            session.flush()
            if marketing:
                consent.grant(session, uid(n), consent.MARKETING, clock())
    return specs


def _ids(rt, audience: Audience) -> list[str]:
    with rt.db.transaction() as session:
        return announcements.audience_ids(session, audience)


def test_targeting_by_district_is_exact_and_skips_unfollowers(rt, people):
    assert _ids(rt, Audience(districts=("phon",))) == [uid(1), uid(2)]
    assert _ids(rt, Audience(districts=("phon", "ban_phai"))) == [uid(1), uid(2), uid(4), uid(5)]


def test_targeting_by_interest_matches_any_chosen_interest(rt, people):
    assert _ids(rt, Audience(interests=("training",))) == [uid(1), uid(6)]
    assert _ids(rt, Audience(interests=("training", "market"))) == [uid(1), uid(2), uid(6), uid(7)]


def test_criteria_combine_and_marketing_needs_the_opt_in(rt, people):
    assert _ids(rt, Audience(districts=("phon",), interests=("market",))) == [uid(2)]
    assert _ids(rt, Audience(marketing=True)) == [uid(1), uid(4), uid(7)]
    assert _ids(rt, Audience(interests=("market",), marketing=True)) == [uid(7)]
    with rt.db.transaction() as session:
        consent.withdraw(session, uid(7), consent.MARKETING, rt.clock())
    assert _ids(rt, Audience(interests=("market",), marketing=True)) == []


def test_targeting_followers_of_a_project(rt, clock, people, make_project):
    project_id = make_project()
    other = make_project("อีกโครงการ")
    with rt.db.transaction() as session:
        for n in (2, 3, 5):
            projects.follow(session, uid(n), project_id, clock())
        projects.follow(session, uid(1), other, clock())
    assert _ids(rt, Audience(project_id=project_id)) == [uid(2), uid(5)]  # 3 unfollowed the account


def test_unknown_district_or_interest_is_refused(rt):
    with pytest.raises(DomainError):
        Audience.from_dict({"districts": ["bangkok"]})
    with pytest.raises(DomainError):
        Audience.from_dict({"interests": ["gambling"]})


def test_everyone_is_a_broadcast_and_a_target_a_multicast(rt, clock, people, line):
    with rt.db.transaction() as session:
        everyone = announcements.create_announcement(session, ADMIN_ID, TEXT, Audience(), None, clock(), "console")
        phon = announcements.create_announcement(session, ADMIN_ID, TEXT, Audience(districts=("phon",)), None,
                                                 clock(), "console")
        ids = (everyone.id, phon.id)
    with rt.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.kind, r.source, r.recipients) for r in rows] == [
            ("broadcast", f"announcement:{ids[0]}", []),
            ("multicast", f"announcement:{ids[1]}", [uid(1), uid(2)]),
        ]
        assert announcements.get(session, ids[0]).recipient_count == 6  # followers the bot knows
    rt.process_pending()
    with rt.db.transaction() as session:
        assert announcements.delivery_counts(session, ids[1]) == {"pending": 0, "sent": 2, "failed": 0}
    assert [r.path for r in line.requests() if "/message/" in r.path] == [
        "/v2/bot/message/broadcast", "/v2/bot/message/multicast"]


def test_marketing_to_everyone_is_a_multicast_to_opted_in_people_only(rt, clock, people):
    with rt.db.transaction() as session:
        announcements.create_announcement(session, ADMIN_ID, TEXT, Audience(marketing=True), None, clock(), "console")
        row = session.scalars(select(OutboxMessage)).one()
    assert row.kind == "multicast" and row.recipients == [uid(1), uid(4), uid(7)]


def test_large_audiences_go_out_in_batches_of_500_nobody_twice(rt, clock):
    with rt.db.transaction() as session:
        for n in range(1, 1201):
            session.add(Citizen(line_user_id=uid(n), district="chum_phae", is_following=True, interests=[],
                                created_at=clock(), updated_at=clock()))
        announcements.create_announcement(session, ADMIN_ID, TEXT, Audience(districts=("chum_phae",)), None, clock(),
                                          "console")
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [len(r.recipients) for r in rows] == [500, 500, 200]
    everyone = [u for r in rows for u in r.recipients]
    assert len(everyone) == len(set(everyone)) == 1200


def test_scheduled_announcement_is_sent_once_when_due(rt, clock, people, line):
    with rt.db.transaction() as session:
        row = announcements.create_announcement(session, ADMIN_ID, TEXT, Audience(districts=("phon",)),
                                                clock() + timedelta(hours=2), clock(), "console")
        announcement_id = row.id
        assert row.status == "scheduled"
    assert send_due_announcements(rt, clock()) == 0
    clock.advance(hours=2)
    assert send_due_announcements(rt, clock()) == 1
    assert send_due_announcements(rt, clock()) == 0  # a second run sends nothing twice
    rt.process_pending()
    assert len(line.deliveries(uid(1))) == 1
    with rt.db.transaction() as session:
        row = announcements.get(session, announcement_id)
        assert (row.status, row.recipient_count, row.sent_at) == ("sent", 2, clock())


def test_cancelled_scheduled_announcement_is_never_sent(rt, clock, people):
    with rt.db.transaction() as session:
        row = announcements.create_announcement(session, ADMIN_ID, TEXT, Audience(), clock() + timedelta(hours=1),
                                                clock(), "console")
        announcements.cancel(session, ADMIN_ID, row.id, clock())
        with pytest.raises(DomainError):
            announcements.cancel(session, ADMIN_ID, row.id, clock())
    clock.advance(hours=2)
    assert send_due_announcements(rt, clock()) == 0


def test_only_staff_may_announce(rt, clock, people):
    with rt.db.transaction() as session, pytest.raises(PermissionDenied):
        announcements.create_announcement(session, uid(1), TEXT, Audience(), None, clock(), "chat")
    with rt.db.transaction() as session, pytest.raises(DomainError):
        announcements.create_announcement(session, ADMIN_ID, TEXT * 6, Audience(), None, clock(), "console")


def test_stage_announcement_reaches_project_followers_with_a_valid_bubble(chat, rt, clock, line, make_project):
    project_id = make_project("ซ่อมถนนบ้านไผ่", cover=True)
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.postback(f"pj-fo:{project_id}")
    bystander = chat("ผู้ไม่ติดตาม")
    bystander.follow()
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "completed", clock(), note="ส่งมอบงานแล้ว")
        projects.announce(session, ADMIN_ID, project_id, "http://kk.test", Audience(project_id=project_id), None,
                          clock())
    reply = somsri.collect()
    assert reply.types == ["flex"] and "โครงการแล้วเสร็จ" in reply.text and "ส่งมอบงานแล้ว" in reply.text
    assert reply.action("ดูรายละเอียด")["uri"] == f"http://kk.test/projects/{project_id}"
    assert not bystander.collect()
