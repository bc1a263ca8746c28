from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReactivationConfig(AppConfig):
    name = "reactivation"
    verbose_name = _("Reactivation")
