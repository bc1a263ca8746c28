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
