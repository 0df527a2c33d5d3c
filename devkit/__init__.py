"""Development only: simulators of the channels we speak through, and the demo.

Nothing here ships: the wheel packages ``bot``, ``handlers`` and ``jobfeed`` only, and none of
them imports ``devkit`` (tests/test_layering.py and tests/test_devkit_apart.py keep both true).
``devkit`` may import the product; the tests, the benchmarks and ``make demo`` import ``devkit``.

- ``devkit.telegram``: a Telegram Bot API server an unmodified aiogram ``Bot`` talks to.
- ``devkit.demo``: the whole system against that simulator, narrated (``make demo``).

Simulators of further channels sit beside ``telegram`` (``devkit.wechat``, ``devkit.wecom``),
each with a ``cli.py`` whose ``add(sub)`` registers its subcommand in ``devkit.__main__``.
"""
