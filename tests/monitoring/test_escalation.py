from monitoring.escalation import FAILURES_BEFORE_TICKET, opens_ticket


def test_the_second_failure_in_a_row_opens_a_ticket():
    assert FAILURES_BEFORE_TICKET == 2
    assert not opens_ticket(1) and opens_ticket(2) and opens_ticket(3)
