"""Posts and window staff (see docs/architecture.md, "Staffing and ratings (issue 13)")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "jiceng.staffing"
    label = "staffing"
    verbose_name = _("Posts and window staff")

    def ready(self):
        from jiceng.core import capabilities, demo, registry, workflow
        from jiceng.core.capabilities import Role

        from . import demo as staffing_demo
        from . import services, workflows  # noqa: F401  (services holds the leave's effect hooks)
        from .capabilities import ATTEND, MANAGE

        capabilities.register(self.label, {
            Role.CENTRE_HEAD: {MANAGE},
            Role.OFFICE_HEAD: {MANAGE},
            Role.WINDOW_STAFF: {ATTEND},
            Role.VILLAGE_AGENT: {ATTEND},
            Role.CHIEF_REPRESENTATIVE: {ATTEND},
            Role.BACK_OFFICE_REVIEWER: {ATTEND},
        })
        workflow.register(workflows.LEAVE)
        workflow.register(workflows.BREACH)
        registry.inbox_source(self.label, "jiceng.staffing.inbox.items_for")
        registry.daily(self.label, "06:30", "jiceng.staffing.tasks.start_absences")
        registry.nav(self.label, _("Window posts"), "staffing:post_list", capability=MANAGE, order=40)
        registry.nav(self.label, _("Sign in"), "staffing:sign_in", capability=ATTEND, order=41)
        from jiceng.window import routing

        routing.register_resolver("jiceng.staffing.routing.ab_post_handler")
        demo.register("staffing", build=staffing_demo.build, loaded=staffing_demo.loaded,
                      after=["window"],
                      built_message="演示窗口岗位与考勤已载入 / demo window posts and attendance loaded")
