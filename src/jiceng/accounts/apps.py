from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jiceng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from jiceng.core import capabilities

        from .capabilities import HELD_BY

        capabilities.register(self.label, HELD_BY)
        from jiceng.core import demo

        from . import demo as accounts_demo

        demo.register("accounts", build=accounts_demo.build_accounts, loaded=accounts_demo.accounts_loaded,
                      after=["org"], summary=accounts_demo.summary)
        from jiceng.core import registry

        from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS

        registry.nav(self.label, _("Accounts"), "accounts:user_list", capability=MANAGE_ACCOUNTS, order=50)
        registry.nav(self.label, _("Roles"), "accounts:membership_list", capability=ASSIGN_ROLES, order=60)
        registry.nav(self.label, _("Role matrix"), "accounts:role_matrix", capability=ASSIGN_ROLES, order=65)
