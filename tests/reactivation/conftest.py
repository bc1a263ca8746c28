import pytest

from reactivation import messaging


@pytest.fixture
def sms_outbox():
    """The messages the locmem backend 'sent' during the test."""
    messaging.outbox.clear()
    yield messaging.outbox
    messaging.outbox.clear()
