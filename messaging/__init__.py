"""Durable message queues between the conversation and Telegram: the outbox of messages to
participants and staff, the inbox of received updates, and short keys for button payloads.

Free of Telegram imports: the dashboard and monitoring write here, the gateway delivers.
"""
