from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "Jiceng core"

    def ready(self):
        from . import (
            export_jobs,
            registry,
            signals,  # noqa: F401  (log-in, log-out and lock-out are audited)
            tasks,
            views_ledger,  # noqa: F401  (registers the overdue list and its export)
        )
        from .capabilities import READ_AUDIT, VIEW
        from .tabular import exporting

        # Lower modules get what only higher ones can give, so no two modules import each other.
        exporting.set_background_start(export_jobs.export_job_start)
        export_jobs.set_run_task(tasks.export_run)

        registry.nav(self.label, _("Home"), "home", order=0)
        registry.nav(self.label, _("Overdue ledger rows"), "core:ledger_overdue", capability=VIEW, order=45)
        registry.nav(self.label, _("Audit trail"), "core:audit_list", capability=READ_AUDIT, order=70)
        # Large exports of the lists are written in the background (core.export_jobs).
        registry.nav(self.label, _("My exports"), "exports:list", capability=(VIEW, READ_AUDIT), order=80)
        # The audit chain's signed checkpoint of every chain head (core.audit_chain), appended once a day.
        registry.daily(self.label, "00:05", "jiceng.core.tasks.audit_checkpoint")
