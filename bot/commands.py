"""Commands recognised by their leading slash, with or without Telegram's bot_command entity.

Telegram marks "/hapus" with a bot_command entity, and python-telegram-bot's CommandHandler relies on
it. Some clients, and forwarded or pasted texts, send the same text without the entity; it would then
be relayed as a participant's text, and Rasa reads a text starting with "/" as an intent with
arguments (and warns, quoting the whole line). Here a command is a text whose first word is
`/name` (or `/name@this_bot`), entity or not.
"""
from __future__ import annotations

import re
from typing import Any, Collection, Dict, List, Optional, Tuple, Union

from telegram import Update
from telegram.ext import BaseHandler, filters as ptb_filters

# The first word of a command: /name, optionally /name@bot_username (as Telegram's clients write it).
_COMMAND = re.compile(r"^\s*/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,32}))?(?![\w@])")
# Any text that starts like a command, known or not (the gateway answers unknown ones with the help).
SLASH = ptb_filters.Regex(r"^\s*/[A-Za-z0-9_]")


def parse_command(text: Optional[str], bot_username: Optional[str]) -> Optional[Tuple[str, List[str]]]:
    """(command name in lower case, its arguments) when `text` is a command for this bot, else None.

    `/name@other_bot` is for another bot (in a group): None."""
    match = _COMMAND.match(text or "")
    if match is None:
        return None
    name, addressee = match.group(1).lower(), match.group(2)
    if addressee and (not bot_username or addressee.lower() != bot_username.lower()):
        return None
    return name, (text or "").split()[1:]  # as CommandHandler: the words after the first


CheckResult = Optional[Union[bool, Tuple[List[str], Union[bool, Dict[str, Any], None]]]]


class SlashCommandHandler(BaseHandler[Update, Any, Any]):
    """CommandHandler's contract (`context.args`, optional filters) for texts starting with /command."""

    def __init__(self, command: Union[str, Collection[str]], callback: Any,
                 filters: Optional[ptb_filters.BaseFilter] = None, block: bool = True):
        super().__init__(callback, block=block)
        names = [command] if isinstance(command, str) else list(command)
        self.commands = frozenset(name.lower() for name in names)
        self.filters = filters if filters is not None else ptb_filters.UpdateType.MESSAGES

    def check_update(self, update: object) -> CheckResult:
        if not isinstance(update, Update) or update.effective_message is None:
            return None
        message = update.effective_message
        parsed = parse_command(message.text, message.get_bot().username)
        if parsed is None or parsed[0] not in self.commands:
            return None
        filter_result = self.filters.check_update(update)
        if not filter_result:
            return False
        return parsed[1], filter_result

    def collect_additional_context(self, context: Any, update: Update, application: Any,
                                   check_result: CheckResult) -> None:
        if isinstance(check_result, tuple):
            context.args = check_result[0]
            if isinstance(check_result[1], dict):
                context.update(check_result[1])
