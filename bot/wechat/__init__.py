"""WeChat channels: the Official Account endpoint (``bot.wechat.oa``)."""
