"""Pure parts of the dashboard: transcript parsing, charts, throttle, form helpers."""
import datetime as dt

from dashboard import charts, kb_forms
from dashboard.throttle import LoginThrottle
from dashboard.transcript import MAX_TURNS, parse_tracker
from tests.dashboard.fake_rasa import action, bot, slot, user


def test_transcript_turns_intents_and_answers():
    tracker = {"events": [
        bot(1.0, "Halo! Ada yang bisa saya bantu?"),  # before the first participant message
        user(10.0, "jht kena pajak?", "kb_jht_tax", 0.98),
        bot(10.5, "Pajak JHT ..."), slot(10.6, "answer_topic", "jht.tax"), slot(10.7, "answer_faq_id", "jht-tax-full"),
        action(10.8, "action_listen"),
        # The same answer again: the tracker store records no slot event when the value does not change.
        user(20.0, "saldo 70jt kena pajak brp", "kb_jht_tax", 0.78), bot(20.5, "Pajak JHT ..."),
        user(30.0, "/deny", "deny", 1.0), bot(30.5, "Maaf ..."),
        slot(30.6, "answer_topic", None), slot(30.7, "answer_faq_id", None),
        {"event": "restart", "timestamp": 40.0},
        "garbage", {"event": "user", "timestamp": "not a time", "text": None, "parse_data": "x"},
    ]}
    t = parse_tracker(tracker)
    assert [m.text for m in t.opening] == ["Halo! Ada yang bisa saya bantu?"]
    assert [(x.text, x.intent, x.answer_faq_id) for x in t.turns] == [
        ("jht kena pajak?", "kb_jht_tax", "jht-tax-full"), ("saldo 70jt kena pajak brp", "kb_jht_tax", "jht-tax-full"),
        ("/deny", "deny", None), ("", None, None)]
    assert t.turns[0].at == dt.datetime(1970, 1, 1, 0, 0, 10) and t.turns[0].confidence == 0.98
    assert t.turns[2].is_button and t.turns[3].at is None
    assert t.turns[0].bot[0].text == "Pajak JHT ..."


def test_transcript_survives_nonsense_and_keeps_the_latest_turns():
    for nonsense in (None, {}, {"events": None}, {"events": "x"}, [], {"events": [None, 1, {"event": "bot"}]}):
        parse_tracker(nonsense)
    many = {"events": [user(float(i), f"pesan {i}", "greet", 0.9) for i in range(MAX_TURNS + 7)]}
    t = parse_tracker(many)
    assert len(t.turns) == MAX_TURNS and t.truncated == 7 and t.turns[-1].text == f"pesan {MAX_TURNS + 6}"


def test_charts_escape_labels_and_use_whole_ticks():
    svg = charts.stacked_bars(["1/12", "<b>2/12</b>"], [("Dijawab <script>", [3.0, 0.0]), ("Fallback", [1.0, 2.0])], "Judul & <x>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;2/12" in svg and "Judul &amp; &lt;x&gt;" in svg
    assert ">4</text>" in svg and ".5<" not in svg
    assert " style=" not in svg
    empty = charts.stacked_bars([], [], "kosong")
    assert empty.startswith("<svg")
    bars = charts.share_bars([("jht.tax", 0.25, "1 ya / 3 tidak"), ("x", None, "–")], "Kegunaan")
    assert "25%" in bars and "1 ya / 3 tidak" in bars


def test_throttle_window():
    now = [0.0]
    throttle = LoginThrottle(limit=3, window_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("10.0.0.1")
    assert throttle.blocked("10.0.0.1") and not throttle.blocked("10.0.0.2")
    assert 1 <= throttle.retry_after("10.0.0.1") <= 61
    now[0] = 61.0
    assert not throttle.blocked("10.0.0.1")
    throttle.failed("10.0.0.2")
    assert throttle.retry_after("10.0.0.2") == 0  # below the limit: no wait


def test_shape_notes_cover_only_the_languages_written():
    data = {"id": "draf-x", "topic": "jht.balance", "answer": {"id": "Cek saldo di JMO.", "en": ""}}
    assert kb_forms.shape_notes(data) == ["draf-x: id answer must end with one 'Langkah berikutnya: ...' paragraph"]
    data["answer"]["id"] = "Cek saldo di JMO.\n\nLangkah berikutnya: buka JMO."
    assert kb_forms.shape_notes(data) == []


def test_diff_of_revisions():
    old = {"id": "a-b-c", "topic": "jht.tax", "title": {"id": "x", "en": "x"}, "questions": {"id": ["a", "b", "c"], "en": ["d"]},
           "answer": {"id": "lama", "en": "old"}, "source": "s", "programs": [], "active": True}
    new = {**old, "answer": {"id": "baru", "en": "old"}}
    lines = kb_forms.diff(old, new)
    assert ("del", "-  answer:") not in [(line.kind, line.text) for line in lines]
    assert any(line.kind == "del" and "lama" in line.text for line in lines)
    assert any(line.kind == "add" and "baru" in line.text for line in lines)
    assert all(line.kind == "add" for line in kb_forms.diff(None, old) if line.kind != "hunk")
