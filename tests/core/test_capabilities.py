"""Capabilities per app (issue 11, item 1): each app declares its own; the grant table is their union."""

from __future__ import annotations

import pytest

from jiceng.accounts.capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS
from jiceng.assessments.capabilities import AUDIT_ASSESSMENTS, PUBLISH, REVIEW, SELF_ASSESS
from jiceng.core import capabilities
from jiceng.core.capabilities import EDIT, READ_AUDIT, VIEW, Role, grants
from jiceng.org.capabilities import STRUCTURE, UNMASK

# The grant table as it stood in accounts/roles.py before it was split per app: nothing gained, nothing lost.
EXPECTED = {
    Role.CITY_ADMIN: {VIEW, EDIT, STRUCTURE, UNMASK, AUDIT_ASSESSMENTS, PUBLISH},
    Role.COUNTY_REVIEWER: {VIEW, EDIT, UNMASK, REVIEW},
    Role.OFFICE_HEAD: {VIEW, EDIT, UNMASK, SELF_ASSESS},
    Role.OFFICE_STAFF: {VIEW, SELF_ASSESS},
    Role.WINDOW_STAFF: {VIEW},
    Role.GRID_WORKER: {VIEW},
    Role.SYSTEM_ADMIN: {MANAGE_ACCOUNTS},
    Role.SECURITY_ADMIN: {ASSIGN_ROLES},
    Role.AUDIT_ADMIN: {READ_AUDIT},
}
# The ledger apps' capabilities (window, enforcement, grid, ...) are pinned by their own tests;
# here each role's share of the assessment-era capabilities is pinned. The ledger roles see.
KNOWN = set().union(*EXPECTED.values())


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_what_the_apps_declared(role):
    expected = EXPECTED.get(role, {VIEW})
    assert capabilities.held_by(role) & KNOWN == expected
    for capability in KNOWN:
        assert grants(role, capability) == (capability in expected)


def test_the_matrix_names_the_app_that_declared_each_capability():
    rows = {capability: (app, roles) for app, capability, roles in capabilities.matrix()}
    assert rows[PUBLISH] == ("assessments", [Role.CITY_ADMIN.value])
    assert rows[UNMASK][0] == "org" and rows[MANAGE_ACCOUNTS][0] == "accounts" and rows[READ_AUDIT][0] == "core"


def test_an_app_cannot_claim_another_apps_capability():
    with pytest.raises(ValueError, match="'assessment.publish' is already declared by assessments"):
        capabilities.register("window", {Role.WINDOW_STAFF: {PUBLISH}})
    assert not grants(Role.WINDOW_STAFF, PUBLISH)


def test_a_separated_administrator_cannot_be_given_business_data_rights():
    with pytest.raises(ValueError, match="may not hold business data rights"):
        capabilities.register("core", {Role.AUDIT_ADMIN: {VIEW}})
    assert not grants(Role.AUDIT_ADMIN, VIEW)


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown role 'mayor'"):
        capabilities.register("grid", {"mayor": {"grid.visit"}})


def test_the_committed_role_matrix_is_what_the_declarations_say_today():
    from pathlib import Path

    from jiceng.core.management.commands.roles import markdown

    committed = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/roles.md is stale: run `jiceng roles --write`"
    assert "| org | `pii.unmask` | ✓ | ✓ | ✓ |" in committed
