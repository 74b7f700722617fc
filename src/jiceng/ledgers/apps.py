"""Office ledgers (see docs/architecture.md, "Office ledgers")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "jiceng.ledgers"
    label = "ledgers"
    verbose_name = _("Office ledgers")

    def ready(self):
        from jiceng.core import capabilities, ledgers, maps, registry, workflow
        from jiceng.core.capabilities import VIEW, Role

        from . import listings, workflows
        from .capabilities import CLOSE, KEEP, REMIND
        from .models import Filing, HousingApproval, Petition

        capabilities.register(self.label, {
            Role.OFFICE_STAFF: {KEEP, REMIND},
            Role.OFFICE_HEAD: {KEEP, CLOSE, REMIND},
            Role.COUNTY_REVIEWER: {REMIND},
        })
        for flow in workflows.ALL:
            workflow.register(flow)
        ledgers.register(self.label, Petition, label=_("Petitions"), open_states=Petition.open_states,
                         view_capability=VIEW, remind_capability=REMIND)
        ledgers.register(self.label, Filing, label=_("Filings"), open_states=Filing.open_states,
                         view_capability=VIEW, remind_capability=REMIND)
        ledgers.register(self.label, HousingApproval, label=_("House-building applications"),
                         open_states=HousingApproval.open_states, view_capability=VIEW, remind_capability=REMIND)
        listings.build_listings()
        listings.register_imports()
        maps.register_layer(self.label, "hazards", _("Geohazard points"), "jiceng.ledgers.selectors.hazard_features",
                            color="#fd7e14")
        registry.nav(self.label, _("Ledgers"), "ledgers:index", capability=VIEW, order=62)
        registry.inbox_source(self.label, "jiceng.ledgers.inbox.items_for")
        from . import demo  # noqa: F401  (registers the demo contribution)
