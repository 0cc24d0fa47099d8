"""The satisfaction question in Telegram: a tap on a rating under a resolved ticket, and the comment the
participant writes as a reply to the thanks (monitoring/satisfaction.py keeps both, once per ticket).

The thanks asks for the reply with Telegram's ForceReply, so the participant's client opens a reply to it;
a message that is no reply to it goes to the assistant as usual. Both updates are recorded in the inbox
as handled, so a redelivered update is not answered twice.
"""
from __future__ import annotations

import asyncio
import html
from typing import Optional

import texts
from bot.gateway import Gateway, sender_of
from bot.rendering import Outgoing
from bot.texts import t
from messaging.callbacks import GATEWAY_PREFIX
from monitoring.satisfaction import ALREADY, RECORDED, Answer, SatisfactionSurvey, read_payload

# The message whose replies are comments: its opening names the ticket.
COMMENT_PROMPTS = ("gateway.rating_thanks",)


def ticket_of_prompt(text: Optional[str]) -> Optional[str]:
    """The ticket a reply is a comment on, read from the opening of the thanks it replies to."""
    return texts.value_in_opening(text, COMMENT_PROMPTS, "number", r"[A-Z]{2,5}-\d{6}")


async def rate(gateway: Gateway, update_id: int, chat_id: int, user_id: Optional[int], action: str,
               lang: str) -> None:
    """A tap on "1 ⭐" ... "5 ⭐" (callback data g:rate:<number>:<rating>): recorded, then thanks and
    the offer to comment, in the ticket's language."""
    parsed = read_payload(action)

    def record() -> Optional[Answer]:
        if parsed is None:
            return Answer("unknown", "")
        answer = SatisfactionSurvey(gateway.db).rate(parsed[0], sender_of(chat_id), parsed[1])
        if not gateway.inbox.receive(update_id, chat_id, user_id, "callback", GATEWAY_PREFIX + action, {}, "done"):
            return None  # Telegram delivered the tap twice: answered the first time
        return answer

    answer = await asyncio.to_thread(record)
    if answer is None:
        return
    if answer.status == RECORDED:
        outgoing = Outgoing(html.escape(t("rating_thanks", answer.language, number=answer.number, rating=answer.rating),
                                        quote=False),
                            force_reply=t("rating_comment_placeholder", answer.language))
    elif answer.status == ALREADY:
        outgoing = Outgoing(html.escape(t("rating_already", answer.language, number=answer.number,
                                          rating=answer.rating), quote=False))
    else:
        outgoing = Outgoing(html.escape(t("rating_not_taken", lang), quote=False))
    await gateway.send_in_order(chat_id, outgoing)


async def comment(gateway: Gateway, update_id: int, chat_id: int, user_id: Optional[int], number: str,
                  text: str) -> bool:
    """A reply to the thanks: the comment on `number`. False when it cannot be one (not this participant's
    rating, or nothing rated yet): the caller then relays the message to the assistant as usual."""

    def record() -> Optional[Answer]:
        answer = SatisfactionSurvey(gateway.db).comment(number, sender_of(chat_id), text)
        if answer.status not in (RECORDED, ALREADY):
            return answer
        if not gateway.inbox.receive(update_id, chat_id, user_id, "comment", text, {"ticket": number}, "done"):
            return None
        return answer

    answer = await asyncio.to_thread(record)
    if answer is not None and answer.status not in (RECORDED, ALREADY):
        return False
    if answer is not None:
        key = "comment_thanks" if answer.status == RECORDED else "comment_already"
        await gateway.send_in_order(chat_id, Outgoing(html.escape(t(key, answer.language, number=number), quote=False)))
    return True
