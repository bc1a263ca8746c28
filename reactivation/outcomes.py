"""How a contact ended (DESIGN §5.5), and which endings count as a failed or a successful attempt (§4.4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    BOOKED = "booked", _("Talked and booked a visit")
    REACHED = "reached", _("Talked, no booking yet")
    CALL_BACK = "call_back", _("Asked to be called later")
    NO_ANSWER = "no_answer", _("No answer")
    REFUSED = "refused", _("Refused")
    UNREACHABLE = "unreachable", _("Could not be reached (number off or wrong)")
    DO_NOT_CONTACT = "do_not_contact", _("Asked not to be contacted again")
    MESSAGE_SENT = "message_sent", _("Message sent")


# An attempt that ends like this counts towards escalation to the manager.
FAILED_OUTCOMES: frozenset[str] = frozenset({Outcome.NO_ANSWER, Outcome.REFUSED, Outcome.UNREACHABLE})
# She was reached: the count of failed attempts starts again.
REACHED_OUTCOMES: frozenset[str] = frozenset({Outcome.BOOKED, Outcome.REACHED, Outcome.CALL_BACK})
# A message sent is neither: it is not an attempt to talk to her.
