"""The JSON HTTP API under ``/api``; every route is declared once and documented in OpenAPI."""
