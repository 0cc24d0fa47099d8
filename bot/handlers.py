"""python-telegram-bot handlers: small functions that hand each update to the gateway."""
from __future__ import annotations

import asyncio
import html
import json
import logging
from functools import partial
from typing import Optional

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import satisfaction
from bot.gateway import Gateway, sender_of
from bot.rendering import Outgoing
from bot.staff import StaffDesk
from bot.texts import t
from core.language import lang_of
from messaging.callbacks import GATEWAY_PREFIX, PREFIX as STORED_PREFIX
from monitoring.notifications import ticket_in_participant_notice

log = logging.getLogger("bot.handlers")


def _gateway(context: ContextTypes.DEFAULT_TYPE) -> Gateway:
    return context.application.bot_data["gateway"]


def _staff(context: ContextTypes.DEFAULT_TYPE) -> StaffDesk:
    return context.application.bot_data["staff"]


def _lang(update: Update) -> str:
    user = update.effective_user
    return lang_of(user.language_code if user else None)


def _meta(update: Update) -> dict:
    user = update.effective_user
    return {"language_code": user.language_code if user else None}


def _replied_ticket(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Optional[str]:
    """The ticket of a staff reply the participant answered with Telegram's "reply" (their details go there)."""
    replied = update.effective_message.reply_to_message if update.effective_message else None
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return ticket_in_participant_notice(replied.text)


def _replied_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Optional[str]:
    """The ticket whose satisfaction thanks the participant answered with Telegram's "reply" (a comment)."""
    replied = update.effective_message.reply_to_message if update.effective_message else None
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return satisfaction.ticket_of_prompt(replied.text)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A participant's text message: to Rasa, answered in order for this chat (a reply to the satisfaction
    thanks is the comment on that ticket)."""
    message = update.effective_message
    user_id = update.effective_user.id if update.effective_user else None
    rated = _replied_prompt(update, context)
    if rated and await satisfaction.comment(_gateway(context), update.update_id, message.chat_id, user_id, rated,
                                            message.text or ""):
        return
    meta = _meta(update)
    ticket = _replied_ticket(update, context)
    if ticket:
        meta["reply_to_ticket"] = ticket
    await _gateway(context).relay(update.update_id, message.chat_id, user_id, message.text or "", "text", meta)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: greeting and menu from the assistant."""
    await _relay_payload(update, context, "/greet")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: the commands, then the assistant's menu."""
    await _gateway(context).send_in_order(update.effective_chat.id, Outgoing(html.escape(
        t("help", _lang(update), example=_gateway(context).branch().ticket_example))))
    await _relay_payload(update, context, "/menu")


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status [number]: the participant's own tickets (Rasa checks ownership)."""
    number = " ".join(context.args or []).strip()
    payload = f"/ticket_status{json.dumps({'ticket_id': number[:20]})}" if number else "/ticket_status"
    await _relay_payload(update, context, payload)


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bahasa: choose Indonesian or English."""
    lang = _lang(update)
    await _gateway(context).send_in_order(update.effective_chat.id, Outgoing(
        html.escape(t("language_choose", lang)),
        [{"title": t("button.language_id", lang), "payload": "g:lang:id"},
         {"title": t("button.language_en", lang), "payload": "g:lang:en"}]))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hapus: delete the participant's conversation data, after confirmation."""
    lang = _lang(update)
    await _gateway(context).send_in_order(update.effective_chat.id, Outgoing(
        html.escape(t("forget_confirm", lang)),
        [{"title": t("button.yes_forget", lang), "payload": "g:forget:yes"},
         {"title": t("button.cancel", lang), "payload": "g:forget:no"}]))


async def _relay_payload(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    """A command's payload to Rasa; what the participant typed goes along (staff see it in the transcript)."""
    chat = update.effective_chat
    meta = _meta(update)
    typed = (update.effective_message.text or "") if update.effective_message else ""
    if typed.startswith("/"):
        meta["command"] = typed[:200]
    await _gateway(context).relay(update.update_id, chat.id, update.effective_user.id if update.effective_user else None,
                                  payload, "command", meta)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on an inline button: acknowledged, the keyboard marked, the payload sent on."""
    query = update.callback_query
    try:
        await query.answer()
    except TelegramError:
        pass  # an old query can no longer be answered; the tap still counts
    data = query.data or ""
    gateway = _gateway(context)
    await _mark_chosen(query)
    if data.startswith(GATEWAY_PREFIX):
        await _gateway_action(update, context, data[len(GATEWAY_PREFIX):])
        return
    payload = await asyncio.to_thread(gateway.callbacks.resolve, data) if data.startswith(STORED_PREFIX) else data
    if not payload:
        await gateway.send(query.message.chat_id, Outgoing(html.escape(t("button_expired", _lang(update)))))
        return
    await gateway.relay(update.update_id, query.message.chat_id, query.from_user.id, payload, "callback", _meta(update))


async def _mark_chosen(query) -> None:
    """Remove the keyboard of an answered question and show what was chosen."""
    message = query.message
    if message is None or not getattr(message, "text", None):
        return
    chosen = next((b.text for row in (message.reply_markup.inline_keyboard if message.reply_markup else [])
                   for b in row if b.callback_data == query.data), None)
    text = html.escape(message.text, quote=False) + (f"\n\n➡️ <i>{html.escape(chosen, quote=False)}</i>" if chosen else "")
    try:
        await query.edit_message_text(text[:4096], parse_mode=ParseMode.HTML, reply_markup=None)
    except TelegramError:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            pass


async def _gateway_action(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    gateway = _gateway(context)
    chat_id = update.effective_chat.id
    lang = _lang(update)
    if action.startswith("lang:"):
        code = "en" if action.endswith("en") else "id"
        await gateway.relay(update.update_id, chat_id, update.effective_user.id,
                            f'/set_language{{"language":"{code}"}}', "callback", _meta(update))
    elif action == "forget:yes":
        from branch.source import current_branch
        from monitoring.privacy import forget_participant
        from rasa_ext.tracker_erasure import erase_conversation

        try:
            await asyncio.to_thread(lambda: forget_participant(gateway.db, current_branch(gateway.db),
                                                               sender_of(chat_id), partial(erase_conversation, gateway.db)))
            await gateway.send(chat_id, Outgoing(html.escape(t("forget_done", lang))))
        except Exception:
            log.exception("erasure failed for a chat")
            await gateway.send(chat_id, Outgoing(html.escape(t("forget_failed", lang))))
    elif action == "forget:no":
        await gateway.send(chat_id, Outgoing(html.escape(t("forget_cancelled", lang))))
    elif action.startswith("rate:"):
        await satisfaction.rate(gateway, update.update_id, chat_id, update.effective_user.id if update.effective_user
                                else None, action, lang)


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, voice, stickers, documents, locations...: a polite note (never a crash)."""
    await _gateway(context).send_in_order(update.effective_chat.id, Outgoing(html.escape(t("unsupported", _lang(update)))))


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _gateway(context).send_in_order(update.effective_chat.id, Outgoing(html.escape(t("edited", _lang(update)))))


async def staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff commands anywhere, and replies to ticket posts in the staff chat."""
    message = update.effective_message
    if message is None or not message.text:
        return
    replied = message.reply_to_message
    from_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    answer = await _staff(context).handle(message.chat_id, update.effective_user.id if update.effective_user else None,
                                          message.text, replied.message_id if replied else None,
                                          replied.text if from_bot else None)
    if answer:
        await _staff(context).answer(message.chat_id, answer)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("error while handling an update", exc_info=context.error)
