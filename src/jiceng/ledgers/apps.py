from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "jiceng.ledgers"
    label = "ledgers"
    verbose_name = _("Office ledgers")

    def ready(self):
        pass
