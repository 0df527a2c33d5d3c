"""Composition root: settings, storage, the aiohttp app, the Telegram adapter and the CLI."""
