"""Indicators (see docs/architecture.md, "Indicators (issue 16)")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "jiceng.metrics"
    label = "metrics"
    verbose_name = _("Indicators")

    def ready(self):
        from jiceng.core import registry
        from jiceng.core.scoping import VIEW

        from . import demo, standards

        # Reading figures is reading the unit's data: the core VIEW capability, no capability of its own.
        standards.declare()
        registry.api_router(self.label, "jiceng.metrics.api.router")
        demo.register()
        registry.inbox_source(self.label, "jiceng.metrics.inbox.items_for")
        registry.daily(self.label, "01:30", "jiceng.metrics.tasks.refresh")
        registry.nav(self.label, _("Indicators"), "metrics:dashboard", capability=VIEW,
                     order=60)
