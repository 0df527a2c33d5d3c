"""Applications: résumés collected with consent, filed per vacancy, read only by staff."""
