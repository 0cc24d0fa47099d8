from core.language import LANGUAGES, lang_of


def test_one_rule_for_every_surface():
    assert [lang_of(c) for c in ("en", "en-US", "EN", " en ")] == ["en"] * 4
    assert [lang_of(c) for c in (None, "", "id", "ms", "jv", "fr")] == ["id"] * 6
    assert set(LANGUAGES) == {"id", "en"}
