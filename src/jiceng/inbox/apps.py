from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "jiceng.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self):
        from jiceng.core import registry
        from jiceng.core.capabilities import VIEW

        from .selectors import nav_label

        # A reminder addressed to VIEW reaches everyone who sees the unit.
        registry.reminder_actions(self.label, VIEW)
        # Every registered ledger's due-soon and overdue rows become reminders each morning (inbox.tasks).
        registry.daily(self.label, "07:00", "jiceng.inbox.tasks.ledger_reminders")
        registry.nav(self.label, nav_label, "inbox:inbox", capability=VIEW, order=40)
