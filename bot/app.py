"""Wiring the gateway into a python-telegram-bot Application, and running it."""
from __future__ import annotations

import asyncio
import logging
import sys
from contextlib import asynccontextmanager
from typing import Any, Dict, Optional

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, TypeHandler, filters
from telegram.request import HTTPXRequest

from bot import handlers
from bot.commands import SLASH, SlashCommandHandler
from bot.gateway import Delivery, Gateway, GatewayConfig
from bot.intake import GatedBot, UpdateGate
from bot.staff import StaffDesk
from bot.texts import t
from core.db import Database, get_database
from core.logs import setup_logging
from core.rasa_client import RasaClient
from core.settings import Settings, get_settings, load_dotenv

log = logging.getLogger("bot")

COMMANDS = ("start", "help", "status", "bahasa", "hapus")  # Telegram's command menu, described in Indonesian
SETTLED_GROUP = 1000  # after every other handler group


def build_application(settings: Settings, db: Optional[Database] = None,
                      config: Optional[GatewayConfig] = None) -> Application:
    base = settings.telegram_api_base_url.rstrip("/")
    gate = UpdateGate()
    bot = GatedBot(settings.telegram_bot_token, base_url=base, gate=gate,
                   base_file_url=base.replace("/bot", "/file/bot", 1) if base.endswith("/bot") else base + "/file",
                   request=HTTPXRequest(connection_pool_size=256, connect_timeout=5, read_timeout=15,
                                        write_timeout=15, pool_timeout=5),
                   get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=40))
    application = (Application.builder().bot(bot).concurrent_updates(True)
                   .post_init(_post_init).post_shutdown(_post_shutdown).build())
    config = config or GatewayConfig(staff_chat_id=settings.telegram_staff_chat_id)
    gateway = Gateway(application.bot, db or get_database(), RasaClient(settings.rasa_url, settings.rasa_token), config,
                      gate)
    application.bot_data["gateway"] = gateway
    application.bot_data["staff"] = StaffDesk(gateway)

    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE
    # Commands are texts starting with /name, whether or not the client marked them as a command
    # (bot/commands.py): none reaches Rasa as a participant's text.
    application.add_handler(SlashCommandHandler(["reply", "resolve"], handlers.staff_message))
    if config.staff_chat_id is not None:
        application.add_handler(MessageHandler(
            filters.Chat(config.staff_chat_id) & filters.REPLY & filters.TEXT & ~SLASH & new_message,
            handlers.staff_message))
    application.add_handler(SlashCommandHandler("start", handlers.start, filters=private & new_message))
    application.add_handler(SlashCommandHandler("help", handlers.help_command, filters=private & new_message))
    application.add_handler(SlashCommandHandler("status", handlers.status, filters=private & new_message))
    application.add_handler(SlashCommandHandler("bahasa", handlers.language, filters=private & new_message))
    application.add_handler(SlashCommandHandler("hapus", handlers.forget, filters=private & new_message))
    # An unknown command gets the help (and the menu), never a relay to Rasa.
    application.add_handler(MessageHandler(private & new_message & (filters.COMMAND | SLASH), handlers.help_command))
    application.add_handler(MessageHandler(private & new_message & filters.TEXT, handlers.private_text))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, handlers.edited))
    application.add_handler(MessageHandler(private & new_message, handlers.unsupported))
    # Anything else (messages in groups other than the staff chat, channel posts) is ignored on purpose.
    application.add_error_handler(handlers.on_error)
    # Last of all, whatever handled it (or none): the update may now be confirmed to Telegram (bot/intake.py).
    application.add_handler(TypeHandler(Update, lambda update, _: _settled(gate, update)), group=SETTLED_GROUP)
    return application


async def _settled(gate: UpdateGate, update: Update) -> None:
    gate.settled(update.update_id)


async def _post_init(application: Application) -> None:
    try:
        await application.bot.set_my_commands([BotCommand(c, t(f"command.{c}", "id")) for c in COMMANDS])
    except TelegramError:
        log.warning("could not set the bot's command list")
    stop = asyncio.Event()
    delivery = Delivery(application.bot_data["gateway"])
    application.bot_data["stop"] = stop
    application.bot_data["delivery_task"] = asyncio.create_task(delivery.run(stop))


async def _post_shutdown(application: Application) -> None:
    stop = application.bot_data.get("stop")
    task = application.bot_data.get("delivery_task")
    if stop is not None:
        stop.set()
    if task is not None:
        try:
            await asyncio.wait_for(task, timeout=10)
        except asyncio.TimeoutError:
            task.cancel()


def webhook_options(settings: Settings) -> Dict[str, Any]:
    """Where the gateway listens in webhook mode and what it registers with Telegram (the secret token
    Telegram sends with every update; python-telegram-bot refuses any request without it with 403)."""
    listen, _, port = settings.telegram_webhook_listen.rpartition(":")
    path = settings.telegram_webhook_path
    return {"listen": listen or "127.0.0.1", "port": int(port), "url_path": path,
            "webhook_url": f"{settings.telegram_webhook_url.rstrip('/')}/{path}",
            "secret_token": settings.telegram_webhook_secret, "allowed_updates": Update.ALL_TYPES}


@asynccontextmanager
async def running_gateway(settings: Settings, db: Optional[Database] = None,
                          config: Optional[GatewayConfig] = None, poll_interval: float = 0.0):
    """Run the gateway in the current event loop (tests and benchmarks): in webhook mode when
    TELEGRAM_WEBHOOK_URL is set, as `run` does, else with long polling."""
    application = build_application(settings, db, config)
    await application.initialize()
    await _post_init(application)
    await application.start()
    if settings.telegram_webhook_url:
        await application.updater.start_webhook(**webhook_options(settings))
    else:
        await application.updater.start_polling(poll_interval=poll_interval, timeout=5,
                                                allowed_updates=Update.ALL_TYPES)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await _post_shutdown(application)
        await application.shutdown()


def run(settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather, put its token in .env "
              "(TELEGRAM_BOT_TOKEN=...) and start again.", file=sys.stderr)
        return 2
    application = build_application(settings)
    if settings.telegram_webhook_url:
        if len(settings.telegram_webhook_secret) < 16:
            print("TELEGRAM_WEBHOOK_SECRET must be set (16+ characters) in webhook mode.", file=sys.stderr)
            return 2
        options = webhook_options(settings)
        log.info("gateway starting in webhook mode on %s:%s/%s", options["listen"], options["port"], options["url_path"])
        application.run_webhook(**options)
    else:
        log.info("gateway starting in long-polling mode")
        application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


def main() -> int:
    load_dotenv()
    settings = get_settings()
    setup_logging(settings.log_level, "bot")
    return run(settings)
