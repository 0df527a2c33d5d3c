"""A hire becomes a placement; retention check-ins at 1/3/6 months, answered and not."""

from __future__ import annotations

from datetime import date

from jobfeed.placements.models import Answer
from tests.brokers.journey import apply, clock_at, data_of, hire, with_label
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, vacancy
from tests.harness import System
from tests.web.test_apply import FORM, post

SEEKER = 620001
QUIET = 620002


async def test_a_hire_becomes_a_placement_and_the_worker_is_told(system: System) -> None:
    clock = clock_at(system)
    chat = await apply(system, SEEKER)
    placement = await hire(system, SEEKER)
    today = clock.now.astimezone(system.services.placements.zone).date()
    assert placement.start == today
    assert (placement.record.employer, placement.record.trade) == ("华北铝业", "电焊工")
    assert (placement.record.city, placement.pay) == ("天津", "7000-9000元/月")
    assert placement.worker is not None and placement.worker.phone == "13912340001"
    assert "入职登记" in chat.last_text and "华北铝业" in chat.last_text
    # The recruiter is asked the start date and picks 明天; the worker hears the new date.
    ask = with_label(system.sim.messages_in(RECRUITER_ID), "明天入职")
    system.sim.callback(RECRUITER_ID, RECRUITER_ID, ask.message_id, data_of(ask, "明天入职"))
    await system.settle()
    moved = await system.services.placements.get(placement.number)
    assert moved is not None and moved.start.toordinal() == today.toordinal() + 1
    assert moved.start.isoformat() in chat.last_text
    # /placed sets another date and the pay; a stranger cannot.
    system.sim.user_message(
        RECRUITER_ID, RECRUITER_ID, f"/placed {placement.number} 2031-03-02 6500"
    )
    await system.settle()
    system.sim.user_message(SEEKER, SEEKER, f"/placed {placement.number} 2031-04-01")
    await system.settle()
    moved = await system.services.placements.get(placement.number)
    assert moved is not None and (moved.start, moved.pay) == (date(2031, 3, 2), "6500")
    assert "没有找到这个入职记录" in chat.last_text
    # Pressing 已录用 again (a replay) files no second placement.
    await hire(system, SEEKER)
    assert await system.services.placements.count() == 1


async def test_checkins_are_asked_answered_and_reminded(system: System) -> None:
    clock = clock_at(system)
    job, placements = system.services.checkins, system.services.placements
    worker = await apply(system, SEEKER)
    quiet = await apply(system, QUIET)
    first = await hire(system, SEEKER)
    second = await hire(system, QUIET)
    assert await job.step() == (0, 0)  # nothing due on the first day
    clock.forward(days=32)
    assert await job.step() == (2, 0)  # the 1-month question to both
    assert "1 个月" in worker.last_text and "还在" in str(worker.last.reply_markup)
    assert await job.step() == (0, 0)  # asked once only
    # The worker answers 还在; the other says nothing.
    question = worker.last
    stayed, left = data_of(question, "还在"), data_of(question, "已离开")
    system.sim.callback(SEEKER, SEEKER, question.message_id, stayed)
    await system.settle()
    assert "已记录：还在岗" in worker.last_text
    assert not (system.sim.messages[(SEEKER, question.message_id)].reply_markup or {})
    # A replayed press and someone else's press change nothing.
    reason = left.rsplit(":", 1)[0] + ":family"
    system.sim.callback(SEEKER, SEEKER, question.message_id, reason)
    await system.settle()
    assert system.sim.callback_answers[-1].text == "这一期已经回答过了，谢谢！"
    system.sim.callback(QUIET, SEEKER, question.message_id, stayed)
    await system.settle()
    assert system.sim.callback_answers[-1].text == "这个问题不是问你的"
    # Three days later the recruiter is reminded of the unanswered one only.
    recruiter_before = len(system.sim.messages_in(RECRUITER_ID))
    clock.forward(days=3)
    assert await job.step() == (0, 1)
    reminders = system.sim.messages_in(RECRUITER_ID)[recruiter_before:]
    assert len(reminders) == 1 and f"报名 {second.number}" in (reminders[0].plain_text or "")
    # At 3 months the worker has left, and says why.
    clock.forward(days=60)
    assert (await job.step())[0] == 2
    question = worker.last
    system.sim.callback(SEEKER, SEEKER, question.message_id, data_of(question, "已离开"))
    await system.settle()
    system.sim.callback(SEEKER, SEEKER, worker.last.message_id, data_of(worker.last, "工资低"))
    await system.settle()
    assert "已记录：已离开" in worker.last_text
    # Six months: both asked again (the leaver too: the county counts every check-in).
    clock.forward(days=92)
    assert (await job.step())[0] == 2
    done = await placements.get(first.number)
    quiet_one = await placements.get(second.number)
    assert done is not None and quiet_one is not None
    one, three, six = done.checkins
    assert one.answer is not None and one.answer.answer is Answer.stayed
    assert three.answer is not None and (three.answer.answer, three.answer.reason) == (
        Answer.left,
        "pay",
    )
    assert six.asked_at is not None and six.answer is None
    assert quiet_one.checkins[0].unanswered and quiet_one.checkins[0].reminded_at is not None
    assert "6 个月" in quiet.last_text  # the quiet worker is still asked each time


async def test_a_hire_through_the_api_is_a_placement_too(system: System) -> None:
    clock_at(system)
    chat = await apply(system, SEEKER)
    [application] = await system.services.applications.for_applicant(SEEKER)
    status, body = await system.api(
        "PATCH", f"/api/applications/{application.number}", json={"status": "hired"}
    )
    assert status == 200 and body["changed"] is True
    placement = await system.services.placements.get(application.number)
    assert placement is not None and placement.record.employer == "华北铝业"
    assert "入职登记" in chat.last_text


async def test_a_web_applicant_hired_is_checked_on_through_the_recruiter(system: System) -> None:
    # Someone who applied on the job page has no Telegram chat: nothing is sent to the
    # number standing for their phone; the recruiter is reminded to ask by phone.
    clock = clock_at(system)
    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID, "招聘经理")
    status, _, _ = await post(system, FORM)
    assert status == 200
    [application] = (await system.services.applications.for_vacancy(VACANCY_ID))[1]
    status, _ = await system.api(
        "PATCH", f"/api/applications/{application.number}", json={"status": "hired"}
    )
    assert status == 200
    placement = await system.services.placements.get(application.number)
    assert placement is not None and placement.record.source == "web"
    clock.forward(days=32)
    await system.services.checkins.step()  # the 1-month question cannot reach them
    await system.services.checkins.step()
    await system.settle()
    assert [m for m in system.sim.sent if m.chat_id < 0] == []  # nothing to a "chat"
    reminders = [
        m for m in system.sim.messages_in(RECRUITER_ID) if "1 个月" in (m.plain_text or "")
    ]
    assert reminders, "the recruiter was not asked to check on the worker"
