import datetime as dt

import pytest

from tests.branch.profiles import load_test_profile
from monitoring.review_queue import QueueFilter, ReviewQueue
from monitoring.service_time import sla_state
from monitoring.tickets import TicketService

PROFILE = load_test_profile()  # Mon-Fri 08:00-15:30 WIB, 8 h response, 2 h warning


def wib(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi) - dt.timedelta(hours=7)


@pytest.fixture
def setup(db):
    svc = TicketService(db, PROFILE)
    a = svc.open("complaint", "tg:1", "telegram", "Antrean di kantor lama sekali", topic="service.queue",
                 now=wib(2026, 11, 30, 9))  # response due Tue 09:30
    b = svc.open("unresolved_question", "tg:2", "telegram", "jmo error 100% tidak bisa login_x",
                 topic="jmo.login_failed", now=wib(2026, 11, 27, 9))  # response due Mon 09:30
    c = svc.open("handoff", "tg:3", "telegram", "mau bicara dengan petugas", now=wib(2026, 12, 1, 9))
    d = svc.open("negative_feedback", "tg:4", "telegram", "jawaban kurang jelas", topic="jht.balance",
                 now=wib(2026, 11, 30, 10))
    svc.change_status(d.number, "resolved", "ani", now=wib(2026, 11, 30, 11))
    svc.assign(b.number, "ani", actor="ani")
    return svc, ReviewQueue(db, PROFILE), (a, b, c, d)


NOW = wib(2026, 12, 1, 8)  # Tuesday 08:00 WIB


def numbers(page):
    return [i.number for i in page.items]


def test_default_shows_open_tickets_by_deadline(setup):
    _, queue, (a, b, c, d) = setup
    page = queue.list(QueueFilter(), now=NOW)
    assert numbers(page) == [b.number, a.number, c.number]
    assert page.total == 3 and page.pages == 1
    assert [i.sla for i in page.items] == ["overdue", "due_soon", "on_time"]
    assert queue.list(QueueFilter(status="all"), now=NOW).total == 4
    assert numbers(queue.list(QueueFilter(status="resolved"), now=NOW)) == [d.number]
    assert queue.list(QueueFilter(status="resolved"), now=NOW).items[0].sla is None


def test_filters(setup):
    _, queue, (a, b, c, d) = setup
    assert numbers(queue.list(QueueFilter(kind="handoff"), now=NOW)) == [c.number]
    assert numbers(queue.list(QueueFilter(topic="service.queue"), now=NOW)) == [a.number]
    assert numbers(queue.list(QueueFilter(assignee="ani"), now=NOW)) == [b.number]
    assert numbers(queue.list(QueueFilter(assignee="none"), now=NOW)) == [a.number, c.number]
    assert numbers(queue.list(QueueFilter(sla="overdue"), now=NOW)) == [b.number]
    assert numbers(queue.list(QueueFilter(sla="due_soon"), now=NOW)) == [a.number]
    assert numbers(queue.list(QueueFilter(sla="on_time"), now=NOW)) == [c.number]


def test_first_response_switches_to_the_resolution_deadline(setup):
    svc, queue, (a, b, c, d) = setup
    svc.reply(a.number, "ani", "Kami cek dulu ya.", now=wib(2026, 11, 30, 10))
    item = next(i for i in queue.list(QueueFilter(), now=NOW).items if i.number == a.number)
    assert item.deadline_kind == "resolution" and item.sla == "on_time"
    assert numbers(queue.list(QueueFilter(sla="due_soon"), now=NOW)) == []


def test_search_matches_text_number_and_topic_and_escapes_wildcards(setup):
    _, queue, (a, b, c, d) = setup
    assert numbers(queue.list(QueueFilter(q="antrean"), now=NOW)) == [a.number]
    assert numbers(queue.list(QueueFilter(q=b.number.lower().replace("-", "")), now=NOW)) == [b.number]
    assert numbers(queue.list(QueueFilter(q="jmo.login"), now=NOW)) == [b.number]
    assert numbers(queue.list(QueueFilter(q="100%"), now=NOW)) == [b.number]
    assert numbers(queue.list(QueueFilter(q="%"), now=NOW)) == [b.number]  # a literal percent sign
    assert numbers(queue.list(QueueFilter(q="login_x"), now=NOW)) == [b.number]
    assert numbers(queue.list(QueueFilter(q="_"), now=NOW)) == [b.number]


def test_sorting_and_paging(setup):
    _, queue, (a, b, c, d) = setup
    assert numbers(queue.list(QueueFilter(sort="created", descending=True), now=NOW)) == [c.number, a.number, b.number]
    assert numbers(queue.list(QueueFilter(sort="number"), now=NOW)) == [a.number, b.number, c.number]
    first = queue.list(QueueFilter(per_page=2, sort="number"), now=NOW)
    second = queue.list(QueueFilter(per_page=2, sort="number", page=2), now=NOW)
    beyond = queue.list(QueueFilter(per_page=2, sort="number", page=99), now=NOW)
    assert numbers(first) == [a.number, b.number] and numbers(second) == [c.number]
    assert first.pages == 2 and beyond.page == 2 and numbers(beyond) == [c.number]


def test_counts(setup):
    _, queue, _ = setup
    counts = queue.counts(now=NOW, me="ani")
    assert (counts.open, counts.overdue, counts.due_soon, counts.unassigned, counts.mine) == (3, 1, 1, 2, 1)
    assert queue.topics() == ["jht.balance", "jmo.login_failed", "service.queue"]
    assert queue.assignees() == ["ani"]


@pytest.mark.parametrize("args", [
    {"status": "'; DROP TABLE tickets; --", "kind": "<script>", "sla": "x", "sort": "id; --", "page": "-5",
     "per_page": "99999", "dir": "sideways", "q": "\x00" + "a" * 5000, "assignee": "' OR 1=1 --",
     "topic": "%"},
    {"page": "abc", "per_page": "abc"}, {"page": "1e9"}, {},
])
def test_hostile_parameters_fall_back_to_defaults(setup, args):
    _, queue, _ = setup
    f = QueueFilter.from_mapping(args, me="ani")
    assert f.status in ("active",) and f.kind is None and f.sla is None and f.sort == "priority"
    assert 1 <= f.page and f.per_page == 25 and len(f.q) <= 200 and "\x00" not in f.q
    queue.list(f, now=NOW)  # runs without error
    assert QueueFilter.from_mapping({"assignee": "me"}, me="ani").assignee == "ani"


def test_sql_state_matches_python_state(db):
    """The SQL filter and service_time.sla_state agree, also around closing time and weekends."""
    svc = TicketService(db, PROFILE)
    queue = ReviewQueue(db, PROFILE)
    starts = [wib(2026, 11, 30, 8) + dt.timedelta(minutes=37 * i) for i in range(60)]
    for i, start in enumerate(starts):
        svc.open("complaint", f"tg:{i}", "telegram", f"pesan {i}", now=start)
    for now in (wib(2026, 12, 1, 13, 30), wib(2026, 12, 1, 15, 30), wib(2026, 12, 4, 14), wib(2026, 12, 5, 10),
                wib(2026, 12, 2, 7)):
        everything = queue.list(QueueFilter(per_page=100), now=now).items
        for state in ("on_time", "due_soon", "overdue"):
            got = {i.number for i in queue.list(QueueFilter(sla=state, per_page=100), now=now).items}
            expected = {i.number for i in everything if sla_state(i.deadline, now, PROFILE) == state}
            assert got == expected, (now, state)


def test_new_details_from_the_participant_show_until_staff_act(setup):
    svc, queue, (a, b, c, d) = setup
    svc.add_participant_message(c.number, "tg:3", "saldo jht saya kurang", now=wib(2026, 12, 1, 9, 5))
    item = next(i for i in queue.list(QueueFilter(), now=NOW).items if i.number == c.number)
    assert item.new_details == "saldo jht saya kurang"
    svc.reply(c.number, "ani", "Baik, kami cek dulu", now=wib(2026, 12, 1, 9, 10))
    item = next(i for i in queue.list(QueueFilter(), now=NOW).items if i.number == c.number)
    assert item.new_details is None


def test_the_default_order_is_overdue_then_soonest_due_newest_first_within(db):
    """Overdue first, then by deadline; tickets sharing a deadline (opened overnight) newest first, so this
    morning's tickets are on page 1 ahead of older ones with later deadlines."""
    svc, queue = TicketService(db, PROFILE), ReviewQueue(db, PROFILE)
    old_overdue = svc.open("complaint", "tg:1", "telegram", "lama", now=wib(2026, 11, 23, 9))
    new_overdue = svc.open("complaint", "tg:2", "telegram", "jumat", now=wib(2026, 11, 27, 9))
    night_1 = svc.open("handoff", "tg:3", "telegram", "malam 1", now=wib(2026, 12, 1, 1))  # first response due Wed 08:30
    night_2 = svc.open("handoff", "tg:4", "telegram", "malam 2", now=wib(2026, 12, 1, 5))  # same deadline
    answered = svc.open("unresolved_question", "tg:5", "telegram", "dijawab", now=wib(2026, 11, 30, 14))
    svc.reply(answered.number, "ani", "Kami cek.", now=wib(2026, 11, 30, 14, 30))  # resolution due later
    done = svc.open("complaint", "tg:6", "telegram", "selesai", now=wib(2026, 12, 1, 7))
    svc.change_status(done.number, "resolved", "ani", notify=False, now=wib(2026, 12, 1, 7, 30))

    page = queue.list(QueueFilter(), now=NOW)
    assert numbers(page) == [new_overdue.number, old_overdue.number, night_2.number, night_1.number,
                             answered.number]
    assert [i.sla for i in page.items][:2] == ["overdue", "overdue"]
    everything = numbers(queue.list(QueueFilter(status="all"), now=NOW))
    assert everything[-1] == done.number  # no longer open: after every open ticket
    assert QueueFilter.from_mapping({}).sort == "priority"
