"""Roles and the capabilities they hold, assembled from what each app declares.

Roles are fixed (the three separated administrators of 等保三级 三员分立 and the
business roles). Capabilities belong to apps: each app names its capabilities
as constants in its own `capabilities.py` and registers, from its
`AppConfig.ready()`, which roles hold them (`register`). The grant table that
`grants()` reads is the union of those declarations, so a new app adds its
capabilities without editing a central list.

Business roles see and change unit data in the subtree of the unit where they
are members (core.scoping); the separated administrators hold no business
rights at all: the system administrator manages accounts and settings, the
security administrator assigns roles, the audit administrator reads the audit
trail and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City bureau administrator")
    COUNTY_REVIEWER = "county_reviewer", _("County bureau reviewer")
    OFFICE_HEAD = "office_head", _("Office head")
    OFFICE_STAFF = "office_staff", _("Office staff")
    WINDOW_STAFF = "window_staff", _("Window staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    # The daily-work ledgers (issues 13-15): window back office, decisions, centre management,
    # village agents, enforcement officers, community directors and the township grid centre.
    BACK_OFFICE_REVIEWER = "back_office_reviewer", _("Back-office reviewer")
    CHIEF_REPRESENTATIVE = "chief_representative", _("Chief representative")
    CENTRE_HEAD = "centre_head", _("Service centre head")
    VILLAGE_AGENT = "village_agent", _("Village agent")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Enforcement officer")
    COMMUNITY_DIRECTOR = "community_director", _("Community director")
    GRID_ADMIN = "grid_admin", _("Township grid administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


BUSINESS_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.COUNTY_REVIEWER,
        Role.OFFICE_HEAD,
        Role.OFFICE_STAFF,
        Role.WINDOW_STAFF,
        Role.GRID_WORKER,
        Role.BACK_OFFICE_REVIEWER,
        Role.CHIEF_REPRESENTATIVE,
        Role.CENTRE_HEAD,
        Role.VILLAGE_AGENT,
        Role.ENFORCEMENT_OFFICER,
        Role.COMMUNITY_DIRECTOR,
        Role.GRID_ADMIN,
    }
)
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Core's own capabilities. Business data actions (core.scoping):
VIEW = "view"
EDIT = "edit"
# Reading the audit trail (core.audit), the audit administrator's only right.
READ_AUDIT = "audit.read"

# capability -> the app that declared it; role -> the capabilities it holds.
_DECLARED: dict[str, str] = {}
_HELD: dict[str, set[str]] = {role: set() for role in Role}


def register(app: str, held_by: Mapping[str, Iterable[str]]) -> None:
    """Declare `app`'s capabilities and the roles that hold them (called from AppConfig.ready()).

    A capability belongs to the first app that declares it; another app naming it is refused,
    so two apps can never mean different things by one string. Registering again is harmless.
    """
    for role, capabilities in held_by.items():
        if role not in _HELD:
            raise ValueError(f"{app}: unknown role {role!r}")
        for capability in capabilities:
            owner = _DECLARED.setdefault(capability, app)
            if owner != app:
                raise ValueError(f"{app}: capability {capability!r} is already declared by {owner}")
            if role in SEPARATED_ADMIN_ROLES and capability in (VIEW, EDIT):
                raise ValueError(f"{app}: a separated administrator ({role}) may not hold business data rights")
            _HELD[role].add(capability)


def grants(role: str, action: str) -> bool:
    return action in _HELD.get(role, ())


def held_by(role: str) -> frozenset[str]:
    return frozenset(_HELD.get(role, ()))


def matrix() -> list[tuple[str, str, list[str]]]:
    """(app, capability, roles holding it) for every declared capability, for the docs and the admin page."""
    return [
        (app, capability, [role.value for role in Role if capability in _HELD[role]])
        for capability, app in sorted(_DECLARED.items(), key=lambda item: (item[1], item[0]))
    ]


def conflicts(existing: set[str], new: str) -> str | None:
    """The role that makes `new` inadmissible beside `existing`, if any (三员分立)."""
    if new in SEPARATED_ADMIN_ROLES:
        for role in existing:
            if role != new:
                return role
    else:
        for role in existing:
            if role in SEPARATED_ADMIN_ROLES:
                return role
    return None


register(
    "core",
    {
        Role.CITY_ADMIN: {VIEW, EDIT},
        Role.COUNTY_REVIEWER: {VIEW, EDIT},
        Role.OFFICE_HEAD: {VIEW, EDIT},
        Role.OFFICE_STAFF: {VIEW},
        Role.WINDOW_STAFF: {VIEW},
        Role.GRID_WORKER: {VIEW},
        Role.BACK_OFFICE_REVIEWER: {VIEW},
        Role.CHIEF_REPRESENTATIVE: {VIEW},
        Role.CENTRE_HEAD: {VIEW},
        Role.VILLAGE_AGENT: {VIEW},
        Role.ENFORCEMENT_OFFICER: {VIEW},
        Role.COMMUNITY_DIRECTOR: {VIEW},
        Role.GRID_ADMIN: {VIEW},
        Role.AUDIT_ADMIN: {READ_AUDIT},
    },
)
