"""Vacancies flowing in from files and websites: parse, normalise, de-duplicate, import.

Parsers (``jsonl``, ``csvfile``, ``rss``, ``jsonapi``) turn bytes into ``RawRecord``s
with canonical field names; ``normalise`` turns a record into a ``Vacancy`` or a
precise rejection; ``importer`` de-duplicates and writes whole batches atomically;
``poller`` fetches configured sources (``config``) with conditional requests.
"""
