"""The fake Bot API server, driven by the real python-telegram-bot library."""
from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from devtools.fake_bot_api import FakeBotAPI, FakeBotAPIProcess

TOKEN = "987654321:AAtest-token-for-the-fake"


def seconds(value) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def keyboard(*pairs: tuple) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in pairs]])


@pytest.fixture
async def server():
    async with FakeBotAPI(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(server):
    async with Bot(TOKEN, base_url=server.base_url) as tg_bot:
        yield tg_bot


# ---- basics ------------------------------------------------------------------------------------
async def test_get_me_token_and_unknown_method(server, bot):
    assert bot.bot.username == "test_bot" and bot.bot.id == 987654321 and bot.bot.is_bot
    assert server.calls_of("getMe")[0]["status"] == 200

    with pytest.raises(InvalidToken):
        async with Bot("111:wrong", base_url=server.base_url) as other:
            await other.get_me()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    with pytest.raises(InvalidToken, match="(?i)method not found"):  # how PTB reads a 404
        await bot.delete_message(42, 1)  # a real method, but not one the gateway calls

    async with httpx.AsyncClient() as http:
        unknown = await http.post(f"{server.base_url}{TOKEN}/sendTelepathy")
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_send_message_with_inline_keyboard_ids_per_chat(server, bot):
    first = await bot.send_message(42, "<b>Halo</b> &amp; selamat", parse_mode=ParseMode.HTML,
                                   reply_markup=keyboard(("Ya", "yes"), ("Tidak", "no")),
                                   disable_web_page_preview=True)
    second = await bot.send_message(42, "kedua")
    other_chat = await bot.send_message(43, "lain")

    assert (first.message_id, second.message_id, other_chat.message_id) == (1, 2, 1)
    assert first.text == "Halo & selamat" and first.chat.id == 42 and first.from_user.is_bot
    assert first.reply_markup == keyboard(("Ya", "yes"), ("Tidak", "no")) and second.reply_markup is None
    assert [m["text"] for m in server.sent_messages(42)] == ["Halo & selamat", "kedua"]
    assert server.texts(43) == ["lain"] and len(server.sent_messages()) == 3
    sent = server.calls_of("sendMessage")[0]["params"]
    assert sent["chat_id"] == 42 and sent["parse_mode"] == "HTML"
    assert sent["reply_markup"]["inline_keyboard"][0][1] == {"text": "Tidak", "callback_data": "no"}


async def test_send_message_is_validated_like_telegram(server, bot):
    with pytest.raises(BadRequest, match="(?i)can.t parse entities: unsupported start tag \"br\""):
        await bot.send_message(42, "a<br>b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)can.t find end tag corresponding to start tag \"b\""):
        await bot.send_message(42, "<b>bold", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)can.t parse entities: unexpected end tag"):
        await bot.send_message(42, "a</i>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(42, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "keys", reply_markup=keyboard(("long", "d" * 65)))
    with pytest.raises(BadRequest, match="(?i)wrong parameter action"):
        await bot.send_chat_action(42, "dancing")
    assert server.sent_messages() == [] and server.chat_actions == []
    assert [c["status"] for c in server.calls_of("sendMessage")] == [400] * 6
    # Without parse_mode the text is taken as it is.
    assert (await bot.send_message(42, "a<br>b")).text == "a<br>b"


# ---- getUpdates ----------------------------------------------------------------------------------
async def test_get_updates_honours_offset_and_limit(server, bot):
    ids = [server.inject_text(42, f"pesan {i}")["update_id"] for i in range(3)]

    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates()] == ids  # not confirmed yet
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.message.text for u in await bot.get_updates(offset=ids[1])] == ["pesan 1", "pesan 2"]
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert server.pending == []
    new = server.inject_text(42, "baru")["update_id"]
    assert new > ids[2]
    assert [u.update_id for u in await bot.get_updates(offset=ids[0])] == [new]  # confirmed ones stay gone


async def test_get_updates_long_polls_until_an_update_arrives(server, bot):
    assert await bot.get_updates(timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await server.wait_for(lambda: len(server.calls_of("getUpdates")) == 2, what="the long poll")
    assert not poll.done()  # the poll is waiting: there is nothing yet
    server.inject_text(42, "akhirnya")
    updates = await asyncio.wait_for(poll, timeout=3)
    assert [u.message.text for u in updates] == ["akhirnya"]


async def test_a_second_poller_terminates_the_first_with_conflict(server, bot):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await server.wait_for(lambda: server.calls_of("getUpdates"), what="the first poll")
    async with Bot(TOKEN, base_url=server.base_url) as second_instance:  # e.g. a second gateway started
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="(?i)terminated by other getUpdates request"):
        await first


# ---- injected updates ----------------------------------------------------------------------------
async def test_injected_updates_of_every_kind_parse_in_ptb(server, bot):
    server.inject_text(42, "Apa kabar?", language_code="en", first_name="Ani", username="ani")
    server.inject_command(42, "status", "MDK-000001")
    server.inject_photo(42, caption="foto")
    server.inject_sticker(42)
    server.inject_location(42, latitude=3.59, longitude=98.67)
    server.inject_edit(42, 1, "Apa kabar, tim?")
    updates = await bot.get_updates()
    text, command, photo, sticker, location, edited = updates

    assert text.message.from_user.language_code == "en" and text.message.from_user.first_name == "Ani"
    assert text.message.chat.type == "private" and text.message.chat.id == 42 and text.message.from_user.id == 42
    assert command.message.text == "/status MDK-000001"
    assert command.message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, len("/status")),)
    assert filters.COMMAND.check_update(command) and not filters.COMMAND.check_update(text)
    assert filters.PHOTO.check_update(photo) and photo.message.caption == "foto"
    assert filters.Sticker.ALL.check_update(sticker) and sticker.message.sticker.emoji
    assert location.message.location.latitude == 3.59 and not filters.TEXT.check_update(location)
    assert edited.edited_message.text == "Apa kabar, tim?" and edited.edited_message.message_id == 1
    assert filters.UpdateType.EDITED_MESSAGE.check_update(edited)
    assert [u.effective_message.message_id for u in updates[:5]] == list(range(1, 6))
    with pytest.raises(ValueError, match="(?i)no user message 9"):
        server.inject_edit(42, 9, "?")


async def test_group_messages_and_replies_to_bot_messages(server, bot):
    group = -1001234567890
    server.inject_text(group, "halo semua", user_id=501, title="Staf MDK")
    posted = await bot.send_message(group, "Tiket MDK-000001 dibuka")
    server.inject_text(group, "saya tangani", user_id=502, reply_to=posted.message_id)
    first, reply = await bot.get_updates()

    assert first.message.chat.type == "supergroup" and first.message.chat.title == "Staf MDK"
    assert first.message.from_user.id == 501
    assert reply.message.reply_to_message.message_id == posted.message_id
    assert reply.message.reply_to_message.from_user.is_bot and reply.message.reply_to_message.text == posted.text
    assert filters.REPLY.check_update(reply) and filters.ChatType.GROUPS.check_update(reply)
    assert reply.message.message_id == 3
    with pytest.raises(ValueError, match="(?i)no message 99"):
        server.inject_text(group, "?", reply_to=99)


async def test_callback_queries_answers_and_edited_markups(server, bot):
    sent = await bot.send_message(42, "Sudah terjawab?", reply_markup=keyboard(("Ya", "fb:yes"), ("Tidak", "fb:no")))
    server.inject_callback(42, button_text="Tidak", language_code="en")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query.data == "fb:no" and query.message.message_id == sent.message_id and query.from_user.id == 42
    assert query.from_user.language_code == "en"

    assert await query.answer("Terima kasih")
    assert server.callback_answers[0]["text"] == "Terima kasih" and server.callback_answers[0]["data"] == "fb:no"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer()

    edited = await query.edit_message_reply_markup(None)
    assert edited.reply_markup is None and edited.text == "Sudah terjawab?"
    assert server.edits[-1] == dict(server.edits[-1], method="editMessageReplyMarkup", message_id=sent.message_id,
                                    reply_markup=None)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=None)

    with pytest.raises(ValueError, match="(?i)no message with an inline keyboard"):
        server.inject_callback(42, "fb:yes")
    with pytest.raises(ValueError, match="(?i)is not on message"):
        server.inject_callback(42, "forged", message_id=sent.message_id)
    stale = server.inject_callback(42, "old-button", message_id=sent.message_id, check=False)
    assert stale["callback_query"]["data"] == "old-button"


async def test_edit_text_chat_actions_and_commands(server, bot):
    sent = await bot.send_message(42, "Pilih:", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text("Dipilih: <i>A</i>", 42, sent.message_id, parse_mode=ParseMode.HTML)
    assert edited.text == "Dipilih: A" and edited.reply_markup is None  # no markup given: the keyboard goes
    assert edited.edit_date is not None
    assert server.sent_messages(42)[0]["text"] == "Dipilih: A"
    assert server.edits[-1]["method"] == "editMessageText"
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", 42, 999)
    server.inject_text(42, "dari pengguna")
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await bot.edit_message_text("x", 42, 2)

    assert await bot.send_chat_action(42, ChatAction.TYPING)
    assert server.chat_actions[0]["chat_id"] == 42 and server.chat_actions[0]["action"] == "typing"

    assert await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("status", "Status tiket")])
    assert server.commands == [{"command": "start", "description": "Mulai"},
                               {"command": "status", "description": "Status tiket"}]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Command", "x")])
    assert [c["command"] for c in server.commands] == ["start", "status"]


# ---- failures ------------------------------------------------------------------------------------
async def test_injected_failures_raise_the_matching_ptb_errors(server, bot):
    server.fail("sendMessage", "flood", retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(42, "a")
    assert seconds(flood.value.retry_after) == 3

    server.fail("sendMessage", "blocked")
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(42, "b")

    server.fail("sendMessage", "server_error")
    with pytest.raises(NetworkError) as internal:
        await bot.send_message(42, "c")
    assert not isinstance(internal.value, BadRequest)

    server.fail("sendMessage", 400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(42, "d")

    assert (await bot.send_message(42, "e")).text == "e"  # every fault was used up
    assert [c["status"] for c in server.calls_of("sendMessage")] == [429, 403, 500, 400, 200]
    assert server.texts(42) == ["e"]
    with pytest.raises(ValueError, match="(?i)unknown fault kind"):
        server.fail("sendMessage", "meteor")


async def test_faults_by_chat_count_and_until_cleared(server, bot):
    server.fail(None, "blocked", chat_id=7, times=None)  # every method, this chat only, until cleared
    server.fail("sendChatAction", 429, times=2, retry_after=1)
    with pytest.raises(Forbidden):
        await bot.send_message(7, "x")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(7, ChatAction.TYPING)
    assert (await bot.send_message(8, "y")).chat.id == 8
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_chat_action(8, ChatAction.TYPING)
    assert await bot.send_chat_action(8, ChatAction.TYPING)
    server.clear_faults()
    assert (await bot.send_message(7, "z")).text == "z"


# ---- an Application polling, as the gateway runs ---------------------------------------------------
async def test_application_in_polling_mode_receives_and_replies(server):
    async def status(update, context):
        await update.message.reply_text(f"Status {context.args[0]}: terbuka",
                                        reply_markup=keyboard(("Tutup", f"close:{context.args[0]}")))

    async def echo(update, context):
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
        await update.message.reply_text(f"Anda menulis: {update.message.text} ({update.effective_user.language_code})")

    async def button(update, context):
        await update.callback_query.answer("Ditutup")
        await update.callback_query.edit_message_text(f"Tiket {update.callback_query.data[6:]} ditutup")

    application = Application.builder().token(TOKEN).base_url(server.base_url).build()
    application.add_handler(CommandHandler("status", status))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(button))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
        server.inject_text(42, "halo", language_code="id")
        server.inject_command(42, "/status", "MDK-000001")
        await server.wait_for_messages(42, 2)
        server.inject_callback(42, "close:MDK-000001")
        await server.wait_for(lambda: server.edits, what="the edit")
        await server.wait_until_consumed()
        await application.updater.stop()
        await application.stop()

    assert sorted(server.texts(42)) == ["Anda menulis: halo (id)", "Tiket MDK-000001 ditutup"]
    assert server.callback_answers[0]["text"] == "Ditutup"
    assert server.chat_actions[0]["action"] == "typing"
    assert server.calls_of("deleteWebhook")  # start_polling's bootstrap
    # The poll PTB cancels on stop is recorded as abandoned (499), not as a conflict with its final poll.
    assert {c["status"] for c in server.calls_of("getUpdates")} <= {200, 499}
    assert server.calls_of("getUpdates")[0]["params"]["allowed_updates"] == list(Update.ALL_TYPES)


# ---- standalone process --------------------------------------------------------------------------
async def test_standalone_process_controlled_over_http():
    proc = await asyncio.to_thread(FakeBotAPIProcess(token=TOKEN).start)
    try:
        client = proc.client
        async with Bot(TOKEN, base_url=proc.base_url) as bot:
            update = await asyncio.to_thread(client.inject, "text", chat_id=5, text="halo", language_code="en")
            (got,) = await bot.get_updates()
            assert got.update_id == update["update_id"] and got.message.from_user.language_code == "en"
            await asyncio.to_thread(client.inject, "command", chat_id=5, command="start")
            assert (await bot.get_updates(offset=got.update_id + 1))[0].message.text == "/start"

            sent = await bot.send_message(5, "menu", reply_markup=keyboard(("Bantuan", "help")))
            callback = await asyncio.to_thread(client.inject, "callback", chat_id=5, data="help")
            assert callback["callback_query"]["message"]["message_id"] == sent.message_id
            with pytest.raises(Exception, match="(?i)unknown kind"):
                await asyncio.to_thread(client.inject, "telepathy", chat_id=5)

            await bot.send_message(5, "y")
            messages = await asyncio.to_thread(client.wait_for_messages, 5, 2, 1)
            assert [m["text"] for m in messages] == ["menu", "y"]
            with pytest.raises(TimeoutError):
                await asyncio.to_thread(client.wait_for_messages, 5, 3, 0.2)
            state = await asyncio.to_thread(client.state)
            assert state["sent"]["5"][1]["text"] == "y" and state["bot"]["id"] == 987654321

            # Failures injected over HTTP: until cleared, or a number of times.
            fault = await asyncio.to_thread(client.fail, None, "flood", times=None, retry_after=2)
            assert fault["status"] == 429 and fault["times"] is None
            with pytest.raises(RetryAfter):
                await bot.send_message(5, "z")
            with pytest.raises(RetryAfter):
                await bot.get_updates()
            await asyncio.to_thread(client.clear_faults)
            await asyncio.to_thread(client.fail, "sendMessage", 500, times=1)
            with pytest.raises(NetworkError):
                await bot.send_message(5, "z")
            assert (await bot.send_message(5, "z")).text == "z"
            with pytest.raises(Exception, match="(?i)unknown fault kind"):
                await asyncio.to_thread(client.fail, "sendMessage", "meteor")
    finally:
        await asyncio.to_thread(proc.stop)
    assert proc.process.returncode == 0
