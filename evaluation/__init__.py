"""Scoring the assistant on labelled sets through the real running stack (`make eval`)."""
