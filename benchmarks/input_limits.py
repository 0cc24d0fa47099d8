"""What the longest allowed message costs: NLU time of 4,096-character messages, and whole turns over REST.

Issue 13's goal: the NLU cost of the longest allowed message (4,096 characters, core/input_limits.py)
stays under 200 ms. Messages of exactly that length in several shapes (prose, unknown words, which
make the unknown-word check try every word against the vocabulary, one enormous word, one letter
repeated, emoji, digits, CJK, random printable characters) are read by Rasa's NLU (`/model/parse`,
the pipeline alone) REPEATS times each; the report gives the median and the worst. The same
messages then go through the REST channel as whole turns (NLU, policies, the action server), and a
100,000-character message shows what the cap saves (it cost 19 s of Rasa CPU before it).
"""
from __future__ import annotations

import random
import statistics
import string
import time
import uuid
from typing import Callable, Dict, List

import requests

from benchmarks.common import assistant_stack, machine, write_json, write_markdown
from core.input_limits import MAX_MESSAGE_CHARS, clean_message
from core.settings import PROJECT_ROOT

GOAL_MS = 200.0
REPEATS = 15
TURN_REPEATS = 5
LONG = 100_000


def _exactly(text: str, length: int = MAX_MESSAGE_CHARS) -> str:
    return (text * (length // max(len(text), 1) + 1))[:length]


def shapes() -> Dict[str, str]:
    rnd = random.Random(13)
    prose = " ".join(p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "kb" / "content").glob("*.yml")))
    gibberish = " ".join("".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(3, 9)))
                         for _ in range(900))
    return {
        "Indonesian prose (knowledge-base text)": _exactly(" ".join(prose.split())),
        "unknown words (random letters, 3-9 each)": _exactly(gibberish),
        "one word of 4,096 letters": "".join(rnd.choice(string.ascii_lowercase) for _ in range(MAX_MESSAGE_CHARS)),
        "one letter repeated (a x 4,096)": "a" * MAX_MESSAGE_CHARS,
        "a question repeated": _exactly("klaim jht saya belum cair kenapa ya "),
        "emoji": _exactly("🙏😭👍🏻🔥"),
        "digits and spaces": _exactly("1234567890 "),
        "CJK characters": "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(MAX_MESSAGE_CHARS)),
        "random printable ASCII": "".join(rnd.choice(string.printable) for _ in range(MAX_MESSAGE_CHARS)),
    }


def _timed(call: Callable[[], requests.Response]) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def _summary(samples: List[float]) -> Dict[str, float]:
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def run() -> dict:
    results: Dict[str, dict] = {}
    long_text = _exactly("klaim jht saya belum cair kenapa ya ", LONG)
    started = time.perf_counter()
    clean_message(long_text)
    clean_ms = (time.perf_counter() - started) * 1000
    with assistant_stack() as stack, requests.Session() as http:
        parse_url = f"{stack.rasa_url}/model/parse"
        webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
        _timed(lambda: http.post(parse_url, params={"token": stack.token}, json={"text": "halo"}, timeout=60))
        for name, text in shapes().items():
            assert len(text) == MAX_MESSAGE_CHARS, name
            nlu = [_timed(lambda: http.post(parse_url, params={"token": stack.token}, json={"text": text}, timeout=60))
                   for _ in range(REPEATS)]
            intent = http.post(parse_url, params={"token": stack.token}, json={"text": text},
                               timeout=60).json()["intent"]["name"]
            turns = [_timed(lambda: http.post(webhook, json={"sender": f"bench-input-{uuid.uuid4().hex[:8]}",
                                                             "message": text}, timeout=120))
                     for _ in range(TURN_REPEATS)]
            results[name] = {"nlu": _summary(nlu), "turn": _summary(turns), "intent": intent}
            print(f"{name}: NLU median {results[name]['nlu']['median_ms']} ms, worst {results[name]['nlu']['max_ms']} ms;"
                  f" turn median {results[name]['turn']['median_ms']} ms ({intent})")
        long_turns = [_timed(lambda: http.post(webhook, json={"sender": f"bench-input-{uuid.uuid4().hex[:8]}",
                                                              "message": long_text}, timeout=120))
                      for _ in range(TURN_REPEATS)]
    worst = max(r["nlu"]["max_ms"] for r in results.values())
    return {"machine": machine(), "limit": MAX_MESSAGE_CHARS, "goal_ms": GOAL_MS, "repeats": REPEATS,
            "turn_repeats": TURN_REPEATS, "shapes": results, "worst_nlu_ms": worst, "goal_met": worst < GOAL_MS,
            "long_message": {"characters": LONG, "turn": _summary(long_turns), "clean_ms": round(clean_ms, 2)}}


def report(data: dict) -> str:
    m = data["machine"]
    lines = ["# What the longest allowed message costs", "",
             f"Machine: {m['cpus']} CPUs, {m['memory_gb']} GiB; commit {m['commit']}. "
             f"Messages of exactly {data['limit']:,} characters (the cap, core/input_limits.py). "
             f"NLU: Rasa's `/model/parse` (the pipeline alone), {data['repeats']} times each; "
             f"turn: the REST channel with the action server, {data['turn_repeats']} new conversations each.", "",
             f"**Goal: NLU under {data['goal_ms']:.0f} ms for the longest allowed message. "
             f"Worst measured: {data['worst_nlu_ms']:.0f} ms ({'met' if data['goal_met'] else 'NOT met'}).**", "",
             "| message (4,096 characters) | NLU median ms | NLU worst ms | turn median ms | turn worst ms | intent |",
             "|---|---|---|---|---|---|"]
    for name, r in data["shapes"].items():
        lines.append(f"| {name} | {r['nlu']['median_ms']:.0f} | {r['nlu']['max_ms']:.0f} | {r['turn']['median_ms']:.0f} "
                     f"| {r['turn']['max_ms']:.0f} | `{r['intent']}` |")
    long = data["long_message"]
    lines += ["", f"A {long['characters']:,}-character message over REST is cut to {data['limit']:,} characters before "
              f"the NLU (cleaning and cutting it: {long['clean_ms']:.1f} ms) and answered, with a note that it was cut, in "
              f"{long['turn']['median_ms']:.0f} ms (median; worst {long['turn']['max_ms']:.0f} ms). Before the cap the "
              "same message cost about 19 s of Rasa CPU (issue 13; 14.6 s on this machine when measured for it).", ""]
    return "\n".join(lines)


def main() -> None:
    data = run()
    write_json("bench-input", data)
    print(write_markdown("bench-input", report(data)))


if __name__ == "__main__":
    main()
