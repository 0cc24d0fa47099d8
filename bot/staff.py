"""Staff on Telegram: answering and resolving tickets from the staff chat (or a private chat)."""
from __future__ import annotations

import asyncio
import html
import logging
from dataclasses import dataclass
from typing import Optional

from bot.gateway import Gateway
from bot.rendering import Outgoing
from monitoring.notifications import ticket_in_staff_notice
from monitoring.tickets import TicketError, normalize_number
from texts import STAFF_LANGUAGE, say

log = logging.getLogger("bot.staff")


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str


class StaffDesk:
    def __init__(self, gateway: Gateway):
        self.gw = gateway

    def member(self, telegram_user_id: Optional[int]) -> Optional[StaffMember]:
        from accounts.users import UserService

        if telegram_user_id is None:
            return None
        user = UserService(self.gw.db).find_by_telegram_user_id(telegram_user_id)
        if user is None or not user.active or user.role not in ("staff", "admin"):
            return None
        return StaffMember(user.username, user.role)

    def refuse(self, telegram_user_id: Optional[int], command: str) -> None:
        from accounts.audit import AuditLog

        AuditLog(self.gw.db).record(actor=f"tg-user:{telegram_user_id}", action="staff_command_refused",
                                    target=command[:200], detail=None, source="telegram")
        log.warning("refused staff command %s from Telegram user %s", command.split(" ", 1)[0], telegram_user_id)

    def ticket_for_post(self, chat_id: int, message_id: int) -> Optional[str]:
        return self.gw.outbox.ticket_for_post(chat_id, message_id)

    def reply(self, member: StaffMember, number: str, text: str) -> str:
        ticket = self.gw.tickets().reply(number, member.username, text, source="telegram")
        return say("staff_chat.reply_sent", STAFF_LANGUAGE, number=ticket.number, status=ticket.status)

    def resolve(self, member: StaffMember, number: str, note: Optional[str]) -> str:
        ticket = self.gw.tickets().change_status(number, "resolved", member.username, note=note, source="telegram")
        return say("staff_chat.resolved", STAFF_LANGUAGE, number=ticket.number)

    async def handle(self, chat_id: int, user_id: Optional[int], text: str,
                     reply_to_message_id: Optional[int] = None, reply_to_bot_text: Optional[str] = None) -> Optional[str]:
        """Run a staff command ("/reply N text", "/resolve N [note]") or a reply to a ticket post.

        `reply_to_bot_text` is the text of the replied-to message when the bot wrote it: a ticket post
        names its ticket in its first line.

        Returns the confirmation or error to show in the chat, or None when the message is not for staff.
        """
        command, _, rest = text.strip().partition(" ")
        command = command.split("@", 1)[0].lower()
        number: Optional[str] = None
        if command in ("/reply", "/resolve"):
            first, _, body = rest.strip().partition(" ")
            number, body = normalize_number(first), body.strip()
            if number is None:
                key = "staff_chat.reply_format" if command == "/reply" else "staff_chat.resolve_format"
                return say(key, STAFF_LANGUAGE, example=self.gw.branch().ticket_example)
        elif reply_to_message_id is not None:
            # The post the staff member answered names its ticket; the record is for posts whose text
            # does not (and the text is there before the record is written).
            number = (ticket_in_staff_notice(reply_to_bot_text)
                      or await asyncio.to_thread(self.ticket_for_post, chat_id, reply_to_message_id))
            if number is None:
                return None  # a reply to something else in the staff chat
            command, body = "/reply", text.strip()
        else:
            return None
        member = await asyncio.to_thread(self.member, user_id)
        if member is None:
            await asyncio.to_thread(self.refuse, user_id, text)
            return say("staff_chat.staff_only", STAFF_LANGUAGE)
        try:
            if command == "/reply":
                if not body:
                    return say("staff_chat.reply_text_missing", STAFF_LANGUAGE, example=self.gw.branch().ticket_example)
                return await asyncio.to_thread(self.reply, member, number, body)
            return await asyncio.to_thread(self.resolve, member, number, body or None)
        except TicketError as exc:
            return say("staff_chat.failed", STAFF_LANGUAGE, error=exc)

    async def answer(self, chat_id: int, text: str) -> None:
        await self.gw.send(chat_id, Outgoing(html.escape(text, quote=False)))
