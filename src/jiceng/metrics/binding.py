"""Scheme items bound to indicators (`indicator: <id>` on an item of the scheme YAML).

The rubric loader (pure) only carries the id. Here, at the app level: `problems(cs)` names every bad
binding (an unknown indicator; an indicator whose unit does not fit the item's rule: threshold and linear
rules on a percentage need a % indicator, a per-occurrence rule a count); `check(cs)` refuses a scheme with
any (campaign creation calls it; a Django system check runs it over the built-in schemes).
`suggestion(cs, item_id, unit, period)` is the figure and the engine's score from it (the suggested mark);
`freeze(key, ...)` keeps the figures a campaign used; `flag(...)` records a 数据不实 flag for the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core import checks as django_checks
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.rubrics.checks import walk_items
from jiceng.rubrics.scoring import score

from . import indicators as registry
from . import values as figures
from .indicators import COUNT, PERCENT, IndicatorError
from .models import DataFlag, FlagState, FrozenValue

RATE_RULES = ("threshold", "linear")


def bound_items(cs) -> dict[str, str]:
    """{item id: indicator id} of the scheme's bound items."""
    return {item.id: item.indicator for _, item, _ in walk_items(cs.definition) if item.indicator}


def problems(cs) -> list[str]:
    """Every bad binding of the scheme, each naming the item, the indicator and the reason."""
    out = []
    for _place, item, _section in walk_items(cs.definition):
        if not item.indicator:
            continue
        try:
            indicator = registry.get(item.indicator)
        except IndicatorError:
            out.append(_("Item %(item)s is bound to the indicator %(indicator)s, which does not exist.")
                       % {"item": item.id, "indicator": item.indicator})
            continue
        rule = item.rule.type
        percent = getattr(item.rule, "percent", False)
        if rule in RATE_RULES and percent and indicator.unit != PERCENT:
            out.append(_("Item %(item)s has a %(rule)s rule on a percentage, but the indicator %(indicator)s is "
                         "measured in %(unit)s, not %%.") % {"item": item.id, "rule": rule,
                                                              "indicator": indicator.id, "unit": indicator.unit})
        elif rule == "per_occurrence" and indicator.unit != COUNT:
            out.append(_("Item %(item)s counts occurrences, but the indicator %(indicator)s is measured in "
                         "%(unit)s, not a count.") % {"item": item.id, "indicator": indicator.id,
                                                       "unit": indicator.unit})
    return out


def check(cs) -> None:
    """Refuse a scheme with a bad binding (ValidationError on `scheme_id`, every problem listed)."""
    found = problems(cs)
    if found:
        raise ValidationError({"scheme_id": found})


@dataclass(frozen=True)
class Suggestion:
    item: str
    value: figures.Value
    score: Decimal | None  # the engine's score from the value (rate, threshold, per-occurrence rules), else None


def _engine_input(item, value: float) -> float:
    return value / 100 if getattr(item.rule, "percent", False) else value


def suggestion(cs, item_id: str, unit, period: str) -> Suggestion | None:
    """The bound item's figure for `unit` over `period`, and the engine's score from it (None: not bound)."""
    item = next((it for _, it, _ in walk_items(cs.definition) if it.id == item_id), None)
    if item is None or not item.indicator:
        return None
    value = figures.value(item.indicator, unit, period)
    points = None
    if value.value is not None and item.rule.type in (*RATE_RULES, "per_occurrence") and not item.items:
        result = score(cs, {"items": {item_id: {"metric": _engine_input(item, value.value)}}}, partial=True)
        mark = next((it for it in result.items if it.id == item_id), None)
        points = Decimal(str(mark.score)) if mark is not None else None
    return Suggestion(item_id, value, points)


def suggestions(cs, unit, period: str) -> dict[str, Suggestion]:
    return {item: found for item in bound_items(cs) if (found := suggestion(cs, item, unit, period)) is not None}


def freeze(key: str, cs, unit, period: str) -> list[FrozenValue]:
    """Keep the figures of every bound item for `unit` under `key` (e.g. "campaign:12"); again: replaced."""
    rows = []
    with transaction.atomic():
        for indicator_id in sorted(set(bound_items(cs).values())):
            value = figures.value(indicator_id, unit, period)
            row, _created = FrozenValue.objects.update_or_create(
                key=key, indicator=indicator_id, unit=unit, period=str(value.period),
                defaults={"numerator": value.numerator, "denominator": value.denominator, "value": value.value,
                          "frozen_at": timezone.now()})
            rows.append(row)
    return rows


def over_claims(cs, unit, period: str, marks: dict) -> list[tuple[str, Decimal, Suggestion]]:
    """(item, claimed, suggestion) for each bound item whose self-score is above what the data supports."""
    out = []
    for item_id, found in suggestions(cs, unit, period).items():
        claimed = marks.get(item_id)
        if found.score is None or claimed is None or isinstance(claimed, dict):
            continue
        if Decimal(str(claimed)) > found.score:
            out.append((item_id, Decimal(str(claimed)), found))
    return out


def flag(*, key: str, cs, unit, period: str, marks: dict, actor=None) -> list[DataFlag]:
    """Record an open 数据不实 flag for each over-claimed item (figures of this moment kept on the flag)."""
    made = []
    with transaction.atomic():
        for item_id, claimed, found in over_claims(cs, unit, period, marks):
            row, created = DataFlag.objects.update_or_create(
                key=key, item=item_id,
                defaults={"unit": unit, "indicator": found.value.indicator, "period": found.value.period,
                          "claimed": claimed, "supported": found.score, "value": found.value.value,
                          "numerator": found.value.numerator, "denominator": found.value.denominator,
                          "state": FlagState.OPEN, "decided_by": None, "decided_at": None, "reason": ""})
            audit.record(EventType.ASSESSMENT_FLAG, actor=actor, subject=row, unit=unit,
                         after={"item": item_id, "claimed": str(claimed), "supported": str(found.score),
                                "value": found.value.value, "state": row.state},
                         details={"flag": "数据不实", "key": key})
            made.append(row)
    return made


def decide(flag_row: DataFlag, *, actor, confirmed: bool, reason: str = "") -> DataFlag:
    """The reviewer's decision: confirmed (数据不实) or dismissed, with who and when."""
    if flag_row.state != FlagState.OPEN:
        raise ValidationError({"state": _("This flag has already been decided.")})
    if not confirmed and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for dismissing the flag.")})
    with transaction.atomic():
        flag_row.state = FlagState.CONFIRMED if confirmed else FlagState.DISMISSED
        flag_row.decided_by = actor
        flag_row.decided_at = timezone.now()
        flag_row.reason = reason
        flag_row.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        audit.record(EventType.ASSESSMENT_FLAG, actor=actor, subject=flag_row, before={"state": FlagState.OPEN},
                     after={"state": flag_row.state}, reason=reason, details={"flag": "数据不实", "key": flag_row.key})
    return flag_row


@django_checks.register()
def builtin_schemes_bind_known_indicators(app_configs=None, **kwargs):
    """metrics.E001: a built-in scheme binds an item to an unknown indicator or one of the wrong unit."""
    from jiceng.rubrics.loader import builtin_scheme, list_builtin_schemes

    errors = []
    for info in list_builtin_schemes():
        for problem in problems(builtin_scheme(info.id)):
            errors.append(django_checks.Error(f"scheme {info.id}: {problem}", id="metrics.E001"))
    return errors


@dataclass(frozen=True)
class ItemFigure:
    """What the self-evaluation form shows under a bound item."""

    suggestion: Suggestion
    numerator_url: str
    denominator_url: str
    claimed: Decimal | None
    over: bool  # the self-score is above what the data supports


def item_figures(cs, unit, period: str, claimed: dict) -> dict[str, ItemFigure]:
    """{item id: ItemFigure} for the scheme's bound items, with the links to the records behind each value."""
    from django.http import QueryDict
    from django.urls import reverse

    out = {}
    for item_id, found in suggestions(cs, unit, period).items():
        links = []
        for part in ("numerator", "denominator"):
            query = QueryDict(mutable=True)
            query.update({"indicator": found.value.indicator, "unit": unit.code, "period": found.value.period,
                          "part": part})
            links.append(f"{reverse('metrics:records')}?{query.urlencode()}")
        mark = claimed.get(item_id)
        over = mark is not None and found.score is not None and Decimal(str(mark)) > found.score
        out[item_id] = ItemFigure(found, links[0], links[1], mark, over)
    return out


def flags_of(key: str) -> list[DataFlag]:
    return list(DataFlag.objects.filter(key=key).order_by("item"))
