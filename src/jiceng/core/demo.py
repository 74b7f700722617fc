"""The demo, contributed by each app: a registry here, `jiceng demo` runs it in dependency order.

An app declares its part from its `AppConfig.ready()`:

    from jiceng.core import demo
    demo.register("assessments", build=build_campaign, loaded=demo_campaign_loaded,
                  after=["accounts"], reset=reset_campaigns,
                  built_message="演示考核已载入 / demo assessment campaign loaded")

`build()` builds every contribution that is not loaded yet, each after the contributions it
names in `after` (ties in registration order, which is INSTALLED_APPS order), all in one
transaction: a failing part leaves nothing half-built. `reset()` lets each contribution
clear what it needs cleared first (last built first), then removes every row of Jiceng's
apps but the audit trail, dependents first, and records the reset on that trail.

Core knows no app: the contributions are callables, the reset walks Django's model registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Contribution:
    name: str
    build: Callable[[], object]
    loaded: Callable[[], bool]
    after: tuple[str, ...] = ()
    reset: Callable[[], None] | None = None
    built_message: str = ""  # printed by `jiceng demo` when this part was built now
    present_message: str = ""  # printed when it was there already
    summary: Callable[[], list[str]] | None = None  # lines printed after every run (e.g. the accounts)


_REGISTRY: dict[str, Contribution] = {}


def register(
    name: str,
    *,
    build: Callable[[], object],
    loaded: Callable[[], bool],
    after: Iterable[str] = (),
    reset: Callable[[], None] | None = None,
    built_message: str = "",
    present_message: str = "",
    summary: Callable[[], list[str]] | None = None,
) -> None:
    """Declare a part of the demo (called from AppConfig.ready()); registering the same again is harmless."""
    contribution = Contribution(name, build, loaded, tuple(after), reset, built_message, present_message, summary)
    existing = _REGISTRY.setdefault(name, contribution)
    if existing != contribution:
        raise ValueError(f"demo contribution {name!r} is already registered differently")


def ordered(names: Iterable[str] | None = None) -> list[Contribution]:
    """The contributions (or those named and what they build on), each after what it names in `after`."""
    wanted = list(_REGISTRY) if names is None else list(names)
    result: list[Contribution] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...]) -> None:
        if name in placed:
            return
        if name in path:
            raise ValueError("demo contributions build after each other in a circle: " + " -> ".join((*path, name)))
        if name not in _REGISTRY:
            needed_by = f" (named in 'after' of {path[-1]!r})" if path else ""
            raise ValueError(f"no app registers a demo contribution {name!r}{needed_by}")
        contribution = _REGISTRY[name]
        for earlier in contribution.after:
            place(earlier, (*path, name))
        placed.add(name)
        result.append(contribution)

    for name in wanted:
        place(name, ())
    return result


def build(names: Iterable[str] | None = None) -> list[tuple[Contribution, bool]]:
    """Build what is not loaded yet, in order, in one transaction; each contribution with whether it was built now."""
    done = []
    with transaction.atomic():
        for contribution in ordered(names):
            if contribution.loaded():
                done.append((contribution, False))
            else:
                contribution.build()
                done.append((contribution, True))
    return done


def _jiceng_models_dependents_first() -> list:
    """Every model of Jiceng's apps but the audit trail, each before the models it references.

    Apps hang data on units and accounts with PROTECT (campaigns, submissions,
    results...); deleting the models that point at others first lets the reset
    clear them without core knowing any app.
    """
    from django.apps import apps

    from .models import AuditEvent

    remaining = {
        model for model in apps.get_models()
        if model.__module__.startswith("jiceng.") and model is not AuditEvent
    }
    order = []
    while remaining:
        referenced = {
            field.related_model
            for model in remaining
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not model
        }
        free = sorted(remaining - referenced, key=lambda model: model._meta.label)
        if not free:
            raise RuntimeError(f"cannot order the reset: cycle among {sorted(m._meta.label for m in remaining)}")
        order += free
        remaining -= set(free)
    return order


@transaction.atomic
def reset() -> dict[str, int]:
    """Remove the demo and everything else of Jiceng's apps; the audit trail stays (it is append-only).

    Each contribution's own reset runs first, last built first; then every remaining row goes,
    dependents first. The reset itself goes on the trail, with how many rows of each kind it removed.
    """
    from . import audit
    from .models import EventType

    for contribution in reversed(ordered()):
        if contribution.reset is not None:
            contribution.reset()
    removed = {}
    for model in _jiceng_models_dependents_first():
        count = model._base_manager.count()
        if count:
            model._base_manager.all().delete()
            removed[model._meta.label_lower] = count
    audit.record(EventType.DELETE, actor_name="system", reason="demo reset", details={"removed": removed})
    return removed
