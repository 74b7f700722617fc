from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "jiceng.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from jiceng.core import capabilities

        from .capabilities import HELD_BY

        capabilities.register(self.label, HELD_BY)
        from jiceng.core import registry
        from jiceng.core.capabilities import VIEW

        registry.nav(self.label, _("Units"), "org:unit_tree", capability=VIEW, order=10)
        registry.nav(self.label, _("Staff"), "org:staff_list", capability=VIEW, order=20)
        registry.api_router(self.label, "jiceng.org.api.router")
        from jiceng.core import imports

        from .importers import StaffImport, UnitImport

        imports.register(imports.ImportSpec(kind="staff", title=_("Import staff"), importer=StaffImport, template_name="人员导入模板"))
        imports.register(imports.ImportSpec(kind="units", title=_("Import units"), importer=UnitImport, template_name="单位导入模板"))
        from jiceng.core import demo

        from . import demo as region

        demo.register("org", build=region.build_region, loaded=region.region_loaded,
                      built_message="演示数据已载入 / demo region loaded",
                      present_message="演示数据已存在 / demo region already loaded (use --reset to rebuild)")
