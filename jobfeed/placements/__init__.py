"""Placements: a hire with its start, employer, place and pay, and the retention check-ins."""
