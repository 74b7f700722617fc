"""`jiceng metrics list|show|compute|refresh`: the indicators and their values (issue 16's contract).

    jiceng metrics list                                   one indicator a line: id, then name
    jiceng metrics show ID --unit CODE --period P [--children]
                                                          JSON lines: indicator, unit, period, numerator,
                                                          denominator, value (null where the denominator is 0)
    jiceng metrics compute [ID ...]                       recompute every value (or those indicators')
    jiceng metrics refresh                                recompute the dirty units × periods and the latest period
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jiceng.org.models import Unit

from ... import compute, indicators, values
from ...indicators import IndicatorError
from ...periods import PeriodError
from ...selectors import children
from ...tasks import refresh_run


class Command(BaseCommand):
    help = "The indicators: list, show values, compute, refresh."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="one indicator a line: id, then name")
        show = sub.add_parser("show", help="an indicator's value for a unit and period, as JSON lines")
        show.add_argument("indicator")
        show.add_argument("--unit", required=True, help="the unit's code")
        show.add_argument("--period", required=True, help="2026, 2026-H1, 2026-Q3 or 2026-03")
        show.add_argument("--children", action="store_true", help="also each direct child of the unit")
        run = sub.add_parser("compute", help="recompute every value")
        run.add_argument("ids", nargs="*")
        sub.add_parser("refresh", help="recompute the dirty units × periods and the latest period")

    def handle(self, *args, action, **options):
        with translation.override(settings.LANGUAGE_CODE):
            getattr(self, f"_{action}")(**options)

    def _list(self, **options):
        for indicator in indicators.all_indicators():
            self.stdout.write(f"{indicator.id}\t{indicator.name}")

    def _show(self, indicator, unit, period, children_too=False, **options):
        try:
            found = indicators.get(indicator)
            values.periods_of(found, period)
        except (IndicatorError, PeriodError) as error:
            raise CommandError(str(error)) from None
        top = Unit.objects.filter(code=unit).first()
        if top is None:
            raise CommandError(f"no unit with code {unit!r}")
        units = [top, *(children(top) if options.get("children") else [])]
        for item in values.values(found, units, period):
            self.stdout.write(json.dumps(item.as_json(), ensure_ascii=False))

    def _compute(self, ids=(), **options):
        try:
            chosen = [indicators.get(i) for i in ids] if ids else indicators.all_indicators()
        except IndicatorError as error:
            raise CommandError(str(error)) from None
        for indicator in chosen:
            self.stdout.write(f"{indicator.id}\t{compute.compute(indicator)} values")

    def _refresh(self, **options):
        self.stdout.write(json.dumps(refresh_run()))
