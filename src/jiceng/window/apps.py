from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    name = "jiceng.window"
    label = "window"
    verbose_name = _("Service window")

    def ready(self):
        pass
