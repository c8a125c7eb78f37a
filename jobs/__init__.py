"""Scheduled work (APScheduler 3, started inside the bot's event loop)."""
