"""When a conversation the assistant cannot resolve becomes a ticket for staff."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

# Messages not understood in a row: the first gets an apology and suggestions, this many a ticket.
FAILURES_BEFORE_TICKET = 2
# The last messages not understood are remembered: they become the ticket's text.
REMEMBERED_FAILURES = 5


@dataclass(frozen=True)
class Failures:
    """The messages not understood in a row so far."""
    count: int = 0
    messages: Tuple[str, ...] = ()

    @classmethod
    def of(cls, count: Optional[int], messages: Optional[Sequence[str]]) -> "Failures":
        return cls(int(count or 0), tuple(messages or ()))

    def after(self, question: str) -> "Failures":
        """One more failure; its question is remembered unless it repeats the last one ("none of these"
        repeats the question it refuses)."""
        messages = self.messages + (question,) if question and question not in self.messages[-1:] else self.messages
        return Failures(self.count + 1, messages[-REMEMBERED_FAILURES:])

    @property
    def opens_ticket(self) -> bool:
        return self.count >= FAILURES_BEFORE_TICKET

    @property
    def ticket_text(self) -> str:
        return "\n".join(self.messages)
