"""The accounts app's capabilities (registered from AccountsConfig.ready())."""

from jiceng.core.capabilities import Role

MANAGE_ACCOUNTS = "accounts.manage"  # the system administrator: accounts and settings
ASSIGN_ROLES = "roles.assign"  # the security administrator: role assignments

HELD_BY = {Role.SYSTEM_ADMIN: {MANAGE_ACCOUNTS}, Role.SECURITY_ADMIN: {ASSIGN_ROLES}}
