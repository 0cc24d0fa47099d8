"""Who may speak for which sender id (core/identity.py): the rules the REST input channel applies."""
import pytest

from core.identity import ChannelPolicy, bearer_header, channel_of, presented_credential, reserved_channel, \
    telegram_chat
from core.settings import Settings

TOKEN = "internal-token-0123456789"
SECRET = "rest-secret-0123456789ab"
DEV = ChannelPolicy(internal_token=TOKEN)
PRODUCTION = ChannelPolicy(internal_token=TOKEN, production=True)
PRODUCTION_WITH_SECRET = ChannelPolicy(internal_token=TOKEN, rest_secret=SECRET, production=True)


def test_telegram_chats_are_read_strictly():
    assert telegram_chat("tg:7001") == 7001 and telegram_chat("tg:-100123") == -100123
    for other in ("tg: 7001", "tg:7001 ", "TG:7001", "tg:70a1", "tg:", "web-7001", "staff:-1001"):
        assert telegram_chat(other) is None, other
    assert channel_of("tg:7001") == "telegram" and channel_of("eval-ab12-3") == "rest"


def test_reserved_namespaces_whatever_their_case():
    assert reserved_channel("tg:7001") == reserved_channel("TG:7001") == reserved_channel("Tg:x") == "telegram"
    assert reserved_channel("staff:-1001") == "telegram"
    assert reserved_channel("cli:ab12") is None and reserved_channel("tg-7001") is None


@pytest.mark.parametrize("sender", ["tg:7001", "TG:7001", "tg:abc", "staff:-100555"])
@pytest.mark.parametrize("policy", [DEV, PRODUCTION_WITH_SECRET])
@pytest.mark.parametrize("credential", ["", SECRET, "guess"])
def test_the_public_rest_channel_cannot_use_a_reserved_namespace(sender, policy, credential):
    decision = policy.decide(sender, credential)
    assert not decision.allowed and decision.status == 403 and decision.error == "reserved_sender"
    assert "REST channel cannot use them" in decision.message


def test_the_gateway_speaks_for_telegram_chats_with_the_internal_token():
    for policy in (DEV, PRODUCTION, PRODUCTION_WITH_SECRET):
        decision = policy.decide("tg:7001", TOKEN)
        assert decision.allowed and decision.internal and decision.channel == "telegram"
    assert DEV.decide("eval-ab12-0", TOKEN).channel == "rest"  # make chat, evaluations: their own ids
    assert not DEV.decide("staff:-100555", TOKEN).allowed  # the staff chat is no conversation
    assert not ChannelPolicy().decide("tg:7001", "").allowed  # no token configured: nobody is the gateway


def test_the_public_rest_channel_in_development_and_production():
    assert DEV.decide("web-42", "").allowed
    off = PRODUCTION.decide("web-42", "")
    assert (off.status, off.error) == (403, "rest_channel_off") and "REST_CHANNEL_SECRET" in off.message
    assert PRODUCTION.decide("web-42", TOKEN).allowed  # operators' tools still work
    assert PRODUCTION_WITH_SECRET.decide("web-42", SECRET).allowed
    missing = PRODUCTION_WITH_SECRET.decide("web-42", "")
    assert (missing.status, missing.error) == (401, "missing_credential")
    assert not PRODUCTION_WITH_SECRET.decide("web-42", SECRET[:-1]).allowed
    # A secret set in development is required there too.
    assert not ChannelPolicy(TOKEN, SECRET).decide("web-42", "").allowed


@pytest.mark.parametrize("sender", [None, 42, "", " web", "web 42", "web\n42", "w" * 129, "wéb", "../etc", "a\u200bb",
                                    "<script>"])
def test_malformed_sender_ids_are_refused(sender):
    decision = DEV.decide(sender, TOKEN)
    assert (decision.allowed, decision.status, decision.error) == (False, 400, "invalid_sender")


def test_the_credential_travels_as_a_bearer_header():
    assert bearer_header(TOKEN) == {"Authorization": f"Bearer {TOKEN}"} and bearer_header("") == {}
    assert presented_credential(f"bearer {TOKEN}") == TOKEN
    assert presented_credential(TOKEN) == "" and presented_credential(None) == ""


def test_settings_refuse_a_weak_rest_secret_in_production():
    from core.settings import SettingsError

    base = {"APP_ENV": "production", "RASA_TOKEN": TOKEN, "DASHBOARD_SECRET_KEY": "d" * 32}
    assert Settings.from_env(base).rest_channel_secret == ""
    assert Settings.from_env({**base, "REST_CHANNEL_SECRET": SECRET}).rest_channel_secret == SECRET
    for weak in ("change-me", "short", TOKEN):
        with pytest.raises(SettingsError, match="REST_CHANNEL_SECRET"):
            Settings.from_env({**base, "REST_CHANNEL_SECRET": weak})
    assert ChannelPolicy.from_settings(Settings.from_env(base)) == PRODUCTION
