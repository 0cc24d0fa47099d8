import pytest

from core.settings import PROJECT_ROOT, Settings, SettingsError, ensure_dotenv, load_dotenv


def test_defaults_use_sqlite_under_var():
    s = Settings.from_env({})
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("var/app.db")
    assert s.rasa_url == "http://127.0.0.1:5005" and s.telegram_staff_chat_id is None
    assert s.shared_dir == str(PROJECT_ROOT.parent / "shared")
    assert Settings.from_env({"SHARED_DIR": "/data/shared"}).shared_dir == "/data/shared"


def test_production_refuses_placeholder_secrets():
    with pytest.raises(SettingsError):
        Settings.from_env({"APP_ENV": "production", "RASA_TOKEN": "change-me", "DASHBOARD_SECRET_KEY": "x" * 32})
    ok = Settings.from_env({"APP_ENV": "production", "RASA_TOKEN": "r" * 32, "DASHBOARD_SECRET_KEY": "d" * 32})
    assert ok.is_production


def test_dotenv_fills_only_missing_variables(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nRASA_TOKEN='from-file'\nexport BRANCH_CODE=binjai\nEMPTY=\n", encoding="utf-8")
    environ = {"RASA_TOKEN": "from-env"}
    load_dotenv(env_file, environ)
    assert environ == {"RASA_TOKEN": "from-env", "BRANCH_CODE": "binjai", "EMPTY": ""}


def test_ensure_dotenv_generates_secrets(tmp_path):
    example = tmp_path / ".env.example"
    example.write_text("RASA_TOKEN=change-me\nDASHBOARD_SECRET_KEY=change-me\nLOG_LEVEL=INFO\n", encoding="utf-8")
    target = tmp_path / ".env"
    assert ensure_dotenv(target, example) is True
    values = dict(line.split("=", 1) for line in target.read_text().splitlines())
    assert len(values["RASA_TOKEN"]) >= 32 and values["RASA_TOKEN"] != values["DASHBOARD_SECRET_KEY"]
    assert ensure_dotenv(target, example) is False
