"""The import registry: any app registers a unit-scoped, all-or-nothing xlsx import here.

An app declares an `Importer` subclass (core.tabular: columns, natural key) and
registers it from its `AppConfig.ready()`:

    from jiceng.core import imports
    imports.register(imports.ImportSpec(kind="staff", title=_("Import staff"), importer=StaffImport,
                                        template_name="人员导入模板"))

and mounts the generic pages in its own urls.py (no central list to edit):

    from jiceng.core.urls_import import import_urls
    urlpatterns += import_urls("staff", "units")

which gives `APP:import_KIND` (the upload page), `APP:import_template_KIND` and
`APP:import_errors` (the marked copy of a refused file). The command line is
`jiceng import KIND FILE [--dry-run] [--user NAME] [--template FILE]` for every
registered kind.

Scope: an importer whose rows belong to a unit mixes in `UnitScopedImport` and
parses its unit column with `unit_code("edit_units")`: a row may only name a
unit the importing user may edit; any other code, in the tree or not, is the
same "unknown unit". Existing records in units the user cannot edit are refused,
and the scope is re-checked inside the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .scoping import EDIT, VIEW, common_ancestor_path
from .tabular.columns import text
from .tabular.importer import Importer

# The unit tree lives in org (above core): named, never imported, as Django names AUTH_USER_MODEL.
UNIT_MODEL = "org.Unit"


@dataclass(frozen=True)
class ImportSpec:
    """One importable kind of sheet."""

    kind: str  # stable name: the CLI argument, the URL names, the audit record's "kind"
    title: Any  # the page's heading (lazy translation)
    importer: type[Importer]
    template_name: str  # the downloaded template's file name, without .xlsx
    # A capability the user must hold somewhere (None: edit scope in any unit is enough;
    # rows are then checked one by one against the units the user may edit).
    capability: str | None = None

    @property
    def columns(self):
        return self.importer.columns

    def may_open(self, user) -> bool:
        """Whether the page is for this user at all (edit scope somewhere, and the capability)."""
        if self.capability and not user.has_capability(self.capability):
            return False
        return unit_model().objects.editable_by(user).exists()


_REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    if spec.kind in _REGISTRY and _REGISTRY[spec.kind].importer is not spec.importer:
        raise ValueError(f"import kind {spec.kind!r} is registered twice")
    _REGISTRY[spec.kind] = spec
    return spec


def get(kind: str) -> ImportSpec | None:
    return _REGISTRY.get(kind)


def kinds() -> list[str]:
    return sorted(_REGISTRY)


# --- unit scope -------------------------------------------------------------------


def unit_model():
    return apps.get_model(UNIT_MODEL)


def unit_index(user, action: str) -> dict[str, tuple[int, str, str]]:
    """{code: (pk, path, kind)} of the units a user may `action` (every unit for the command line)."""
    units = unit_model().objects.all()
    if user is not None:
        units = units.visible_to(user) if action == VIEW else units.editable_by(user)
    return {code: (pk, path, kind) for code, pk, path, kind in units.values_list("code", "pk", "path", "kind")}


def common_unit(paths: list[str]):
    """The lowest unit above all these paths (the import record is filed there), or None."""
    if not paths:
        return None
    model = unit_model()
    prefix = common_ancestor_path(paths, model.steplen)
    return model.objects.filter(path=prefix).first() if prefix else None


def unit_code(index_attr: str):
    """A column parser: a unit code, looked up among the importer's prefetched units of one scope."""

    def parse(value, importer):
        code = text(32)(value)
        found = getattr(importer, index_attr).get(code)
        if found is None:
            raise ValidationError(_("Unknown unit code %(code)s."), params={"code": code})
        return found[0]

    return parse


class UnitScopedImport(Importer):
    """An importer whose records each belong to a unit (`unit_field`, a foreign key to the unit).

    Prefetches the units the actor may edit (`edit_units`) and view (`view_units`) once, refuses
    to update a record held by a unit outside edit scope, re-checks the scope inside the
    transaction and files the audit record under the lowest unit above every row."""

    unit_field = "unit_id"

    def prepare(self) -> None:
        self.edit_units = unit_index(self.actor, EDIT)
        self.view_units = unit_index(self.actor, VIEW)
        self._edit_pks = {pk for pk, _path, _kind in self.edit_units.values()}

    def may_update(self, instance) -> bool:
        return getattr(instance, self.unit_field) in self._edit_pks

    def check_after_write(self, created, updated) -> None:
        # Memberships may have changed since the rows were parsed: re-check inside the transaction.
        allowed = {pk for pk, _path, _kind in unit_index(self.actor, EDIT).values()}
        if any(getattr(record, self.unit_field) not in allowed for record in [*created, *updated]):
            raise PermissionDenied(_("Your scope changed during the import; nothing was saved."))

    def audit_unit(self, created, updated):
        used = {getattr(record, self.unit_field) for record in [*created, *updated]}
        paths = {path for pk, path, _kind in self.edit_units.values() if pk in used}
        return common_unit(sorted(paths))
