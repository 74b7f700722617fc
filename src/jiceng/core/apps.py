from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "Jiceng core"

    def ready(self):
        from . import registry, signals  # noqa: F401  (signals: log-in, log-out and lock-out are audited)
        from .capabilities import READ_AUDIT, VIEW

        registry.nav(self.label, _("Home"), "home", order=0)
        registry.nav(self.label, _("Audit trail"), "core:audit_list", capability=READ_AUDIT, order=70)
        # Large exports of the lists are written in the background (core.export_jobs).
        registry.nav(self.label, _("My exports"), "exports:list", capability=(VIEW, READ_AUDIT), order=80)
        # Core's daily tasks (core.daily) go here, e.g. the audit chain checkpoint:
        # registry.daily(self.label, "00:05", "jiceng.core.tasks.audit_checkpoint")
