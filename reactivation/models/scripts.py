from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.buckets import Bucket

from ..reasons import Reason


class Script(models.Model):
    """A unified script (统一话术): what every staff member says in one situation.

    Rows with no store are the default library, shipped and updated by migrations.
    A store overrides a default by adding its own row with the same `key` and
    language; other stores keep the default.
    """

    class Situation(models.TextChoices):
        OPENING = "opening", _("Opening call for a bucket")
        REASON = "reason", _("Answering a dormancy reason")
        OBJECTION = "objection", _("Answering an objection")
        APOLOGY = "apology", _("Apology")
        NO_ANSWER_SMS = "no_answer_sms", _("SMS after an unanswered call")
        CONFIRMATION_SMS = "confirmation_sms", _("Appointment confirmation SMS")
        REMINDER_SMS = "reminder_sms", _("Appointment reminder SMS")
        POST_VISIT = "post_visit", _("After a visit")
        BIRTHDAY = "birthday", _("Birthday greeting")
        FESTIVAL = "festival", _("Festival greeting")

    class Channel(models.TextChoices):
        CALL = "call", _("Call")
        SMS = "sms", _("SMS / WeChat message")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Chinese")
        EN = "en", _("English")

    # Messages about a visit she booked or had are service, not marketing: the frequency cap leaves them alone.
    SERVICE_SITUATIONS = frozenset(
        {Situation.CONFIRMATION_SMS, Situation.REMINDER_SMS, Situation.POST_VISIT, Situation.APOLOGY}
    )

    store = models.ForeignKey(
        "customers.Store",
        verbose_name=_("store"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scripts",
    )
    key = models.SlugField(_("key"), max_length=60, help_text=_("Identifies the script across stores and languages."))
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.CALL)
    bucket = models.CharField(_("bucket"), max_length=10, choices=Bucket.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    title = models.CharField(_("title"), max_length=100)
    when_to_use = models.CharField(_("when to use"), max_length=300)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("in use"), default=True)
    updated_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    # Rendered into the new-script form: a double tap on "save" creates one script, not two.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("script")
        verbose_name_plural = _("scripts")
        ordering = ["situation", "bucket", "reason", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language"], condition=Q(store__isnull=True), name="script_default_key_unique"
            ),
            models.UniqueConstraint(
                fields=["store", "key", "language"], condition=Q(store__isnull=False), name="script_store_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_default(self) -> bool:
        return self.store_id is None

    @property
    def is_sms(self) -> bool:
        return self.channel == self.Channel.SMS

    @property
    def is_marketing(self) -> bool:
        return self.situation not in self.SERVICE_SITUATIONS


class ScriptVersion(models.Model):
    """A script as it was before an edit, with who wrote that text and when; any version can be restored.

    `edited_by` empty means the text came from the default library.
    """

    script = models.ForeignKey(Script, verbose_name=_("script"), on_delete=models.CASCADE, related_name="versions")
    situation = models.CharField(_("situation"), max_length=20, choices=Script.Situation.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Script.Channel.choices, default="call")
    bucket = models.CharField(_("bucket"), max_length=10, choices=Bucket.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    title = models.CharField(_("title"), max_length=100)
    when_to_use = models.CharField(_("when to use"), max_length=300)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("in use"), default=True)
    edited_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("edited at"), default=timezone.now)

    class Meta:
        verbose_name = _("script version")
        verbose_name_plural = _("script versions")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} @ {self.edited_at:%Y-%m-%d %H:%M}"


class StoreOffer(models.Model):
    """What a store currently offers returning customers: the month's featured treatment (本月主打) or a package."""

    class Kind(models.TextChoices):
        FEATURED = "featured", _("Featured treatment of the month")
        PACKAGE = "package", _("Reactivation package")

    store = models.ForeignKey(
        "customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="offers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # Rendered into the new-offer form: a double tap on "save" creates one offer, not two.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("store offer")
        verbose_name_plural = _("store offers")
        ordering = ["store_id", "kind", "-valid_from"]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """A message to a customer: recorded first (queued), handed to the gateway after the commit, then marked
    sent or failed (`reactivation.services.messages`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Handed to the gateway, not yet confirmed")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Count against the frequency cap: a message on its way is as good as sent.
    UNDER_WAY = (Status.QUEUED, Status.SENDING, Status.SENT)

    store = models.ForeignKey("customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="messages"
    )
    sent_by = models.ForeignKey(
        "customers.Staff", verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    script = models.ForeignKey(
        Script, verbose_name=_("script"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"))
    # Masked (138****5678): the number the message went to, without keeping a second copy of it.
    phone_masked = models.CharField(_("sent to"), max_length=20, blank=True)
    is_marketing = models.BooleanField(_("marketing"), default=True)
    backend = models.CharField(_("sent through"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(_("gateway error"), max_length=500, blank=True)
    # When it was recorded (queued); set again when the gateway took it.
    sent_at = models.DateTimeField(_("sent at"))
    # Rendered into the send form: a double tap sends one message, not two.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["customer", "is_marketing", "sent_at"], name="message_customer_time")]

    def __str__(self) -> str:
        return f"{self.customer_id} @ {self.sent_at:%Y-%m-%d %H:%M}"
