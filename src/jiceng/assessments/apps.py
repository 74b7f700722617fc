from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "jiceng.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from jiceng.core import capabilities, workflow

        from .capabilities import HELD_BY
        from .workflows import SUBMISSION

        capabilities.register(self.label, HELD_BY)
        workflow.register(SUBMISSION)
