"""Rasa custom actions: thin adapters from the dialogue to kb/ and monitoring/.

rasa-sdk imports every module of this package and registers every concrete
Action subclass; shared bases declare `name` abstract.
"""
