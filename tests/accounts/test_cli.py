import io

import pytest

from accounts.audit import AuditLog
from accounts.cli import main
from accounts.users import UserService


class FakeTty(io.StringIO):
    def isatty(self):
        return True


def run(db, args, stdin_text="", capsys=None):
    code = main(["--db", db.url, *args], stdin=io.StringIO(stdin_text))
    return code


def test_create_user_reads_the_password_from_stdin(db, fast_hashing, capsys):
    assert run(db, ["create-user", "--username", "admin", "--role", "admin", "--display-name", "Kepala"],
               "Sandi-Kepala-2026\n") == 0
    assert "created admin admin" in capsys.readouterr().out
    users = UserService(db)
    assert users.authenticate("admin", "Sandi-Kepala-2026").ok
    assert users.get("admin").display_name == "Kepala"
    assert AuditLog(db).list(action="user_created")[0].actor == "cli"


def test_prompt_asks_twice_and_refuses_a_mismatch(db, fast_hashing, monkeypatch, capsys):
    answers = iter(["Sandi-Kepala-2026", "Sandi-Lain-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code = main(["--db", db.url, "create-user", "--username", "ani"], stdin=FakeTty())
    assert code == 1 and "differ" in capsys.readouterr().err
    assert UserService(db).get("ani") is None
    answers = iter(["Sandi-Kepala-2026", "Sandi-Kepala-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["--db", db.url, "create-user", "--username", "ani"], stdin=FakeTty()) == 0


def test_no_password_argument_exists():
    from accounts.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["create-user", "--username", "x", "--password", "Sandi-Kepala-2026"])


def test_reset_password_list_and_set_telegram(db, fast_hashing, capsys):
    run(db, ["create-user", "--username", "ani"], "Sandi-Awal-2026\n")
    assert run(db, ["--actor", "budi", "reset-password", "--username", "ani"], "Sandi-Baru-2026\n") == 0
    assert UserService(db).authenticate("ani", "Sandi-Baru-2026").ok
    assert AuditLog(db).list(action="password_reset")[0].actor == "cli:budi"
    assert run(db, ["set-telegram", "--username", "ani", "--telegram-id", "987654"]) == 0
    assert UserService(db).find_by_telegram_user_id(987654).username == "ani"
    capsys.readouterr()
    assert run(db, ["list"]) == 0
    out = capsys.readouterr().out
    assert "ani" in out and "telegram=987654" in out and "scrypt" not in out and "1 accounts" in out


def test_errors_are_one_line(db, fast_hashing, capsys):
    assert run(db, ["reset-password", "--username", "ghost"], "Sandi-Baru-2026\n") == 1
    assert "no account" in capsys.readouterr().err
    assert run(db, ["create-user", "--username", "ani"], "pendek\n") == 1
    assert "minimal" in capsys.readouterr().err
    assert run(db, ["create-user", "--username", "ani"], "") == 1
    assert run(db, ["set-telegram", "--username", "ani"]) == 1
