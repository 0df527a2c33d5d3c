"""The broadcast engine: a post to hundreds of groups, each exactly once, within the limits.

``models`` (what a broadcast is), ``planner`` (request -> plan), ``store`` (the plan and
its outcomes in Redis), ``pacing`` (the send budget per bot token), ``sender`` (the
channel interface), ``engine`` (the workers). Imports neither aiogram nor aiohttp.
"""
