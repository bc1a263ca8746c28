from reactivation.escalation import should_escalate


def test_three_failed_attempts_escalate():
    assert should_escalate(["no_answer", "refused", "unreachable"])


def test_two_failed_attempts_do_not():
    assert not should_escalate(["no_answer", "no_answer"])


def test_reaching_her_starts_the_count_again():
    assert not should_escalate(["no_answer", "no_answer", "reached", "no_answer", "refused"])
    assert should_escalate(["reached", "no_answer", "no_answer", "no_answer"])


def test_messages_sent_are_neither_attempts_nor_successes():
    assert should_escalate(["no_answer", "message_sent", "no_answer", "message_sent", "refused"])
    assert not should_escalate(["message_sent"] * 5)
