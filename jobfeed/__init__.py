"""The recruitment domain: vacancies, groups, search, broadcasts, applications.

Nothing in this package imports aiogram or aiohttp's web server: Telegram is one
channel among others, reached through small protocols that ``bot`` implements.
"""
