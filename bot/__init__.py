"""The Telegram gateway: the only code that talks to Telegram (python-telegram-bot v22).

It relays participants' messages to Rasa's REST channel as sender "tg:<chat id>",
renders replies and buttons, delivers the outbox, and serves staff commands.
"""
