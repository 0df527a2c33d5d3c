"""FAQ answers and questions handed to a person, through the real Dispatcher."""

from __future__ import annotations

import pytest

from devkit.telegram import SentMessage
from jobfeed.models import Vacancy
from tests.harness import ADMIN_ID, System

GROUP = -1001700000001
ASKER = 6101


@pytest.fixture
async def faq(system: System) -> System:
    system.sim.add_user(ADMIN_ID, "管理员")
    system.sim.add_chat(GROUP, title="求职交流群")
    system.sim.user_message(
        ADMIN_ID,
        ADMIN_ID,
        "/faq add 包吃住吗｜管吃住吗\n关键词 包吃住,吃住\n答案 包吃包住，宿舍4人间",
    )
    system.sim.user_message(
        ADMIN_ID, ADMIN_ID, "/faq add 工资怎么发｜工资几号发 = 每月15号发到银行卡"
    )
    await system.settle()
    assert "已添加问答 #2" in (system.sim.messages_in(ADMIN_ID)[-1].plain_text or "")
    return system


def last_in(system: System, chat_id: int) -> SentMessage:
    return system.sim.messages_in(chat_id)[-1]


async def test_questions_with_typos_and_traditional_characters_get_the_answer(
    faq: System,
) -> None:
    sim = faq.sim
    asked = [
        ("包喫住嗎？", "包吃包住"),  # traditional
        ("请问这边包吃主吗", "包吃包住"),  # a sound-alike typo
        ("工资几号法？", "每月15号"),  # a sound-alike typo
        ("baochizhuma", "包吃包住"),  # pinyin
        ("请问包吃往吗", "包吃包住"),  # a look-alike typo (往 for 住)
    ]
    for n, (text, answer) in enumerate(asked):
        update = sim.user_message(GROUP, ASKER + n, text)
        await faq.settle()
        reply = last_in(faq, GROUP)
        assert reply.reply_to_message_id == update["message"]["message_id"], text
        assert answer in (reply.plain_text or ""), text
    assert len(sim.messages_in(GROUP)) == len(asked)


async def test_chatter_and_unrelated_questions_get_nothing(faq: System) -> None:
    for n, text in enumerate(["哈哈", "今天好热", "谢谢老师", "你们去过吗？", "押金退吗"]):
        faq.sim.user_message(GROUP, ASKER + 10 + n, text)
    await faq.settle()
    assert faq.sim.messages_in(GROUP) == []


async def test_faq_answers_share_the_search_reply_budget(faq: System) -> None:
    budget = faq.services.settings.search_group_per_minute
    for n in range(budget + 3):
        faq.sim.user_message(GROUP, ASKER + 20 + n, "包吃住吗？")
    await faq.settle()
    assert len(faq.sim.messages_in(GROUP)) == budget


async def test_an_unanswered_question_goes_to_an_admin_and_the_answer_comes_back(
    faq: System,
) -> None:
    sim = faq.sim
    sim.user_message(ASKER, ASKER, "押金什么时候退？")
    await faq.settle()
    offer = last_in(faq, ASKER)
    assert "答不上来" in (offer.plain_text or "")
    assert offer.reply_markup is not None
    human = offer.reply_markup["inline_keyboard"][0][0]["callback_data"]
    sim.callback(ASKER, ASKER, offer.message_id, human)
    await faq.settle()
    assert "已转给工作人员" in (last_in(faq, ASKER).plain_text or "")

    ticket = last_in(faq, ADMIN_ID)
    assert "押金什么时候退" in (ticket.plain_text or "")
    assert ticket.reply_markup is not None
    reply = ticket.reply_markup["inline_keyboard"][0][0]["callback_data"]
    sim.callback(ADMIN_ID, ADMIN_ID, ticket.message_id, reply)
    await faq.settle()
    assert "请输入" in (last_in(faq, ADMIN_ID).plain_text or "")
    sim.user_message(ADMIN_ID, ADMIN_ID, "入职满一个月随工资退还")
    await faq.settle()
    answer = last_in(faq, ASKER)
    assert "工作人员回复" in (answer.plain_text or "")
    assert "入职满一个月随工资退还" in (answer.plain_text or "")
    assert "已把回复发给" in (last_in(faq, ADMIN_ID).plain_text or "")

    # 转人工 with the question goes straight to the admins.
    sim.user_message(ASKER, ASKER, "转人工 可以带孩子吗")
    await faq.settle()
    assert "可以带孩子吗" in (last_in(faq, ADMIN_ID).plain_text or "")

    sim.user_message(ADMIN_ID, ADMIN_ID, "/faqstats")
    await faq.settle()
    stats = last_in(faq, ADMIN_ID).plain_text or ""
    assert "转人工：2" in stats and "押金什么时候退" in stats


async def test_a_private_faq_question_is_answered_and_a_job_query_is_searched(
    faq: System,
) -> None:
    faq.sim.user_message(ASKER, ASKER, "管吃管住吗")
    await faq.settle()
    assert "包吃包住" in (last_in(faq, ASKER).plain_text or "")


async def test_a_question_naming_a_vacancy_goes_to_its_recruiter(faq: System) -> None:
    recruiter = 6500
    faq.sim.add_user(recruiter, "招聘方")
    vacancy = Vacancy.model_validate(
        {
            "id": "R-00042",
            "title": "仓库管理员",
            "employer": "草原物流有限公司",
            "city": "烟台",
            "province": "山东",
            "recruiter_id": recruiter,
        }
    )
    await faq.services.vacancies.save_many([vacancy])
    faq.sim.user_message(ASKER, ASKER, "转人工 R-00042 这个岗位夜班多吗")
    await faq.settle()
    ticket = last_in(faq, recruiter)
    assert "夜班多吗" in (ticket.plain_text or "")
    assert not any("夜班" in (m.plain_text or "") for m in faq.sim.messages_in(ADMIN_ID))
    assert ticket.reply_markup is not None
    reply = ticket.reply_markup["inline_keyboard"][0][0]["callback_data"]
    faq.sim.callback(ASKER, ASKER, last_in(faq, ASKER).message_id, reply)  # not the asker's
    faq.sim.callback(recruiter, recruiter, ticket.message_id, reply)
    await faq.settle()
    faq.sim.user_message(recruiter, recruiter, "两周一倒，夜班有补贴")
    await faq.settle()
    assert "两周一倒" in (last_in(faq, ASKER).plain_text or "")
