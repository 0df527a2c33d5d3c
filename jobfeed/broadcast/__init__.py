"""The broadcast engine: a post to hundreds of groups, each exactly once, within the limits.

``models`` (what a broadcast is, its channel-neutral post), ``planner`` (request -> plan),
``plans``/``tasks``/``liveness`` (the plan and its outcomes in Redis), ``pacing`` (a send
budget per channel), ``sender`` (what a send comes to; the channel port is
``jobfeed.channels``), ``engine`` (the workers). Imports no channel library and no web
server.
"""
