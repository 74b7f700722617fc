"""Enforcement (see docs/architecture.md, "Enforcement (issue 14)")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "jiceng.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement")

    def ready(self):
        from jiceng.core import capabilities, ledgers, registry, workflow
        from jiceng.core.capabilities import VIEW, Role

        from . import capabilities as c
        from . import workflows
        from .models import Case, Clue

        officer = {c.CLUE_REGISTER, c.CLUE_HANDLE, c.CASE_WORK, c.SPOT_JUDGE, c.REPORT_SUBMIT, c.REMIND}
        capabilities.register(self.label, {
            Role.ENFORCEMENT_OFFICER: officer,
            Role.OFFICE_HEAD: officer | {c.CASE_APPROVE, c.OFFICER_MANAGE, c.SPOT_IMPORT},
            Role.OFFICE_STAFF: {c.CLUE_REGISTER},
            Role.GRID_WORKER: {c.CLUE_REGISTER},
            Role.VILLAGE_AGENT: {c.CLUE_REGISTER},
            Role.COUNTY_REVIEWER: {c.CLUE_REGISTER, c.CLUE_HANDLE, c.CASE_APPROVE, c.OFFICER_MANAGE, c.SPOT_IMPORT,
                                   c.SPOT_JUDGE, c.REPORT_REVIEW, c.REMIND},
            Role.CITY_ADMIN: {c.REPORT_REVIEW, c.SPOT_IMPORT},
        })
        ledgers.register(self.label, Clue, label=_("Clues"), open_states=Clue.open_states,
                         view_capability=VIEW, remind_capability=c.REMIND)
        ledgers.register(self.label, Case, label=_("Violation cases"), open_states=Case.open_states,
                         view_capability=VIEW, remind_capability=c.REMIND)
        workflow.register(workflows.CASE)
        registry.inbox_source(self.label, "jiceng.enforcement.inbox.items_for")
        registry.reminder_actions(self.label, c.REPORT_SUBMIT)
        registry.daily(self.label, "07:30", "jiceng.enforcement.tasks.monthly_report_reminders")
        registry.nav(self.label, _("Enforcement"), "enforcement:clue_list", capability=(c.CLUE_REGISTER, c.CASE_WORK),
                     order=35)
        from . import demo  # noqa: F401  (registers the demo builder)
