"""Telegram UI: one router per feature (``handlers.routers.get_routers`` lists them in order).

Nothing is imported here: the adapter (``bot/telegram``) uses a few helpers of this package
in processes that handle no update (the broadcast worker, the feed poller), and those must
not load every router.
"""
