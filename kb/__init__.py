"""The knowledge base: FAQ entries, their revisions, content files, branch profile and search.

Free of Rasa, Flask and Telegram imports: every front end calls into it.
"""
