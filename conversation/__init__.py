"""Dialogue state and reading a message in the light of the conversation (no Rasa imports).

Rasa's NLU reads each message alone. This package keeps what the conversation is
about (program, topic, the last answer, what the assistant last asked) and uses it
on the next turn: follow-ups, typed replies to the assistant's own questions,
details for an open ticket, and long messages with several problems.
"""
