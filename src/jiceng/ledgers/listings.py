"""The list (and its xlsx export) and the import of every ledger, built from specs.py on core.lists / core.imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core import imports
from jiceng.core.deadlines import Deadline
from jiceng.core.imports import UnitScopedImport, unit_code
from jiceng.core.lists import ListColumn, Listing, register_listing
from jiceng.core.scoping import VIEW, subtree_paths
from jiceng.core.tabular import Column
from jiceng.core.tabular.columns import a_date, bool_column, date_column, decimal, enum_column, integer, text

from . import selectors
from .specs import SPECS, Spec


def _cell(spec: Spec, name: str):
    field = spec.field(name)
    if field.choices:
        return lambda obj: str(getattr(obj, f"get_{name}_display")())
    if isinstance(field, models.BooleanField):
        return lambda obj: "是" if getattr(obj, name) else "否"
    if isinstance(field, models.ForeignKey):
        return lambda obj: str(getattr(obj, name))
    if isinstance(field, models.JSONField):
        return lambda obj: _json(getattr(obj, name))
    return lambda obj: getattr(obj, name)


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False) if value else ""


def columns(spec: Spec) -> list[ListColumn]:
    out = [ListColumn(Column("单位", "unit", export=lambda obj: obj.unit.name, width=16))]
    for name, header in spec.fields:
        field = spec.field(name)
        column = Column(header, name, export=_cell(spec, name), is_date=isinstance(field, models.DateField),
                        width=12 if isinstance(field, models.DateField) else 16)
        out.append(ListColumn(column, sort=(name,) if not isinstance(field, models.JSONField) else None,
                              link=(lambda obj: obj.get_absolute_url()) if name == spec.fields[0][0] else None))
    if spec.is_ledger_row:
        labels = dict(spec.workflow.states.choices) if spec.workflow else {}
        out.append(ListColumn(Column("状态", "state", export=lambda obj, _l=labels: str(_l.get(obj.state, obj.state))),
                              sort=("state",)))
        out.append(ListColumn(Column("到期日", "due_on", export=lambda obj: obj.due_on, is_date=True, width=12),
                              sort=("due_on",)))
    return out


def filter_form(spec: Spec) -> type[forms.Form]:
    attrs: dict[str, Any] = {"q": forms.CharField(label=_("Search"), required=False, max_length=50)}
    for name in spec.filters:
        field = spec.field(name)
        if isinstance(field, models.BooleanField):
            attrs[name] = forms.ChoiceField(label=field.verbose_name, required=False,
                                            choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))])
        else:
            choices = spec.workflow.states.choices if name == "state" and spec.workflow else field.choices
            attrs[name] = forms.ChoiceField(label=field.verbose_name, required=False, choices=[("", "—"), *choices])
    if spec.date_field:
        attrs["period"] = forms.CharField(label=_("Month or year"), required=False, max_length=7,
                                          widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "2026-11"}))
    if spec.is_ledger_row:
        attrs["overdue"] = forms.BooleanField(label=_("Overdue only"), required=False)

    def clean_period(self):
        from jiceng.core.maps import Period

        value = self.cleaned_data.get("period", "")
        Period.parse(value)
        return value

    if spec.date_field:
        attrs["clean_period"] = clean_period
    return type(f"{spec.kind.title()}FilterForm", (forms.Form,), attrs)


LISTINGS: dict[str, Listing] = {}


def build_listings() -> None:
    for spec in SPECS.values():
        LISTINGS[spec.kind] = register_listing(Listing(
            kind=f"ledgers.{spec.kind}", title=spec.sheet, sheet_name=spec.sheet[:31],
            columns=columns(spec), filter_form=filter_form(spec),
            rows=lambda user, filters, _spec=spec: selectors.rows(_spec, user, filters),
            scope=lambda user: subtree_paths(user, VIEW),
        ))


# --- imports ------------------------------------------------------------------------------------------

def _parser(field: models.Field):
    if isinstance(field, models.BooleanField):
        return None
    if isinstance(field, models.DateTimeField):
        def parse(value, importer=None):
            from django.utils import timezone
            from django.utils.dateparse import parse_datetime

            if hasattr(value, "year"):
                moment = value
            else:
                moment = parse_datetime(str(value).strip().replace("/", "-"))
            if moment is None:
                raise ValidationError(_("Not a date and time."))
            return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        return parse
    if isinstance(field, models.DateField):
        return a_date()
    if isinstance(field, models.DecimalField):
        return decimal(field.decimal_places, field.max_digits)
    if isinstance(field, models.IntegerField):
        return integer(0)
    if isinstance(field, models.JSONField):
        def parse(value, importer=None):
            from jiceng.core.maps import parse_geometry

            try:
                return parse_geometry(str(value), allowed=("Point",), field=field.name)
            except ValidationError as exc:
                raise ValidationError(" ".join(exc.messages)) from None
        return parse
    return text(getattr(field, "max_length", None))


def _import_columns(spec: Spec) -> list[Column]:
    out = [Column("单位编码", "unit_id", parse=unit_code("edit_units"), required=True, example="CA1")]
    for name, header in spec.fields:
        field = spec.field(name)
        required = not field.blank and not isinstance(field, models.BooleanField)
        if field.choices:
            out.append(enum_column(header, name, _Choices(field.choices), required=required))
        elif isinstance(field, models.BooleanField):
            out.append(bool_column(header, name, default=field.default))
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            out.append(date_column(header, name, required=required))
        else:
            out.append(Column(header, name, parse=_parser(field), required=required,
                              default="" if isinstance(field, models.CharField | models.TextField) else None))
    return out


class _Choices:
    """A model field's choices in the shape core.tabular's enum_column reads (`.choices`)."""

    def __init__(self, choices):
        self.choices = list(choices)
        self.values = [code for code, _label in self.choices]

    def __iter__(self):
        return iter(self.values)

    def __contains__(self, value):
        return value in self.values


_IMPORTERS: dict[str, type[UnitScopedImport]] = {}


def importer_for(spec: Spec) -> type[UnitScopedImport]:
    """The ledger's importer class (one per kind: registering again finds the same class)."""
    if spec.kind not in _IMPORTERS:
        _IMPORTERS[spec.kind] = _make_importer(spec)
    return _IMPORTERS[spec.kind]


def _make_importer(spec: Spec) -> type[UnitScopedImport]:
    key = ("unit_id", *spec.natural_key)

    class LedgerImport(UnitScopedImport):
        model = spec.model
        kind = f"ledgers_{spec.kind}"
        sheet_name = spec.sheet[:31]
        natural_key = key
        columns = _import_columns(spec)

        def clean_row(self, values):
            if spec.is_ledger_row:
                values.setdefault("state", spec.workflow.initial if spec.workflow else "open")
                if spec.rule is not None and values.get("opened_on"):
                    from jiceng.core.workdays import calendar

                    try:
                        deadline = Deadline.compute(calendar(), spec.rule, values["opened_on"])
                    except Exception as exc:  # noqa: BLE001 - a year without a loaded schedule
                        return [("opened_on", str(exc))]
                    values["deadline_data"] = deadline.to_json()
                    values["due_on"] = deadline.due
            return []

        def updatable_fields(self, values):
            return [n for n in values if n not in self.natural_key and n not in ("state", "deadline_data", "due_on")]

        def fetch_existing(self, keys):
            found = {}
            units = {k[0] for k in keys}
            firsts = {k[1] for k in keys}
            for obj in spec.model.objects.filter(unit_id__in=units, **{f"{key[1]}__in": firsts}):
                found[tuple(getattr(obj, "unit_id" if n == "unit_id" else n) for n in key)] = obj
            return found

    LedgerImport.__name__ = f"{spec.kind.title()}Import"
    return LedgerImport


IMPORTABLE = ("petitions", "duty", "hazards", "housing", "land", "filings")


def register_imports() -> None:
    from .capabilities import KEEP

    for kind in IMPORTABLE:
        spec = SPECS[kind]
        imports.register(imports.ImportSpec(kind=f"ledgers_{kind}", title=spec.label, importer=importer_for(spec),
                                            template_name=f"{spec.sheet}导入模板", capability=KEEP))
