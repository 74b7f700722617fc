"""Deadlines on the kit's clock, a year without a loaded holiday schedule refused with a clear message."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from jiceng.calendar.errors import YearNotCovered
from jiceng.core import workdays
from jiceng.core.deadlines import Deadline


def compute(rule, start, extensions=()) -> Deadline:
    try:
        return Deadline.compute(workdays.calendar(), rule, start, extensions=extensions)
    except YearNotCovered as exc:
        raise ValidationError(workdays.message(exc)) from None


def extend(deadline: Deadline, extension) -> Deadline:
    try:
        return deadline.with_extension(workdays.calendar(), extension)
    except YearNotCovered as exc:
        raise ValidationError(workdays.message(exc)) from None
