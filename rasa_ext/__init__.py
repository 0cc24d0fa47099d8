"""Rasa-specific extensions loaded by the Rasa server: the Indonesian tokenizer, a leaner SQL
tracker store, start-up performance fixes, and the server entry point that applies them.
"""
