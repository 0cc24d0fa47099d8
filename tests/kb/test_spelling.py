from kb.spelling import ClosestWord


def test_closest_word_matches_typos_of_long_words_only():
    closest = ClosestWord(["password", "santunan", "otp", "2024"])
    assert closest("pasword") == "password" and closest("santunann") == "santunan"
    assert closest("otpp") is None  # "otp" is too short to be a typo target
    assert closest("zorp") is None and closest("202") is None and closest("ab") is None
    assert ClosestWord([])("password") is None
