"""The monitoring table: tickets for what the assistant could not resolve, their history and
service times, answer feedback and the per-turn log that KPIs are computed from.

Free of Rasa, Flask and Telegram imports.
"""
