"""Service window (see docs/architecture.md, "Window (issue 13)")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    name = "jiceng.window"
    label = "window"
    verbose_name = _("Service window")

    def ready(self):
        from jiceng.core import capabilities, workflow
        from jiceng.core.capabilities import Role

        from .capabilities import (
            AUTHORISE,
            DECIDE,
            DELIVER,
            EXTEND,
            FIGURES,
            HAND_OVER,
            INTAKE,
            MANAGE_CATALOGUE,
            REMIND,
            REVIEW,
        )

        capabilities.register(self.label, {
            Role.WINDOW_STAFF: {INTAKE, HAND_OVER, DELIVER, REMIND},
            Role.VILLAGE_AGENT: {INTAKE},
            Role.BACK_OFFICE_REVIEWER: {REVIEW, REMIND},
            Role.CHIEF_REPRESENTATIVE: {DECIDE, EXTEND, REMIND},
            Role.CENTRE_HEAD: {MANAGE_CATALOGUE, HAND_OVER, AUTHORISE, FIGURES, REMIND},
            Role.OFFICE_HEAD: {MANAGE_CATALOGUE, FIGURES},
            Role.COUNTY_REVIEWER: {FIGURES},
            Role.CITY_ADMIN: {FIGURES},
        })
        from . import workflows

        workflow.register(workflows.CASE)
        from jiceng.core import demo, ledgers, registry
        from jiceng.core.capabilities import VIEW

        from . import demo as window_demo
        from .models import Case

        ledgers.register(self.label, Case, label=_("Window cases"), open_states=Case.open_states,
                         view_capability=VIEW, remind_capability=REMIND)
        registry.inbox_source(self.label, "jiceng.window.inbox.items_for")
        registry.nav(self.label, _("Window"), "window:case_list", capability=(INTAKE, REVIEW, DECIDE, FIGURES), order=35)
        demo.register("window", build=window_demo.build_demo, loaded=window_demo.demo_loaded,
                      after=["org", "accounts"], built_message="演示窗口办件已载入 / demo window cases loaded")
