"""Roles and what they may do: the names every app has imported from here so far.

The roles and the grant table now live in `jiceng.core.capabilities`, and each
app declares its own capabilities in its `capabilities.py`; this module
re-exports core's roles and accounts' capabilities under the old names.
"""

from jiceng.core.capabilities import (
    BUSINESS_ROLES,
    EDIT,
    READ_AUDIT,
    SEPARATED_ADMIN_ROLES,
    VIEW,
    Role,
    conflicts,
    grants,
)

from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS

__all__ = [
    "ASSIGN_ROLES", "BUSINESS_ROLES", "EDIT", "MANAGE_ACCOUNTS", "READ_AUDIT", "Role", "SEPARATED_ADMIN_ROLES",
    "VIEW", "conflicts", "grants",
]
