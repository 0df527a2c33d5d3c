"""The demo (``python -m devkit demo``, ``make demo``): the real system against the simulator.

``scenario`` plays and narrates it, ``seeker`` is one simulated job seeker applying (the tests
use it too), ``cli`` registers the command.
"""
