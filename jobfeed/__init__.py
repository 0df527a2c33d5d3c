"""The recruitment domain: vacancies, groups, search, broadcasts, applications.

Nothing in this package imports a channel's library or aiohttp's web server, nor names a
channel's notions (its link format, markup, file handles or user ids): Telegram is one
channel among others, reached through small ports (``links``, ``notify``,
``broadcast.sender``) that its adapter implements (tests/test_layering.py and
tests/test_domain_neutral.py keep it so).
"""
