"""The broadcast engine: a post to hundreds of groups, each exactly once, within the limits.

``models`` (what a broadcast is), ``planner`` (request -> plan), ``store`` (the plan and
its outcomes in Redis), ``pacing`` (a send budget per channel), ``sender`` (what a send
comes to; the channel port is ``jobfeed.channels``), ``engine`` (the workers). Imports
neither aiogram nor aiohttp.
"""
