import pytest

from kb.normalize import default_normalizer


@pytest.mark.parametrize(
    "text, expected",
    [
        ("jht sy gmn cairinnya, udh resign 2 bln", ["jht", "bagaimana", "klaim", "resign", "2", "bulan"]),
        ("Pencairan JHT", ["klaim", "jht"]),
        ("mau ambil saldo jaminan hari tua", ["klaim", "saldo", "jht"]),
        ("withdraw my old age savings", ["klaim", "jht"]),
        ("otp jmo ga masuk2", ["otp", "jmo", "tidak", "masuk", "masuk"]),
        ("lupa kata sandi", ["lupa", "sandi"]),
        ("forgot password", ["lupa", "sandi"]),
        ("BPJS TK", ["bpjstk"]),
        ("bpjstk", ["bpjstk"]),
        ("jamsostek mobile error", ["jmo", "error"]),
        ("gaaaak bisaaa login", ["gagal", "login"]),
        ("verifikasi wajahnya gagal terus", ["verifikasi", "wajah", "gagal"]),
    ],
)
def test_tokens(text, expected):
    assert default_normalizer().tokens(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!!???", "🙂🙂🙂", "\x00\x01", "a" * 10_000])
def test_degenerate_input_never_fails(text):
    assert isinstance(default_normalizer().tokens(text), list)


def test_stopwords_only_gives_nothing():
    assert default_normalizer().tokens("ya sih dong, tolong min") == []
