from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jiceng.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from jiceng.core import registry

        # Every account may hold API tokens; they act with the account's own roles.
        registry.nav(self.label, _("API tokens"), "tokens:list", order=90)
