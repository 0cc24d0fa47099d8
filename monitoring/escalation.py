"""When a conversation the assistant cannot resolve becomes a ticket for staff."""
from __future__ import annotations

# Messages not understood in a row: the first gets an apology and suggestions, this many a ticket.
FAILURES_BEFORE_TICKET = 2


def opens_ticket(failures_in_a_row: int) -> bool:
    return failures_in_a_row >= FAILURES_BEFORE_TICKET
