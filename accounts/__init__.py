"""Staff and admin accounts, password hashing, and the audit log of who did what.

Free of Flask and Telegram imports: the dashboard and the gateway both use it.
"""
