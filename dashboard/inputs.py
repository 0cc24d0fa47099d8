"""What the dashboard reads from a request: form fields and query parameters that a database can store.

PostgreSQL refuses text holding a NUL character ("A string literal cannot contain NUL (0x00)
characters"): a search, a login or a note with one became a 500. Every form field and query
parameter arrives here without it (invisible, so nothing the user meant is lost). Bytes that are not
UTF-8 are already replaced or kept percent-encoded by werkzeug.
"""
from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


def _storable(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class StorableInput(ImmutableMultiDict):
    def __init__(self, mapping: Any = None) -> None:
        super().__init__(None if mapping is None else
                         [(_storable(k), _storable(v)) for k, v in iter_multi_items(mapping)])


class DashboardRequest(Request):
    parameter_storage_class = StorableInput
