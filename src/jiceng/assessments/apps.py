from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "jiceng.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from jiceng.core import capabilities

        from .capabilities import HELD_BY

        capabilities.register(self.label, HELD_BY)
