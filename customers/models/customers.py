from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from ..buckets import Bucket
from ..fields import MobilePhoneField
from ..phones import mask_phone


class Channel(models.TextChoices):
    """How a salon reaches a customer."""

    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    HOME_VISIT = "home_visit", _("Home visit")
    LETTER = "letter", _("Letter")
    GIFT = "gift", _("Gift")


class Customer(models.Model):
    """A salon's customer (顾客) with her soft profile (软档案) and her place in the nightly routine."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    # No index of its own: the store leads the (store, phone) and (store, bucket, assignee) indexes.
    # No foreign-key constraint in the database, as for visits (see `Visit`): a chain's first customers file
    # brings a million rows, and PostgreSQL checks the constraint for each of them at commit (1 s for 100,000
    # rows, a quarter of their import). Dropping it for the load instead would lock the stores table, and with
    # it every page, until the import commits. Django still applies PROTECT, every door writes a store it has
    # just read, and the import locks its stores (FOR KEY SHARE, in one statement) until it commits.
    store = models.ForeignKey(
        "customers.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        related_name="customers",
        db_index=False,
        db_constraint=False,
    )
    name = models.CharField(_("name"), max_length=50)
    phone = MobilePhoneField(_("mobile phone"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), help_text=_("The day the customer's file was opened."))
    level = models.CharField(_("member level"), max_length=30, blank=True)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    # PIPL: marketing needs her consent, given on its own. Without it she still gets messages about her
    # bookings and visits (service), as long as she is not do-not-contact; do-not-contact stops everything.
    marketing_consent = models.BooleanField(
        _("agrees to marketing messages"),
        default=False,
        db_default=False,  # rows written by raw SQL (a benchmark's generator) get it too
        help_text=_("She agreed to receive offers and greetings. Appointment and service messages do not need it."),
    )
    is_archived = models.BooleanField(_("archived"), default=False, db_default=False)

    # The soft profile: what a good beautician knows about her customer. Like the other columns an import
    # does not fill, their defaults are the database's too (`db_default`): its COPY leaves them out.
    occupation = models.CharField(_("occupation"), max_length=100, blank=True, default="", db_default="")
    family = models.CharField(_("family"), max_length=200, blank=True, default="", db_default="")
    personality = models.CharField(_("personality"), max_length=200, blank=True, default="", db_default="")
    preferred_channel = models.CharField(
        _("preferred contact channel"), max_length=20, choices=Channel.choices, blank=True, default="", db_default=""
    )
    first_need = models.CharField(_("first need when joining"), max_length=200, blank=True, default="", db_default="")
    wechat_added = models.BooleanField(_("WeChat added"), default=False, db_default=False)
    notes = models.TextField(_("notes"), blank=True)

    # Kept by visits and by the nightly job (reactivation), never typed in by hand.
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    # Copied from her visits, which name their beautician without a database constraint (see `Visit`): a
    # constraint here would only check that copy again, row by row, when a visits import moves a hundred
    # thousand customers' last visits (as long as the update itself). Django still applies SET_NULL.
    last_beautician = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("last served by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # What she paid in the twelve months up to her last visit: how much the salon stands to win back. Kept with
    # her last visit, from her visits, by `customers_refresh_last_visits` (the call list sorts by it).
    spend_12m = models.DecimalField(
        _("spent in the twelve months up to her last visit"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),  # rows written by raw SQL (a benchmark's generator) get it too
        editable=False,
    )
    bucket = models.CharField(
        _("bucket"), max_length=10, choices=Bucket.choices, default=Bucket.ACTIVE, db_default=Bucket.ACTIVE
    )
    months_away = models.PositiveSmallIntegerField(_("months since last visit"), default=0, db_default=0)
    assignee = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_customers",
        db_index=False,
    )
    dormant_since = models.DateField(_("dormant since"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated to the manager on"), null=True, blank=True)
    # What her cards still hold, expired or not (the salon's liability, 未消耗卡金): the sum of her stored-value
    # cards' balances and of her session cards' sessions, moved by the card ledger in the same statement
    # as the card itself (`customers.services.cards`), so that the dashboards add up customers, not cards.
    prepaid_yuan = models.DecimalField(
        _("stored value held (yuan)"), max_digits=12, decimal_places=2, default=0, db_default=0, editable=False
    )
    prepaid_sessions = models.PositiveIntegerField(_("sessions held"), default=0, db_default=0, editable=False)
    # Her latest contact, copied from the workflow's follow-up log by the one service that writes it, so that a
    # call list or a dashboard reads it from her row instead of searching her contacts.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_contact_outcome = models.CharField(
        _("outcome of the last contact"),
        max_length=20,
        blank=True,
        default="",
        db_default="",  # raw-SQL writers get it too
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now())

    # Kept by visits and the nightly job: read-only in the admin, not in the change history.
    ROUTINE_FIELDS = (
        "last_visit_on",
        "last_beautician",
        "spend_12m",
        "bucket",
        "months_away",
        "assignee",
        "dormant_since",
        "escalated_on",
        "last_contact_at",
        "last_contact_outcome",
        "next_follow_up_on",
        "prepaid_yuan",
        "prepaid_sessions",
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["store_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "phone"], name="customer_phone_unique_per_store"),
        ]
        indexes = [
            # The dashboards count customers per bucket and assignee, with the overdue, the escalated, the long
            # gone and the prepaid money among them: the included columns let the database answer it all
            # from the index, without reading the table.
            models.Index(
                fields=["store", "bucket", "assignee"],
                include=["months_away", "escalated_on", "next_follow_up_on", "prepaid_yuan", "prepaid_sessions", "id"],
                name="customer_store_tally",
            ),
            # "My call list": one staff member's customers, longest away first. The included columns are what
            # the list filters and sorts on, so that a front desk's ten thousand customers are counted and
            # sorted from the index, without reading the table.
            models.Index(
                fields=["assignee", "last_visit_on", "id"],
                name="customer_call_list",
                condition=Q(assignee__isnull=False),
                include=[
                    "store",
                    "do_not_contact",
                    "is_archived",
                    "bucket",
                    "next_follow_up_on",
                    "last_contact_at",
                    "dormant_since",
                    "prepaid_yuan",
                    "spend_12m",
                ],
            ),
            # The manager's "escalated to me" tab: the few escalated customers of her store, not all of them.
            models.Index(
                fields=["store", "escalated_on"],
                name="customer_escalated",
                condition=Q(escalated_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_phone})"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def last_seen_on(self):
        """The date dormancy is counted from: the latest visit, or the joining date for a customer never seen."""
        return self.last_visit_on or self.joined_on
