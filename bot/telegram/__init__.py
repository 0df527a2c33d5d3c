"""The Telegram adapter: update intake, FSM storage, the channel (sender), the
notifier, card delivery, the bot's username, and the factories of the aiogram
``Bot`` and ``Dispatcher``. ``handlers/`` is its UI; ``jobfeed/`` knows none of it."""
