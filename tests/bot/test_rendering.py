import html

from bot.rendering import TELEGRAM_LIMIT, render, split_text


def test_an_answer_and_its_question_are_one_message_with_the_keyboard():
    out = render([{"text": "Langkah:\n1. Buka JMO"}, {"text": "Sumber: FAQ"},
                  {"text": "Apakah jawaban ini membantu?", "buttons": [{"title": "Ya", "payload": "/affirm"}]},
                  {"text": "Atau tulis pertanyaan lain."}])
    assert [o.text for o in out] == ["Langkah:\n1. Buka JMO\n\nSumber: FAQ\n\nApakah jawaban ini membantu?",
                                     "Atau tulis pertanyaan lain."]
    assert out[0].buttons == [{"title": "Ya", "payload": "/affirm"}] and not out[1].buttons


def test_a_long_answer_keeps_its_keyboard_on_the_last_part():
    answer = "\n\n".join(f"Paragraf {i}. " + "kata " * 150 for i in range(8))
    out = render([{"text": answer}, {"text": "Apakah jawaban ini membantu?",
                                     "buttons": [{"title": "Ya", "payload": "/affirm"}]}])
    assert len(out) > 1 and all(len(o.text) <= TELEGRAM_LIMIT for o in out)
    assert [bool(o.buttons) for o in out] == [False] * (len(out) - 1) + [True]
    assert out[-1].text.endswith("Apakah jawaban ini membantu?")


def test_text_is_escaped_for_html():
    out = render([{"text": "<script>alert('x')</script> & <b>"}])
    assert out[0].text == "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;"


def test_long_replies_are_split_at_paragraphs_under_the_limit():
    paragraphs = [f"Paragraf {i}. " + "kata " * 150 for i in range(12)]
    out = render([{"text": "\n\n".join(paragraphs)}])
    assert len(out) > 1
    assert all(len(o.text) <= TELEGRAM_LIMIT for o in out)
    assert html.unescape("\n\n".join(o.text for o in out)).replace("\n\n", " ").split() == \
        "\n\n".join(paragraphs).replace("\n\n", " ").split()
    assert all(o.text.startswith("Paragraf") for o in out)


def test_one_enormous_word_and_escaping_growth_still_fit():
    for text in ["x" * 20_000, "&" * 5_000, ("a" * 3000 + "\n") * 3]:
        pieces = split_text(text)
        assert all(len(html.escape(p, quote=False)) <= TELEGRAM_LIMIT for p in pieces)
        assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_empty_and_non_text_messages():
    assert render([]) == []
    assert render([{"image": "http://x"}, {"text": "  "}]) == []

