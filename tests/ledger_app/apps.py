"""A test-only ledger app (installed by tests/conftest.py): a real table on LedgerRow, registered as a ledger."""

from django.apps import AppConfig


class LedgerAppConfig(AppConfig):
    name = "ledger_app"
    label = "ledger_app"
    verbose_name = "Test ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiceng.core import capabilities, ledgers
        from jiceng.core.capabilities import VIEW, Role

        from .models import Case, Patrol

        capabilities.register(self.label, {Role.OFFICE_HEAD: {REMIND}, Role.COUNTY_REVIEWER: {REMIND}})
        ledgers.register(self.label, Case, label="测试受理台账", open_states=("open", "paused"),
                         view_capability=VIEW, remind_capability=REMIND)
        ledgers.register(self.label, Patrol, label="测试巡查台账", open_states=("open",),
                         view_capability=VIEW, remind_capability=REMIND)


REMIND = "ledger_app.remind"
