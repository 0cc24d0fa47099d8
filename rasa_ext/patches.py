"""Performance fixes applied to Rasa at start-up (same behaviour, less CPU).

- Rasa 3.6 validates every action-server response with `jsonschema.validate`,
  which re-checks the (large) schema against the meta-schema on every call: about
  15 ms of CPU per message, half of the server's time under load. The response is
  still validated here, with a validator built once (about 2 ms).
- Every stored event is turned back into an object through `Event.resolve_by_type`,
  which walks all Event subclasses each time; the lookup is cached here.
- On SQLite, Rasa's tracker store commits twice per message with the default
  `synchronous=FULL` (an fsync each). In WAL mode `synchronous=NORMAL` keeps the
  database consistent after a crash and only risks the last commits on power
  loss; PostgreSQL is unaffected.
"""
from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)


def apply() -> None:
    _cache_response_validator()
    _cache_event_types()
    _tune_sqlite()


def _cache_event_types() -> None:
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    if getattr(original, "_cached", False):
        return
    cache: dict = {}

    def resolve_by_type(type_name, default=None):
        if type_name not in cache:
            found = original(type_name, default)  # unknown names: Rasa's own answer (default or error)
            if found is None or found is default:
                return found
            cache[type_name] = found
        return cache[type_name]

    resolve_by_type._cached = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


def _tune_sqlite() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def on_connect(dbapi_connection, _record) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    if not event.contains(Engine, "connect", on_connect):
        event.listen(Engine, "connect", on_connect)


def _cache_response_validator() -> None:
    from jsonschema import ValidationError, validators
    from rasa.core.actions import action as rasa_action

    remote = rasa_action.RemoteAction
    if getattr(remote._validate_action_result, "_cached_validator", False):
        return

    @lru_cache(maxsize=1)
    def response_validator():
        schema = remote.action_response_format_spec()
        return validators.validator_for(schema)(schema)

    def validate_action_result(self, result):
        try:
            response_validator().validate(result)
            return True
        except ValidationError as e:
            e.message += (". Failed to validate Action server response from API, make sure your response from "
                          "the Action endpoint is valid.")
            raise e

    validate_action_result._cached_validator = True  # type: ignore[attr-defined]
    remote._validate_action_result = validate_action_result
