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
        from jiceng.core import demo

        from . import demo as campaign_demo

        demo.register("assessments", build=campaign_demo.build_campaign, loaded=campaign_demo.demo_campaign_loaded,
                      after=["org", "accounts"], reset=campaign_demo.reset_campaigns,
                      built_message="演示考核已载入 / demo assessment campaign loaded")
