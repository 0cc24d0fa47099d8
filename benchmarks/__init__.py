"""Benchmarks: each writes a report under reports/ (never timed unit tests)."""
