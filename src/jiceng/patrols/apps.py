"""Patrols (see docs/architecture.md, "Patrols and the map")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "jiceng.patrols"
    label = "patrols"
    verbose_name = _("Patrols")

    def ready(self):
        from jiceng.core import capabilities, maps, registry
        from jiceng.core.capabilities import VIEW, Role

        from .capabilities import PLAN, RECORD

        capabilities.register(self.label, {
            Role.OFFICE_STAFF: {RECORD},
            Role.ENFORCEMENT_OFFICER: {RECORD},
            Role.OFFICE_HEAD: {RECORD, PLAN},
            Role.COUNTY_REVIEWER: {PLAN},
        })
        maps.register_layer(self.label, "tracks", _("Patrol tracks"), "jiceng.patrols.maps.track_features",
                            color="#0d6efd")
        maps.register_layer(self.label, "findings", _("Patrol findings"), "jiceng.patrols.maps.finding_features",
                            color="#dc3545")
        maps.register_boundaries("jiceng.patrols.maps.boundary_features")
        registry.nav(self.label, _("Patrols"), "patrols:list", capability=VIEW, order=60)
        registry.nav(self.label, _("Map"), "patrols:map_home", capability=VIEW, order=61)
        from . import demo  # noqa: F401  (registers the demo contribution)
