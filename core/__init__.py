"""Shared plumbing: settings, database access, logging and personal-data masking.

Nothing here knows about Rasa, Flask or Telegram.
"""
