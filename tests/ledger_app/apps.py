"""A test-only ledger app (installed by tests/conftest.py): a real table on LedgerRow, registered as a ledger."""

from django.apps import AppConfig


class LedgerAppConfig(AppConfig):
    name = "ledger_app"
    label = "ledger_app"
    verbose_name = "Test ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiceng.core import ledgers
        from jiceng.core.capabilities import VIEW

        from .models import Case, Patrol

        ledgers.register(self.label, Case, label="测试受理台账", open_states=("open", "paused"),
                         view_capability=VIEW, remind_capability=REMIND)
        ledgers.register(self.label, Patrol, label="测试巡查台账", open_states=("open",),
                         view_capability=VIEW, remind_capability=REMIND)


# Reminded: the holders of EDIT (office heads, county reviewers, the city), not office staff. A core capability,
# so that the test app adds nothing to the role matrix (docs/roles.md and its tests stay the real project's).
REMIND = "edit"
