"""A broadcast stored before posts were structured (its post as Telegram HTML plus
buttons) still loads and is sent exactly as it was rendered then."""

from __future__ import annotations

import json

from tests.broadcast.conftest import Rig

OLD_POST = {
    "html": "📢 <b>招聘</b>\n<b>焊工</b>｜华北铝业",
    "buttons": [{"text": "📝 立即报名", "url": "https://t.me/zhaopin_test_bot?start=apply_A-1"}],
}


async def test_a_post_in_the_old_layout_is_sent_as_it_was_rendered(rig: Rig) -> None:
    [group] = await rig.load(1)
    broadcast_id = await rig.create()
    meta = rig.keys.broadcast(broadcast_id)
    await rig.redis.hset(meta, "post", json.dumps(OLD_POST, ensure_ascii=False))

    loaded = await rig.plans.get(broadcast_id)
    [progress] = await rig.run(broadcast_id)

    assert loaded is not None and loaded.post is not None and loaded.post.rendered is not None
    assert loaded.post.rendered.channel == "telegram"
    assert progress.delivered == 1
    [shown] = rig.sim.messages_in(group.chat_id)
    assert shown.plain_text == "📢 招聘\n焊工｜华北铝业"
    [[button]] = (shown.reply_markup or {})["inline_keyboard"]
    assert (button["text"], button["url"]) == (
        OLD_POST["buttons"][0]["text"],
        OLD_POST["buttons"][0]["url"],
    )
