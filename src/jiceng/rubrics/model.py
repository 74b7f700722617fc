"""Pydantic models: the schema of a scheme YAML file.

These models only describe and type-check the file. Cross-field checks that
need the whole scheme (sums, duplicate ids, reachable grades) live in
``checks.py`` so that each error can name its place in the file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Points = Annotated[Decimal, Field(ge=0, description="points; never negative")]
Share = Annotated[Decimal, Field(gt=0, le=1)]


class _Strict(BaseModel):
    # extra="forbid": a misspelt key in a hand-written scheme must be refused,
    # not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Local(_Strict):
    """Anything the seed does not fix can be marked as a local setting."""

    local_setting: bool = False
    note: str | None = None


class Source(_Strict):
    document: str
    seed: str | None = None
    articles: str | None = None


class ManualRule(_Local):
    type: Literal["manual"] = "manual"


class CheckRule(_Local):
    type: Literal["check"]
    required: bool = True


class ThresholdRule(_Local):
    """Full points when the metric is at or above ``target``, else 0."""

    type: Literal["threshold"]
    metric: str
    target: float
    percent: bool = True


class LinearRule(_Local):
    """0 at or below ``floor``, full at or above ``target``, linear between."""

    type: Literal["linear"]
    metric: str
    floor: float
    target: float
    percent: bool = True


class PerOccurrenceRule(_Local):
    """Deduct ``deduct`` points per occurrence, down to 0."""

    type: Literal["per_occurrence"]
    metric: str
    deduct: Annotated[Decimal, Field(gt=0)]


Rule = Annotated[
    ManualRule | CheckRule | ThresholdRule | LinearRule | PerOccurrenceRule,
    Field(discriminator="type"),
]


class Item(_Local):
    id: str
    text: str
    title: str | None = None
    points: Points
    category: Literal["hardware", "software"]
    rule: Rule = ManualRule()
    # The id of a metrics indicator whose value prefills the item (carried only: the app checks that it
    # exists and that its unit fits the rule, jiceng.metrics.binding).
    indicator: str | None = None
    items: list[Item] = []


class Section(_Strict):
    id: str
    title: str
    points: Points
    items: list[Item]


class Component(_Local):
    """A weighted part of the total, e.g. an assessor's score or a rate."""

    id: str
    title: str
    min: float = 0
    max: float
    step: Annotated[Decimal, Field(gt=0)]
    scale: Annotated[Decimal, Field(gt=0)] = Decimal(1)
    weight: Share
    percent: bool = False


class Veto(_Strict):
    id: str
    text: str


class Bonus(_Local):
    id: str
    title: str
    points: Points
    group: str


class Deduction(_Strict):
    id: str
    title: str
    points: Points


class Flag(_Strict):
    id: str
    title: str
    text: str | None = None
    zero_items: list[str] = []
    bars: list[str] = []


class Metric(_Local):
    """A scheme-level metric reported with the marks (for caps and triggers)."""

    id: str
    title: str
    unit: str = ""


class Grade(_Local):
    name: str
    min_total: Points | None = None
    no_zero: Literal["items", "sections"] | None = None
    required_checks: bool = False
    passing: bool = True
    missed: str | None = None


class Cap(_Local):
    component: str | None = None
    metric: str | None = None
    below: float
    max_grade: str


class Quota(_Local):
    grade: str
    share: Annotated[Decimal, Field(gt=0)]


class Trigger(_Local):
    id: str
    title: str
    outcome: str
    outcome_title: str
    consecutive_grade: str | None = None
    periods: Annotated[int, Field(ge=2)] = 2
    metric: str | None = None
    at_least: float | None = None
    above: float | None = None


# What a scheme can assess (a campaign enrols only subjects of these kinds): units by their kind
# (org.UnitKind values) or people (``person``).
SubjectKind = Literal["office", "county", "service_centre", "village", "window", "person"]


class SingleItems(_Local):
    """What "单项" means for a grade's no-zero rule: parent items listed in ``rows`` count as one
    单项 (the seed gives the row one points cell), so a zero sub-line is not a zero item while the
    row has points; every other item without sub-items is its own 单项."""

    rows: list[str]


class Scheme(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: Annotated[int, Field(ge=1)]
    title: str
    source: Source
    subjects: list[SubjectKind] = []
    step: Annotated[Decimal, Field(gt=0)] = Decimal("0.5")
    total: Points
    no_duty_fraction: Share | None = None
    sections: list[Section] = []
    components: list[Component] = []
    grades: list[Grade] = []
    vetoes: list[Veto] = []
    bonuses: list[Bonus] = []
    deductions: list[Deduction] = []
    flags: list[Flag] = []
    metrics: list[Metric] = []
    caps: list[Cap] = []
    quotas: list[Quota] = []
    triggers: list[Trigger] = []
    # The grade an office's self-evaluation must reach before it may apply (seed 000 四(三)).
    self_check: str | None = None
    single_items: SingleItems | None = None
    notes: str | None = None
