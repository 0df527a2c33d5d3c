"""Keeping groups useful: welcomes, FAQ answers with escalation, scam and spam removal."""
