"""The indicators pages: a unit's dashboard (ECharts) and the records behind a value (a core.lists list, xlsx)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.lists import ListColumn, Listing, register_listing
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import VIEW, holds, subtree_paths
from jiceng.core.tabular import Column, date_column
from jiceng.core.tabular.exporting import export_response
from jiceng.core.views import capability_required
from jiceng.org.models import Unit

from . import indicators as registry
from . import selectors
from . import values as figures
from .indicators import IndicatorError
from .periods import PeriodError

RECORDS = "metrics.records"
NUMERATOR, DENOMINATOR = "numerator", "denominator"


class RecordsFilterForm(forms.Form):
    indicator = forms.CharField(label=gettext_lazy("Indicator"), max_length=80)
    unit = forms.CharField(label=gettext_lazy("Unit code (with the units below it)"), max_length=40)
    period = forms.CharField(label=gettext_lazy("Period"), max_length=10)
    part = forms.ChoiceField(label=gettext_lazy("Records of"),
                             choices=[(NUMERATOR, gettext_lazy("the numerator")),
                                      (DENOMINATOR, gettext_lazy("the denominator"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(field, forms.ChoiceField)
                                          else "form-control form-control-sm")


def _records(user, filters: dict):
    """The rows behind one figure, scoped: nothing for a unit out of scope or a bad indicator or period."""
    unit = Unit.objects.restrict(user, VIEW).filter(code=filters.get("unit", "")).first()
    try:
        indicator = registry.get(filters.get("indicator", ""))
        figures.periods_of(indicator, filters.get("period", ""))
    except (IndicatorError, PeriodError):
        return Unit.objects.none()
    if unit is None:
        return Unit.objects.none()
    part = filters.get("part") or NUMERATOR
    source = indicator.sources[0 if part == NUMERATOR else 1]
    qs = selectors.rows(indicator, unit, filters["period"], part, user)
    name = F(f"{source.unit_field}__name") if source.unit_field else F("name")
    code = F(f"{source.unit_field}__code") if source.unit_field else F("code")
    qs = qs.annotate(metrics_unit_name=name, metrics_unit_code=code)
    if source.date_field:
        qs = qs.annotate(metrics_date=F(source.date_field))
    return qs.order_by("pk")


def _date(obj):
    day = getattr(obj, "metrics_date", None)
    return day.date() if hasattr(day, "date") and callable(day.date) else day


RECORDS_LIST = register_listing(Listing(
    kind=RECORDS,
    title="指标记录",
    sheet_name="记录",
    columns=[
        ListColumn(Column("单位编码", "unit_code", width=12, export=lambda o: o.metrics_unit_code)),
        ListColumn(Column("单位名称", "unit_name", width=20, export=lambda o: o.metrics_unit_name)),
        ListColumn(date_column("日期", "date", export=_date)),
        ListColumn(Column("记录", "record", width=40, export=str)),
        ListColumn(Column("编号", "pk", width=10, export=lambda o: o.pk)),
    ],
    rows=_records,
    filter_form=RecordsFilterForm,
    scope=lambda user: subtree_paths(user, VIEW),
))


@capability_required(VIEW)
def records(request):
    if request.GET.get("format") == "xlsx":
        return export_response(request, kind=RECORDS, filters=RECORDS_LIST.export_filters(request.GET))
    page = RECORDS_LIST.page(request)
    indicator = None
    try:
        indicator = registry.get(page.filters.get("indicator", ""))
    except IndicatorError:
        pass
    return render(request, "metrics/records.html", {"list": page, "indicator": indicator})


@capability_required(VIEW)
def dashboard(request):
    """The dashboard of the top of the user's scope."""
    top = Unit.objects.restrict(request.user, VIEW).scope_roots(request.user, VIEW).first()
    if top is None:
        raise PermissionDenied
    return redirect("metrics:unit_dashboard", code=top.code)


def records_url(indicator_id: str, unit, period: str, part: str) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update({"indicator": indicator_id, "unit": unit.code, "period": period, "part": part})
    return f"{reverse('metrics:records')}?{query.urlencode()}"


def dashboard_data(user, indicator, unit, period: str) -> dict:
    """What the charts draw: the figure against its target, the year's trend, the ranking of the children
    (ranked over every child; only the children in the user's scope are listed) and the unit among its siblings."""
    figure = figures.value(indicator, unit, period)
    year = period[:4]
    trend = figures.trend(indicator, unit, int(year))
    kids = figures.ranking(indicator, selectors.children(unit), period, parent=unit)
    data = {
        "indicator": {"id": indicator.id, "name": str(indicator.name), "unit": indicator.unit,
                      "target": indicator.target, "higher_is_better": indicator.higher_is_better},
        "figure": figure.as_json(),
        "trend": [{"period": v.period, "value": v.as_json()["value"]} for v in trend],
        "children": [{"code": r.value.unit.code, "name": r.value.unit.name, "rank": r.rank, "of": r.of,
                      **{k: r.value.as_json()[k] for k in ("numerator", "denominator", "value")}}
                     for r in kids if holds(user, VIEW, r.value.unit)],
        "among_siblings": None,
    }
    parent = Unit.objects.get_parent(unit) if hasattr(Unit.objects, "get_parent") else unit.get_parent()
    if parent is not None:
        for ranked in figures.ranking(indicator, selectors.children(parent), period, parent=parent):
            if ranked.value.unit.pk == unit.pk:
                data["among_siblings"] = {"rank": ranked.rank, "of": ranked.of}
    return data


@capability_required(VIEW)
def unit_dashboard(request, code: str):
    unit = get_scoped_or_404(Unit.objects.all(), request.user, VIEW, code=code)
    all_indicators = registry.all_indicators()
    chosen = request.GET.get("indicator") or (all_indicators[0].id if all_indicators else "")
    period = request.GET.get("period") or str(timezone.localdate().year)
    messages, data, indicator = [], None, None
    try:
        indicator = registry.get(chosen)
        figures.periods_of(indicator, period)
    except IndicatorError:
        messages.append(_("No indicator %(id)s.") % {"id": chosen})
    except PeriodError:
        messages.append(_("%(period)s is not a period of this indicator: write 2026, 2026-H1, 2026-Q3 or 2026-03, "
                          "no finer than its grain.") % {"period": period})
    else:
        data = dashboard_data(request.user, indicator, unit, period)
    links = {}
    if data is not None:
        links = {part: records_url(indicator.id, unit, period, part) for part in (NUMERATOR, DENOMINATOR)}
        for child in data["children"]:
            child["url"] = reverse("metrics:unit_dashboard", kwargs={"code": child["code"]}) + \
                f"?indicator={indicator.id}&period={period}"
    return render(request, "metrics/dashboard.html", {
        "unit": unit, "indicators": all_indicators, "indicator": indicator, "period": period, "data": data,
        "links": links, "messages_": messages,
    })


# The assessments app's review capability (assessments.capabilities.REVIEW), named here by value: metrics sits
# below assessments and does not import it.
REVIEW = "assessment.review"


@capability_required(REVIEW)
def flag_decide(request, pk: int):
    """The reviewer confirms a 数据不实 flag (the scheme's consequence follows) or dismisses it with a reason."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.http import HttpResponseNotAllowed

    from . import binding
    from .models import DataFlag

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    flag = get_scoped_or_404(DataFlag.objects.all(), request.user, REVIEW, pk=pk)
    try:
        binding.decide(flag, actor=request.user, confirmed=request.POST.get("decision") == "confirm",
                       reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Flag decided."))
    kind, _sep, ident = flag.key.partition(":")
    if kind == "submission" and ident.isdigit():
        return redirect("assessments:submission_review", pk=int(ident))
    return redirect("metrics:dashboard")
