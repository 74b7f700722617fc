from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "jiceng.staffing"
    label = "staffing"
    verbose_name = _("Posts and window staff")

    def ready(self):
        pass
