from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "Jiceng core"

    def ready(self):
        from . import (
            export_jobs,
            signals,  # noqa: F401  (log-in, log-out and lock-out are audited)
            tasks,
        )
        from .tabular import exporting

        # Lower modules get what only higher ones can give, so no two modules import each other.
        exporting.set_background_start(export_jobs.export_job_start)
        export_jobs.set_run_task(tasks.export_run)
