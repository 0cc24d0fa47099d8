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
        return f"Terkirim ke peserta untuk tiket {ticket.number} (status: {ticket.status})."

    def resolve(self, member: StaffMember, number: str, note: Optional[str]) -> str:
        ticket = self.gw.tickets().change_status(number, "resolved", member.username, note=note, source="telegram")
        return f"Tiket {ticket.number} diselesaikan; peserta diberi tahu."

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
                return f"Format: {command} {self.gw.branch().ticket_example} {'<teks balasan>' if command == '/reply' else '[catatan]'}"
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
            return "Maaf, perintah ini hanya untuk petugas terdaftar."
        try:
            if command == "/reply":
                if not body:
                    return f"Tulis teks balasannya: /reply {self.gw.branch().ticket_example} <teks balasan>"
                return await asyncio.to_thread(self.reply, member, number, body)
            return await asyncio.to_thread(self.resolve, member, number, body or None)
        except TicketError as exc:
            return f"Gagal: {exc}"

    async def answer(self, chat_id: int, text: str) -> None:
        await self.gw.send(chat_id, Outgoing(html.escape(text, quote=False)))
