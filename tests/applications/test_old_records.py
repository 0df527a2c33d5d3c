"""Records written before the domain named its channels read as Telegram's: an attachment
with only ``file_id``, actors ``"tg:<id>"`` (jobfeed/legacy.py). Written here in the old
layout, exactly as the earlier code stored them, then read through the repositories."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from jobfeed.applications.models import AccessAction, ApplicationStatus
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.models import GroupFilter
from jobfeed.roles import RecruiterRepository
from jobfeed.submissions import Decision, Submission, SubmissionRepository
from tests.applications.factories import draft, resume


async def test_an_attachment_stored_as_a_file_id_reads_as_a_telegram_ref(
    redis: Redis, keys: Keys
) -> None:
    applications = ApplicationRepository(redis, keys, 180)
    record = json.loads(resume(41).model_dump_json())
    record["attachment"] = {  # the layout of the earlier code
        "file_id": "BQACAgUAAxkBAAIBbWZ",
        "file_unique_id": "AgADbW",
        "file_name": "简历.pdf",
        "mime_type": "application/pdf",
        "size": 1000,
        "kind": "pdf",
        "as_photo": False,
    }
    await redis.set(keys.resume(41), json.dumps(record, ensure_ascii=False))

    stored = await applications.get_resume(41)

    assert stored is not None and stored.attachment is not None
    attachment = stored.attachment
    assert (attachment.channel, attachment.ref, attachment.unique_ref) == (
        "telegram",
        "BQACAgUAAxkBAAIBbWZ",
        "AgADbW",
    )
    assert attachment.file_name == "简历.pdf" and attachment.kind == "pdf"
    # Saved again, it is in the new layout only.
    await applications.save_resume(stored)
    raw = json.loads(await redis.get(keys.resume(41)) or "{}")
    assert set(raw["attachment"]) >= {"channel", "ref"} and "file_id" not in raw["attachment"]


async def test_old_actors_read_as_telegram_actors(redis: Redis, keys: Keys) -> None:
    applications = ApplicationRepository(redis, keys, 180)
    number = (await applications.submit(draft(42))).number
    await applications.set_status(number, ApplicationStatus.interview, "tg:700001")
    await applications.log_access([number], "tg:700001", AccessAction.viewed)
    await applications.log_access([number], "web:token", AccessAction.exported)

    [change] = await applications.history(number)
    log = await applications.access_log(number)

    assert change.actor == "telegram:700001"
    assert [(r.actor, r.action) for r in log[:2]] == [
        ("web:token", AccessAction.exported),
        ("telegram:700001", AccessAction.viewed),
    ]


async def test_old_deciders_read_as_telegram_actors(redis: Redis, keys: Keys) -> None:
    recruiters = RecruiterRepository(redis, keys)
    await recruiters.apply(8, "李经理", "安泰运输公司")
    await recruiters.decide(8, approve=True, actor="tg:9")
    submissions = SubmissionRepository(redis, keys)
    await submissions.create(
        Submission(vacancy_id="R-00001", recruiter_id=8, target=GroupFilter())
    )
    await submissions.claim_decision("R-00001", Decision.approved, "tg:9")

    recruiter = await recruiters.get(8)
    submission = await submissions.get("R-00001")

    assert recruiter is not None and recruiter.decided_by == "telegram:9"
    assert submission is not None and submission.decided_by == "telegram:9"
    other = await submissions.claim_decision("R-00001", Decision.rejected, "api")
    assert other == (submission, False)
