from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReactivationConfig(AppConfig):
    name = "reactivation"
    verbose_name = _("Reactivation")

    def ready(self) -> None:
        # The records layer announces saved visits; the workflow ends dormant spells (DESIGN §4.6).
        from customers.visit_hooks import on_visits_saved

        from .services.returns import visits_recorded

        on_visits_saved(visits_recorded)

        # A customer's PIPL requests cover what the workflow holds about her too.
        from customers.privacy import on_personal_data

        from .privacy import FOLLOW_UPS, MESSAGES

        on_personal_data(FOLLOW_UPS)
        on_personal_data(MESSAGES)

        # Scripts and offers in the store's audit trail (their texts also keep versions of their own).
        from auditlog.registry import auditlog

        from .models import Script, StoreOffer

        auditlog.register(Script, exclude_fields=["updated_at", "client_token"])
        auditlog.register(StoreOffer, exclude_fields=["client_token"])
