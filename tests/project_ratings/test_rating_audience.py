"""Who is asked to rate a finished project: its followers and the residents of its districts, each once, within
the per-person cap (skips recorded); the scan run twice invites once; old, unpublished or unfinished projects
are not asked about."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.platform import Citizen
from models.surveys import Survey, SurveyInvitation
from scheduler.jobs_project_ratings import send_project_ratings
from scheduler.jobs_surveys import send_project_surveys
from services import project_ratings, projects, surveys
from tests.conftest import ADMIN_ID
from tests.project_ratings.conftest import finish, scan


def _statuses(rt, project_id: int) -> dict[str, str]:
    """LINE user id -> invitation status for the project's rating survey."""
    with rt.db.transaction() as session:
        survey = project_ratings.rating_survey(session, project_id)
        rows = session.execute(select(Citizen.line_user_id, SurveyInvitation.status)
                               .join(Citizen, Citizen.id == SurveyInvitation.citizen_id)
                               .where(SurveyInvitation.survey_id == survey.id)).all()
    return dict(rows)


def test_followers_and_residents_are_asked_once_within_the_cap(rt, clock, person, project):
    project_id = project("ถนนลาดยางบ้านโนน", districts=("phon",))
    far_follower = person("คนติดตามต่างอำเภอ", district="mueang", follows=project_id)
    resident = person("คนพล", district="phon")
    both = person("คนพลที่ติดตาม", district="phon", follows=project_id)
    no_district_follower = person("คนติดตามไม่บอกอำเภอ", follows=project_id)
    outsider = person("คนเมือง", district="mueang")
    gone = person("คนเลิกเป็นเพื่อน", district="phon", follows=project_id)
    gone.unfollow()
    capped = person("คนเพิ่งตอบ", district="phon", follows=project_id)

    finish(rt, clock, project_id, "in_progress")
    with rt.db.transaction() as session:  # another survey reached `capped` 3 days before the project is done
        other = surveys.create_survey(session, title="ความเห็นทั่วไป", kind="general", actor=ADMIN_ID, now=clock(),
                                      questions=[surveys.QuestionInput("rating", "พอใจไหม")])
        surveys.set_status(session, other.id, "active", clock())
        assert surveys.invite(session, other, [session.scalar(select(Citizen.id).where(
            Citizen.line_user_id == capped.user_id))], clock()).sent == 1
    rt.process_pending()
    capped.collect()
    clock.advance(days=3)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "completed", clock())

    counts = scan(rt, clock)
    assert counts == project_ratings.ScanCounts(projects=1, sent=4, skipped_cap=1, unreachable=1)
    assert _statuses(rt, project_id) == {
        far_follower.user_id: "sent", resident.user_id: "sent", both.user_id: "sent",
        no_district_follower.user_id: "sent", gone.user_id: "unreachable", capped.user_id: "skipped_cap",
    }  # the outsider (neither follower nor resident) is not asked at all; `both` has one row

    rt.process_pending()
    for user in (far_follower, resident, both, no_district_follower):
        reply = user.collect()
        assert len(reply.messages) == 1  # one invitation, also for someone who is both follower and resident
        assert "ขอเชิญตอบแบบสอบถาม “ให้คะแนนโครงการ: ถนนลาดยางบ้านโนน”" in reply.body
        assert "มี 3 ข้อ" in reply.body
    assert "ให้คะแนนโครงการ" not in outsider.collect().body
    assert "ให้คะแนนโครงการ" not in capped.collect().body


def test_the_scan_run_twice_invites_once(rt, clock, person, project):
    project_id = project()
    resident = person("คนพล", district="phon")
    finish(rt, clock, project_id, "completed")
    assert send_project_ratings(rt, clock()) == 1
    assert send_project_ratings(rt, clock()) == 0
    assert scan(rt, clock) == project_ratings.ScanCounts()
    assert send_project_surveys(rt, clock()) == 0  # the engine's own project scan does not send it again
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "evaluated", clock())
    assert send_project_ratings(rt, clock()) == 0  # the last stage after "completed" does not ask again
    with rt.db.transaction() as session:
        assert len(session.scalars(select(Survey).where(Survey.project_id == project_id)).all()) == 1
        assert len(session.scalars(select(SurveyInvitation)).all()) == 1
    rt.process_pending()
    invitations = resident.collect()
    assert len(invitations.messages) == 1 and "ให้คะแนนโครงการ" in invitations.body


def test_only_published_projects_finished_lately_are_asked_about(rt, clock, person, project):
    person("คนพล", district="phon")
    straight = project("ศาลาประชาคมบ้านโนน")
    hidden = project("โครงการร่าง", published=False)
    old = project("ถนนเก่า")
    ongoing = project("ถนนที่ยังทำอยู่")
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, old, "completed", clock())
        projects.change_stage(session, ADMIN_ID, ongoing, "in_progress", clock())
    clock.advance(days=project_ratings.INVITE_WINDOW.days + 1)  # the scan did not run while `old` was recent
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, straight, "evaluated", clock())  # skipped "completed"
        projects.change_stage(session, ADMIN_ID, hidden, "completed", clock())
    assert scan(rt, clock).projects == 1
    with rt.db.transaction() as session:
        assert project_ratings.rating_survey(session, straight) is not None
        for project_id in (hidden, old, ongoing):
            assert project_ratings.rating_survey(session, project_id) is None
    clock.advance(timedelta(minutes=5))
    assert scan(rt, clock) == project_ratings.ScanCounts()


def test_a_staff_project_survey_now_reaches_the_projects_followers_too(rt, clock, person, project):
    project_id = project(districts=("phon",))
    follower = person("คนติดตาม", district="mueang", follows=project_id)
    with rt.db.transaction() as session:
        survey = surveys.create_from_template(session, "project_satisfaction", ADMIN_ID, clock(),
                                              project_id=project_id)
        surveys.set_status(session, survey.id, "active", clock())
    finish(rt, clock, project_id, "completed")
    assert send_project_surveys(rt, clock()) == 1
    rt.process_pending()
    assert "ความพึงพอใจต่อโครงการ" in follower.collect().body
