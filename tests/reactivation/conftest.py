import pytest

from reactivation import messaging


@pytest.fixture
def sms_outbox(transactional_db):
    """The messages the locmem backend 'sent' during the test.

    Messages go to the gateway after the commit, so these tests commit for real (`transactional_db`).
    """
    messaging.outbox.clear()
    yield messaging.outbox
    messaging.outbox.clear()
