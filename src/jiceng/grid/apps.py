"""Grid work (see docs/architecture.md, "Grid work (issue 15)")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "jiceng.grid"
    label = "grid"
    verbose_name = _("Grid work")

    def ready(self):
        from jiceng.core import capabilities, imports, ledgers, registry, workflow
        from jiceng.core.capabilities import VIEW

        from . import workflows
        from .capabilities import HELD_BY, MANAGE, RECORD, SIGN_OFF
        from .importers import ResidentImport, ResidentImportSpec
        from .models import Matter

        capabilities.register(self.label, HELD_BY)
        workflow.register(workflows.DISMISSAL)
        ledgers.register(self.label, Matter, label=_("Matters escalated from the grids"),
                         open_states=Matter.open_states, view_capability=VIEW, remind_capability=MANAGE)
        imports.register(ResidentImportSpec(kind="grid_residents", title=_("Import residents"),
                                            importer=ResidentImport, template_name="网格居民导入模板",
                                            capability=MANAGE))
        registry.inbox_source(self.label, "jiceng.grid.inbox.items_for")
        registry.daily(self.label, "06:30", "jiceng.grid.tasks.dismissal_check")
        registry.nav(self.label, _("My grid"), "grid:home", capability=(RECORD, SIGN_OFF, MANAGE), order=35)
        from . import demo, exports  # noqa: F401  (register the demo part and the export)
