from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "jiceng.ratings"
    label = "ratings"
    verbose_name = _("Ratings and rectification")

    def ready(self):
        pass
