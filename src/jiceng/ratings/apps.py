"""Ratings and rectification (see docs/architecture.md, "Staffing and ratings (issue 13)")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "jiceng.ratings"
    label = "ratings"
    verbose_name = _("Ratings and rectification")

    def ready(self):
        from jiceng.core import capabilities, demo, ledgers, registry, workflow
        from jiceng.core.capabilities import VIEW, Role

        from . import demo as ratings_demo
        from . import workflows
        from .capabilities import FIGURES, INVITE, RECTIFY, REMIND, REVIEW
        from .models import Rectification

        capabilities.register(self.label, {
            Role.WINDOW_STAFF: {INVITE, RECTIFY},
            Role.VILLAGE_AGENT: {INVITE, RECTIFY},
            Role.CHIEF_REPRESENTATIVE: {INVITE, RECTIFY},
            Role.BACK_OFFICE_REVIEWER: {RECTIFY},
            Role.CENTRE_HEAD: {INVITE, RECTIFY, REVIEW, FIGURES, REMIND},
            Role.OFFICE_HEAD: {INVITE, RECTIFY, REVIEW, FIGURES, REMIND},
            Role.COUNTY_REVIEWER: {FIGURES},
            Role.CITY_ADMIN: {FIGURES},
        })
        workflow.register(workflows.RECTIFICATION)
        ledgers.register(self.label, Rectification, label=_("Rectifications of poor ratings"),
                         open_states=Rectification.open_states, view_capability=VIEW, remind_capability=REMIND)
        registry.inbox_source(self.label, "jiceng.ratings.inbox.items_for")
        registry.nav(self.label, _("Poor ratings"), "ratings:rectification_list", capability=RECTIFY, order=42)
        registry.nav(self.label, _("Rating figures"), "ratings:figures", capability=FIGURES, order=43)
        demo.register("ratings", build=ratings_demo.build, loaded=ratings_demo.loaded, after=["staffing"],
                      built_message="演示好差评与整改已载入 / demo ratings and rectifications loaded")
