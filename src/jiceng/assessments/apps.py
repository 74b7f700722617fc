from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "jiceng.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from jiceng.core import capabilities, workflow

        from . import services  # noqa: F401  (the workflow hooks that need service helpers)
        from .capabilities import HELD_BY
        from .workflows import SUBMISSION

        capabilities.register(self.label, HELD_BY)
        from jiceng.core import demo

        from . import demo as campaign_demo

        demo.register("assessments", build=campaign_demo.build_campaign, loaded=campaign_demo.demo_campaign_loaded,
                      after=["org", "accounts"], reset=campaign_demo.reset_campaigns,
                      built_message="演示考核已载入 / demo assessment campaign loaded")
        from jiceng.core import registry
        from jiceng.core.capabilities import VIEW

        from . import capabilities as own

        # Every business role takes part in assessments at some level.
        registry.nav(self.label, _("Assessments"), "assessments:campaign_list", capability=VIEW, order=30)
        registry.api_router(self.label, "jiceng.assessments.api.router")
        registry.inbox_source(self.label, "jiceng.assessments.outputs.inbox.items_for")
        registry.reminder_actions(self.label, own.SELF_ASSESS, own.REVIEW, own.AUDIT_ASSESSMENTS, own.PUBLISH)
        registry.daily(self.label, "07:00", "jiceng.assessments.tasks.remind_daily")  # before the offices open
        workflow.register(SUBMISSION)
