"""Why customers stop coming (DESIGN §4.5), and the tactic that answers each reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Reason(models.TextChoices):
    UNUSED_BALANCE = "unused_balance", _("Has card balance left, just not coming")
    INCONVENIENT = "inconvenient", _("Moved, new job, too far, parking")
    SERVICE = "service", _("Unhappy with the service or the beautician")
    RESULTS = "results", _("Unhappy with the results")
    OVERSOLD = "oversold", _("Put off by pushy selling")
    PRICE = "price", _("Finds it too expensive")
    STAFF_LEFT = "staff_left", _("Her beautician left")
    BUSY = "busy", _("Too busy")
    COMPETITOR = "competitor", _("Went to another salon")
    NO_CONTACT = "no_contact", _("We never kept in touch")
    OTHER = "other", _("Other")


TACTICS: dict[str, StrOrPromise] = {  # by reason code
    Reason.UNUSED_BALANCE: _(
        "Remind her what is left on her card and what it does for her; offer to swap it into this season's "
        "new treatment at no cost; give her first access to this month's featured treatment."
    ),
    Reason.INCONVENIENT: _(
        "Offer to pay the taxi both ways; offer home service in the salon's quiet hours; offer to transfer the "
        "card to a relative; if she has moved far away, keep in touch from the front desk."
    ),
    Reason.SERVICE: _(
        "Apologise sincerely, invite her back for a free make-up treatment, fix what went wrong, change her "
        "beautician or room."
    ),
    Reason.RESULTS: _(
        "Review her plan with a senior beautician, explain how the course works and how long it takes, "
        "propose a new plan."
    ),
    Reason.OVERSOLD: _("Apologise, promise no selling at all on her next visit, and keep the promise."),
    Reason.PRICE: _("Show what she gets for the money; offer a lighter package."),
    Reason.STAFF_LEFT: _("Introduce a new dedicated beautician and hand over her notes."),
    Reason.BUSY: _("Extend the card's validity; book her next visits ahead at times that suit her."),
    Reason.COMPETITOR: _("Find out what the other salon offered; make a special return offer."),
    Reason.NO_CONTACT: _("Start regular care: a message every week, a call every month, greetings on festivals."),
    Reason.OTHER: _("Write down what she said; the manager reviews these at the staff meeting."),
}
