"""What a participant is told when staff act on their ticket, and the staff-chat posts about tickets
(queued in the outbox). The sentences are in texts/notifications.yml and texts/staff_chat.yml."""
from __future__ import annotations

from typing import Optional

import texts
from texts import STAFF_LANGUAGE, say

# The sentences whose first line names the ticket: a reply to them is read as about that ticket.
PARTICIPANT_NOTICES = ("notifications.staff_reply", "notifications.status_changed", "notifications.status_final",
                       "notifications.ticket_merged")
STAFF_POSTS = ("staff_chat.new_ticket", "staff_chat.participant_added")
FINAL_STATUSES = ("resolved", "closed")


def staff_reply(number: str, text: str, lang: Optional[str]) -> str:
    return say("notifications.staff_reply", lang, number=number, text=text)


def ticket_in_participant_notice(text: Optional[str]) -> Optional[str]:
    """The ticket a message to the participant is about (a staff reply or status change), from its first line."""
    return texts.value_in_opening(text, PARTICIPANT_NOTICES, "number", r"[A-Z]{2,5}-\d{6}")


def status_changed(number: str, status: str, note: Optional[str], lang: Optional[str]) -> str:
    name = texts.lookup(f"tickets.status.{status}.participant", lang) or status
    key = "notifications.status_final" if status in FINAL_STATUSES else "notifications.status_changed"
    head = say(key, lang, number=number, status=name)
    if note:
        head += "\n" + say("notifications.staff_note", lang, note=note)
    return head


def ticket_merged(number: str, duplicate: str, lang: Optional[str]) -> str:
    """The duplicate `duplicate` was merged into `number`: a reply to this message goes to `number`."""
    return say("notifications.ticket_merged", lang, number=number, duplicate=duplicate)


def ticket_in_staff_notice(text: Optional[str]) -> Optional[str]:
    """The ticket number a staff-chat post is about, read from its first line (see staff_notice)."""
    return texts.value_in_opening(text, STAFF_POSTS, "number", r"\S+")


def participant_added(number: str, text: str, link: str) -> str:
    """The staff-chat post about details a participant added to an open ticket (text already masked)."""
    lang = STAFF_LANGUAGE
    return "\n".join([say("staff_chat.participant_added", lang, number=number), "", text, "",
                      say("staff_chat.how_to_answer", lang, number=number),
                      say("staff_chat.dashboard_link", lang, link=link)])


def staff_notice(number: str, kind: str, topic: Optional[str], text: str, due: str, link: str) -> str:
    """The post in the staff chat about a new ticket (participant text already masked and clipped)."""
    lang = STAFF_LANGUAGE
    kind_name = texts.lookup(f"tickets.kind.{kind}.post", lang) or kind
    lines = [say("staff_chat.new_ticket", lang, number=number, kind=kind_name)]
    if topic:
        lines.append(say("staff_chat.topic", lang, topic=topic))
    lines += [say("staff_chat.due", lang, due=due), "", text, "",
              say("staff_chat.how_to_answer_or_resolve", lang, number=number),
              say("staff_chat.dashboard_link", lang, link=link)]
    return "\n".join(lines)
