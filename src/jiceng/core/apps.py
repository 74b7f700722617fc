from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "Jiceng core"

    def ready(self):
        from . import signals  # noqa: F401  (log-in, log-out and lock-out are audited)
