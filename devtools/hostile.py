"""The hostile-input corpus (tests/fixtures/hostile/corpus.json) and what each surface must do with it.

Three surfaces take a participant's or a staff member's words: the REST channel, Telegram (through
the gateway) and the dashboard's forms. For every case each must give no 5xx, not crash, echo
nothing unescaped, and answer with a clear message. The probes here send one case and judge the
outcome; tests/hostile/ asserts on them, and `python -m devtools.hostile` runs them all against
real parts and writes the counts to reports/hostile.md.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import urlencode

import requests

from core.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "hostile" / "corpus.json"
MARKUP = re.compile(r"[<>&]")


@dataclass(frozen=True)
class HostileText:
    id: str
    about: str
    text: str


@dataclass(frozen=True)
class HostileRequest:
    id: str
    about: str
    content_type: str
    expect_status: int
    expect_error: str
    raw: Dict[str, Any]

    def body(self, sender: str) -> bytes:
        if "message_length" in self.raw:
            return json.dumps({"sender": sender, "message": "a" * self.raw["message_length"]}).encode()
        if "body_repeat" in self.raw:
            piece, times = self.raw["body_repeat"]
            return (piece * times).encode("latin-1")
        return self.raw["body"].replace("{sender}", sender).encode("latin-1")


@dataclass(frozen=True)
class Outcome:
    surface: str  # "rest", "telegram", "dashboard: <form>"
    case: str
    ok: bool
    status: Optional[int]  # HTTP status where there is one
    detail: str  # what was seen (a short note)


@lru_cache(maxsize=1)
def _corpus() -> Dict[str, Any]:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def hostile_texts() -> List[HostileText]:
    out = []
    for case in _corpus()["texts"]:
        text = case["text"] if "text" in case else (case["repeat"] * (case["length"] // len(case["repeat"]) + 1))[
            :case["length"]]
        out.append(HostileText(case["id"], case["about"], text))
    return out


def hostile_requests() -> List[HostileRequest]:
    return [HostileRequest(c["id"], c["about"], c["content_type"], c["expect"][0], c["expect"][1], c)
            for c in _corpus()["requests"]]


def unescaped_echo(payload: str, page: str) -> bool:
    """True when a payload holding markup appears verbatim in HTML (it would be markup there, not text)."""
    return bool(MARKUP.search(payload)) and len(payload) >= 3 and payload in page


# ---- REST ----------------------------------------------------------------------------------------
def rest_text(rasa_url: str, case: HostileText, sender: str, timeout: float = 60) -> Outcome:
    """A participant's text over the public REST channel: a 200 with at least one non-empty reply."""
    try:
        response = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": case.text},
                                 timeout=timeout)
    except requests.RequestException as exc:
        return Outcome("rest", case.id, False, None, f"no answer: {type(exc).__name__}")
    if response.status_code != 200:
        return Outcome("rest", case.id, False, response.status_code, response.text[:200])
    messages = response.json()
    texts = [m.get("text") or "" for m in messages if isinstance(m, dict)]
    if not texts or not all(t.strip() for t in texts):
        return Outcome("rest", case.id, False, 200, f"empty reply: {messages!r}"[:200])
    if any(unescaped_echo(case.text, t) for t in texts):
        return Outcome("rest", case.id, False, 200, "the reply repeats the markup")
    return Outcome("rest", case.id, True, 200, _first_line(texts[0]))


def rest_request(rasa_url: str, case: HostileRequest, sender: str, timeout: float = 60) -> Outcome:
    """A malformed request: the expected 4xx with a JSON {"error", "message"}."""
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    try:
        response = requests.post(f"{rasa_url}/webhooks/rest/webhook", data=case.body(sender), headers=headers,
                                 timeout=timeout)
    except requests.RequestException as exc:
        return Outcome("rest", case.id, False, None, f"no answer: {type(exc).__name__}")
    try:
        body = response.json()
    except ValueError:
        return Outcome("rest", case.id, False, response.status_code, f"not JSON: {response.text[:120]!r}")
    ok = response.status_code == case.expect_status and isinstance(body, dict) \
        and body.get("error") == case.expect_error and bool(body.get("message"))
    return Outcome("rest", case.id, ok, response.status_code, str(body.get("message") if isinstance(body, dict) else body)[:200])


def rest_still_answers(rasa_url: str, sender: str) -> bool:
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": "lupa password jmo"},
                             timeout=60)
    return response.status_code == 200 and bool(response.json())


# ---- Telegram (the gateway with the fake Bot API) ------------------------------------------------
async def telegram_text(server: Any, chat: int, case: HostileText, timeout: float = 30) -> Outcome:
    """A participant's text through the gateway: at least one reply, and no Bot API call refused (an
    unescaped echo is a 400 "can't parse entities" from the fake Bot API, as from Telegram)."""
    calls_before = len(server.calls)
    server.inject_text(chat, case.text)
    try:
        messages = await server.wait_for_messages(chat, 1, timeout=timeout)
    except TimeoutError as exc:
        return Outcome("telegram", case.id, False, None, str(exc)[:200])
    refused = [c for c in server.calls[calls_before:] if (c.get("status") or 200) >= 400
               and c["params"].get("chat_id") == chat]
    if refused:
        return Outcome("telegram", case.id, False, refused[0]["status"], f"{refused[0]['method']} refused")
    texts = [m.get("text") or "" for m in messages]
    if any(unescaped_echo(case.text, t) for t in texts):
        return Outcome("telegram", case.id, False, None, "the reply repeats the markup")
    return Outcome("telegram", case.id, True, None, _first_line(texts[0]))


# ---- the dashboard's forms -----------------------------------------------------------------------
MESSAGE_MARKERS = ('class="flash', 'role="alert"')


@dataclass(frozen=True)
class Form:
    name: str
    method: str
    url: str  # {ticket}: the test ticket's number
    fields: Dict[str, str]  # "{x}": the hostile text
    who: str  # anonymous, staff or admin
    markers: Tuple[str, ...] = MESSAGE_MARKERS  # what on the page tells the user what happened (POST forms)


X = "{x}"
FORMS: Sequence[Form] = (
    Form("login", "POST", "/login", {"username": X, "password": X}, "anonymous"),
    Form("ticket reply", "POST", "/tickets/{ticket}/reply", {"text": X}, "staff"),
    Form("ticket status note", "POST", "/tickets/{ticket}/status", {"status": "in_progress", "note": X}, "staff"),
    Form("reveal reason", "POST", "/tickets/{ticket}/reveal", {"reason": X}, "staff"),
    Form("propose as FAQ note", "POST", "/tickets/{ticket}/suggest-faq", {"note": X}, "staff"),
    Form("queue search", "GET", "/tickets", {"q": X, "topic": X, "assignee": X, "page": X}, "staff"),
    Form("own password", "POST", "/account/password", {"current_password": X, "new_password": X,
                                                       "confirm_password": X}, "staff"),
    # A preview's message is the preview itself: the entry as a phone shows it, or why it cannot.
    Form("knowledge-base entry preview", "POST", "/kb/new", {
        "id": X, "topic": X, "title_id": X, "title_en": X, "questions_id": X, "answer_id": X, "answer_en": X,
        "citations": X, "source": X, "action": "preview"}, "admin", ('class="phone"',)),
    Form("knowledge-base entry save", "POST", "/kb/new", {
        "id": X, "topic": "jht.eligibility", "title_id": X, "title_en": X, "questions_id": X, "questions_en": X,
        "answer_id": X, "answer_en": X, "citations": X, "source": X, "action": "draft"}, "admin"),
    Form("knowledge-base search", "GET", "/kb", {"q": X, "topic": X}, "admin"),
    Form("new account", "POST", "/admin/users", {"username": X, "display_name": X, "role": X, "password": X,
                                                 "confirm_password": X}, "admin"),
    Form("staff Telegram id", "POST", "/admin/users/ani/telegram", {"telegram_user_id": X}, "admin"),
    Form("audit filter", "GET", "/admin/audit", {"actor": X, "action": X, "page": X}, "admin"),
)


def dashboard_form(client: Any, form: Form, case: HostileText, ticket: str, csrf: str) -> Outcome:
    """One form with the hostile text in every field: below 500, nothing unescaped, a message for a POST."""
    data = {k: v.replace(X, case.text) for k, v in form.fields.items()}
    target = form.url.replace("{ticket}", ticket)
    surface = f"dashboard: {form.name}"
    # Encoded by hand: a lone surrogate becomes the bytes a broken client would send (not UTF-8).
    if form.method == "GET":
        response = client.get(target, query_string=urlencode(data, errors="surrogatepass"), follow_redirects=True)
    else:
        response = client.post(target, data=urlencode({**data, "csrf_token": csrf}, errors="surrogatepass"),
                               content_type="application/x-www-form-urlencoded", follow_redirects=True)
    page = response.get_data(as_text=True)
    if response.status_code >= 500:
        return Outcome(surface, case.id, False, response.status_code, "server error")
    if unescaped_echo(case.text, page):
        return Outcome(surface, case.id, False, response.status_code, "the page repeats the markup")
    if form.method == "POST" and not any(marker in page for marker in form.markers):
        return Outcome(surface, case.id, False, response.status_code, "no message on the page")
    message = re.search(r'class="(?:flash|bubble error)[^"]*"[^>]*>([^<]*)<', page)
    return Outcome(surface, case.id, True, response.status_code, " ".join((message.group(1) if message else "").split())[:200])


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:160]
