"""Job seekers' availability (求职意向) and the alerts it brings when a fitting vacancy opens."""
