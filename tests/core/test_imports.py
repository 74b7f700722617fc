"""The import registry (issue 11, item 8): apps register their kinds; core serves every kind the same way."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jiceng.core import imports
from jiceng.org.importers import StaffImport


def test_org_registers_staff_and_units_from_its_app_config():
    assert {"staff", "units"} <= set(imports.kinds())
    assert imports.get("staff").importer is StaffImport
    assert imports.get("nonsense") is None


def test_a_kind_cannot_be_registered_twice_with_another_importer():
    spec = imports.get("staff")
    other = type("OtherImport", (StaffImport,), {})
    with pytest.raises(ValueError, match="'staff' is registered twice"):
        imports.register(imports.ImportSpec(kind="staff", title="x", importer=other, template_name="x"))
    # the same registration again (a second ready() call) is harmless and keeps the first
    imports.register(spec)
    assert imports.get("staff") is spec


def test_the_generic_pages_are_mounted_under_the_registering_apps_names():
    assert reverse("org:import_staff").endswith("import/staff/")
    assert reverse("org:import_template_units").endswith("import/units/template/")
    assert reverse("org:import_errors").endswith("import/errors/")


def test_the_command_offers_exactly_the_registered_kinds(db):
    with pytest.raises(CommandError, match="nonsense"):
        call_command("import", "nonsense", "file.xlsx")


def test_a_user_without_edit_scope_may_not_open_an_import(users):
    spec = imports.get("staff")
    assert spec.may_open(users["office_head"])
    assert not spec.may_open(users["audit_admin"])
    assert not spec.may_open(users["no_role"])
