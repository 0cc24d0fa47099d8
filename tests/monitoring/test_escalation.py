from monitoring.escalation import FAILURES_BEFORE_TICKET, REMEMBERED_FAILURES, Failures


def test_the_second_failure_in_a_row_opens_a_ticket():
    assert FAILURES_BEFORE_TICKET == 2
    assert [Failures(n).opens_ticket for n in (1, 2, 3)] == [False, True, True]


def test_failures_remember_the_questions_that_become_the_tickets_text():
    first = Failures.of(None, None).after("otp gak masuk")
    assert (first.count, first.messages, first.opens_ticket) == (1, ("otp gak masuk",), False)
    # "None of these" repeats the question it refuses: counted, not remembered twice.
    second = first.after("otp gak masuk")
    assert second.count == 2 and second.opens_ticket and second.ticket_text == "otp gak masuk"
    assert Failures.of(1, ["a"]).after("").messages == ("a",)  # a button without a question


def test_only_the_last_failed_questions_are_kept():
    failures = Failures()
    for n in range(REMEMBERED_FAILURES + 2):
        failures = failures.after(f"pertanyaan {n}")
    assert failures.count == REMEMBERED_FAILURES + 2
    assert failures.messages == tuple(f"pertanyaan {n}" for n in range(2, REMEMBERED_FAILURES + 2))
    assert failures.ticket_text.splitlines()[0] == "pertanyaan 2"
