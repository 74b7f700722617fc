from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "jiceng.grid"
    label = "grid"
    verbose_name = _("Grid work")

    def ready(self):
        pass
