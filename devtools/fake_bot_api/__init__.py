"""A local server speaking the Telegram Bot API calls the gateway makes, for tests and benchmarks.

python-telegram-bot uses it unchanged::

    async with FakeBotAPI(token=TOKEN) as server:
        app = Application.builder().token(TOKEN).base_url(server.base_url).build()
        ...
        server.inject_text(42, "halo", language_code="id")
        messages = await server.wait_for_messages(42, count=1, timeout=5)

Methods (``POST /bot<TOKEN>/<method>``, form parameters as python-telegram-bot sends them):
getMe, getUpdates (long polling), setWebhook, getWebhookInfo, deleteWebhook (webhook mode: updates
are POSTed to the bot, ``webhook``), setMyCommands, sendMessage, sendChatAction,
answerCallbackQuery, editMessageText, editMessageReplyMarkup; anything else is 404, as Telegram
answers an unknown method. Answers are ``{"ok": true, "result": ...}`` or ``{"ok": false,
"error_code": N, "description": ...}`` with HTTP status N; texts, HTML and keyboards are
checked as Telegram checks them.

Modules: ``server`` (HTTP, waiting), ``state`` (chats, messages, updates; injecting what users
do; what the bot did; injected failures), ``methods`` and ``polling`` (the Bot API methods),
``checks`` (parameter checks and error answers), ``webhook`` (webhook mode), ``faults``, ``objects`` (Telegram objects as
dicts), ``control`` (test control over HTTP) and ``process`` (the fake in a process of its own:
``python -m devtools.fake_bot_api --port 8081 --token 123456:TEST``).
"""
from devtools.fake_bot_api.control import FakeBotAPIClient
from devtools.fake_bot_api.process import FakeBotAPIProcess
from devtools.fake_bot_api.server import DEFAULT_TOKEN, FakeBotAPI

__all__ = ["DEFAULT_TOKEN", "FakeBotAPI", "FakeBotAPIClient", "FakeBotAPIProcess"]
