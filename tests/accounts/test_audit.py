from accounts.audit import AuditLog


def test_record_list_filter_and_mask(db):
    log = AuditLog(db)
    log.record("ani", "pii_revealed", "MDK-000001", "reason: NIK 1271012345678901 untuk verifikasi")
    log.record("budi", "kb_edited", "jht-a", None, source="dashboard")
    log.record("x" * 500, "login_failed", "y" * 500, "\x00z" * 3000, source="cli")
    entries = log.list()
    assert [e.action for e in entries] == ["login_failed", "kb_edited", "pii_revealed"]
    assert "1271012345678901" not in entries[2].detail and entries[2].detail.endswith("untuk verifikasi")
    assert len(entries[0].actor) == 100 and len(entries[0].target) == 200 and "\x00" not in entries[0].detail
    assert [e.target for e in log.list(actor="budi")] == ["jht-a"]
    assert log.count(action="pii_revealed") == 1
    assert log.list(limit=1, offset=1)[0].action == "kb_edited"
    assert log.actions() == ["kb_edited", "login_failed", "pii_revealed"]
