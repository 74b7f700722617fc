"""Roles and what they may do.

Business roles see and change unit data in the subtree of the unit where they
are members. The three separated administrators of 等保三级 (三员分立) hold no
business rights at all: the system administrator manages accounts and
settings, the security administrator assigns roles and security settings, the
audit administrator reads the audit trail and changes nothing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City bureau administrator")
    COUNTY_REVIEWER = "county_reviewer", _("County bureau reviewer")
    OFFICE_HEAD = "office_head", _("Office head")
    OFFICE_STAFF = "office_staff", _("Office staff")
    WINDOW_STAFF = "window_staff", _("Window staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# Business data actions (core.scoping)
VIEW = "view"
EDIT = "edit"
# Structure of the unit tree (create, rename, move units)
STRUCTURE = "structure"
# System capabilities, not tied to unit data
MANAGE_ACCOUNTS = "accounts.manage"
ASSIGN_ROLES = "roles.assign"
READ_AUDIT = "audit.read"
# Seeing one person's ID number or phone in full, with a reason, audited (core.pii).
# Held by the roles that already answer for a subtree's staff records (city
# administrator, county reviewer, office head); clerks, window staff and grid
# workers see masked values only, and the separated administrators hold no
# business data rights at all, so none of them can unmask.
UNMASK = "pii.unmask"
# Assessment campaigns (jiceng.assessments). Each is a scoped action like VIEW:
# it applies to the subtree of the unit where the role is held. Office staff
# fill in their office's self-evaluation (SELF_ASSESS); county reviewers review
# the offices they are the reviewing unit of, and audit another county's offices
# in cross-check mode (REVIEW); the city administrator audits (AUDIT) and
# creates campaigns, registers vetoes and bonuses and publishes (PUBLISH).
SELF_ASSESS = "assessment.self"
REVIEW = "assessment.review"
AUDIT_ASSESSMENTS = "assessment.audit"
PUBLISH = "assessment.publish"

BUSINESS_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.COUNTY_REVIEWER,
        Role.OFFICE_HEAD,
        Role.OFFICE_STAFF,
        Role.WINDOW_STAFF,
        Role.GRID_WORKER,
    }
)
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

GRANTS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset({VIEW, EDIT, STRUCTURE, UNMASK, AUDIT_ASSESSMENTS, PUBLISH}),
    Role.COUNTY_REVIEWER: frozenset({VIEW, EDIT, UNMASK, REVIEW}),
    Role.OFFICE_HEAD: frozenset({VIEW, EDIT, UNMASK, SELF_ASSESS}),
    Role.OFFICE_STAFF: frozenset({VIEW, SELF_ASSESS}),
    Role.WINDOW_STAFF: frozenset({VIEW}),
    Role.GRID_WORKER: frozenset({VIEW}),
    Role.SYSTEM_ADMIN: frozenset({MANAGE_ACCOUNTS}),
    Role.SECURITY_ADMIN: frozenset({ASSIGN_ROLES}),
    Role.AUDIT_ADMIN: frozenset({READ_AUDIT}),
}


def grants(role: str, action: str) -> bool:
    return action in GRANTS.get(role, frozenset())


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
