"""The overdue list (逾期台账): every registered ledger's overdue rows the user may view, on one page.

Built on core.lists: the page and its xlsx export (`?format=xlsx`) show the same columns and rows,
through the same scoped read (core.ledgers.overdue_union, each ledger via `restrict`).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.apps import apps
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ledgers
from .capabilities import VIEW
from .deadlines import Deadline
from .lists import ListColumn, Listing, register_listing
from .scoping import subtree_paths
from .tabular import Column, date_column
from .tabular.exporting import export_response
from .views import capability_required

KIND = "ledgers.overdue"


class OverdueFilterForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Unit code (with the units below it)"), required=False, max_length=40)
    ledger = forms.ChoiceField(label=gettext_lazy("Ledger"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].choices = [("", _("All ledgers"))] + [(led.key, str(led.label)) for led in ledgers.registered()]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(field, forms.ChoiceField)
                                          else "form-control form-control-sm")


def _unit_path(code: str) -> str | None:
    # The path of the unit with this code ("" for no filter; None for a code no unit has: no rows).
    if not code:
        return ""
    unit = apps.get_model("org", "Unit")
    return unit.objects.filter(code=code).values_list("path", flat=True).first()


def _rows(user, filters: dict):
    path = _unit_path(filters.get("unit", ""))
    if path is None:
        return ledgers.overdue_union(user, today=date.min)  # nothing is overdue before the first day
    return ledgers.overdue_union(user, unit_path=path, ledger=filters.get("ledger", ""))


def _ledger_label(key: str) -> str:
    try:
        return str(ledgers.get(key).label)
    except KeyError:
        return key


def _row_of_for(user):
    from .workdays import calendar

    cal = calendar()
    today = timezone.localdate()

    def row_of(row: dict) -> list:
        deadline = Deadline.from_json(row["deadline_data"]) if row["deadline_data"] else None
        late = cal.count(row["due_on"], today, deadline.rule.unit) if deadline else (today - row["due_on"]).days
        return [_ledger_label(row["ledger"]), row["unit_code"], row["unit_name"], row["state"],
                row["opened_on"], row["due_on"], late, deadline.explain() if deadline else ""]

    return row_of


COLUMNS = [
    Column("台账", "ledger", width=16),
    Column("单位编码", "unit_code", width=12),
    Column("单位名称", "unit_name", width=20),
    Column("状态", "state", width=10),
    date_column("开始日期", "opened_on"),
    date_column("到期日", "due_on"),
    Column("逾期天数", "days_overdue", width=8),
    Column("期限说明", "explanation", width=60),
]

OVERDUE_LIST = register_listing(Listing(
    kind=KIND,
    title="逾期台账",
    sheet_name="逾期",
    columns=[ListColumn(c) for c in COLUMNS],
    rows=_rows,
    filter_form=OverdueFilterForm,
    row_of_for=_row_of_for,
    scope=lambda user: subtree_paths(user, VIEW),
))


@capability_required(VIEW)
def overdue_list(request):
    if request.GET.get("format") == "xlsx":
        return export_response(request, kind=KIND, filters=OVERDUE_LIST.export_filters(request.GET))
    page = OVERDUE_LIST.page(request)
    return render(request, "core/ledger_overdue.html", {"list": page})
