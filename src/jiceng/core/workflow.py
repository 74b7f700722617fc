"""Declared workflows: a ledger model's states and transitions as data, and the one call that moves a record.

An app declares, in its own `workflows.py`, a `Workflow`: the model, its state
field and version field, the states (a `TextChoices`), and a list of
`Transition`s. A transition says where it may start (`source`), where it ends
(`target`), who may do it (`capability`, a constant from the app's
`capabilities.py`, held over the unit named by `unit`), what must be given
(a reason, input fields, files), which named checks must pass and which named
effects follow (notifications, deadline start or stop, ...). Checks and effects
are plain functions registered by name with `@hook("app.name")`, so the
declaration stays data and the docs can show it (`jiceng workflows`).

`Workflow.perform()` is the only way a record changes state:

1. scope and capability: `core.scoping.holds(actor, capability, unit)`; a
   refusal is the audited 404 of core.scoping (the same answer for "not found"
   and "not yours"), recorded before the transaction so it survives;
2. in one transaction: the row is re-read under a row lock; a stale
   `expected_version` is refused (`StaleVersion`, naming both versions);
3. the transition must be allowed from the current state (`NotAllowed`
   names the state and the transitions that are allowed from it);
4. the reason, the named checks and the required inputs (everything that is
   missing is reported at once, `Incomplete`);
5. the state change, the inputs and the time stamp, the version bump, the
   audit row (core.audit), the effects and the `transitioned` signal.

Anything that raises in 2-5 rolls the whole step back: no state change, no
audit row, no version bump, no effect.

Why not django-fsm-2 or viewflow.fsm: see docs/architecture.md, "Declared workflows".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import EventType, Outcome
from .refusals import OutOfScope
from .scoping import holds

# Sent inside the transaction of the step, after the audit row and the effects:
# sender=the model, instance, workflow, transition, actor, source, target.
# A receiver that raises rolls the step back; one that talks to the outside world
# should defer that work with transaction.on_commit.
transitioned = Signal()


# --- refusals ------------------------------------------------------------------------------------------


class StaleVersion(ValidationError):
    """A change based on a stale version (optimistic locking): nothing was written.

    `current` holds what is stored now (at least the version and the state), so
    a page can show the other person's values; `yours` is the version the caller saw.
    """

    def __init__(self, message: str, *, current: dict, yours: int | None = None):
        super().__init__(message, code="conflict")
        self.current = current
        self.yours = yours


class Incomplete(ValidationError):
    """A record that cannot move on yet; `missing` lists what is missing, one line each."""

    def __init__(self, message: str, *, missing: list[str]):
        super().__init__([message, *missing], code="incomplete")
        self.missing = missing


class NotAllowed(ValidationError):
    """A transition the table does not allow from the record's current state."""

    def __init__(self, message: str, *, state: str, allowed: list[str]):
        super().__init__(message, code="transition_not_allowed")
        self.state = state
        self.allowed = allowed


# --- the declaration -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """A value the caller gives with the transition, stored in the model field `name`.

    `required`: refused when empty, with `missing` as the line (default: "<label>: not given.").
    `default(step)`: the value when none is given. `audit`: the key under which the value
    goes into the audit row's `after` (None: not audited).
    """

    name: str
    required: bool = False
    label: Any = ""
    missing: Any = ""
    default: Callable[[Step], Any] | None = None
    audit: str | None = None


@dataclass(frozen=True)
class FileInput:
    """Files the caller gives with the transition under `name` (a list of uploads).

    The kit checks that a required one is there; storing them is the work of an effect
    (the attachment service), which finds them in `step.files[name]`.
    """

    name: str
    required: bool = True
    label: Any = ""
    missing: Any = ""


@dataclass(frozen=True)
class Transition:
    """One arrow of the diagram: `source` states → `target`, by a holder of `capability` over `unit`.

    `capability` may be a tuple: any one of them suffices. `unit` is the attribute path from the
    record to the unit the capability must be held over ("unit", "reviewer", "campaign.unit").
    `reason`: None (no reason asked; one given is still audited) or the prompt that completes
    "A reason is required: …"; `reason_field` stores it on the record. `checks` and `effects` are
    hook names (see `hook`); a check raises ValidationError or returns lines of what is missing.
    `stamp` is a datetime field set to the time of the step. `event` is the audit event type.
    `meta` is free for the app's hooks (e.g. the marks level a stale-version answer shows).
    """

    name: str
    source: tuple[str, ...]
    target: str
    capability: str | tuple[str, ...]
    event: str
    label: Any = ""
    unit: str | None = None
    reason: Any = None
    reason_field: str | None = None
    inputs: tuple[Input, ...] = ()
    files: tuple[FileInput, ...] = ()
    checks: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    stamp: str | None = None
    incomplete: Any = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def capabilities(self) -> tuple[str, ...]:
        return (self.capability,) if isinstance(self.capability, str) else tuple(self.capability)

    @property
    def reason_required(self) -> bool:
        return self.reason is not None


@dataclass
class Step:
    """What a check or an effect is given: the locked record and everything about this step."""

    workflow: Workflow
    transition: Transition
    obj: Any
    actor: Any
    source: str
    reason: str
    values: dict[str, Any]
    files: dict[str, list]
    now: datetime
    audit_after: dict[str, Any] = field(default_factory=dict)
    audit_row: Any = None


_HOOKS: dict[str, Callable[[Step], Any]] = {}


def hook(name: str):
    """Register a check or an effect under `name` ("<app>.<what>"); the declaration refers to it by name."""

    def register_hook(func):
        existing = _HOOKS.get(name)
        if existing is not None and existing is not func and existing.__qualname__ != func.__qualname__:
            raise ValueError(f"workflow hook {name!r} is already registered")
        _HOOKS[name] = func
        return func

    return register_hook


def hook_doc(name: str) -> str:
    """The first line of the hook's docstring (for the docs)."""
    doc = (_HOOKS[name].__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


class Workflow:
    """States and transitions of one model (see the module docstring)."""

    def __init__(
        self,
        name: str,
        *,
        model,
        states,
        transitions: Iterable[Transition],
        initial: str,
        state_field: str = "status",
        version_field: str = "version",
        unit: str = "unit",
        label: Any = "",
        select_related: tuple[str, ...] = (),
        stale_message: Any = None,
        current_values: Callable[[Any, Transition], dict] | None = None,
    ):
        self.name = name
        self.model = model
        self.states = states
        self.initial = initial
        self.state_field = state_field
        self.version_field = version_field
        self.unit = unit
        self.label = label
        self.select_related = select_related
        self.stale_message = stale_message
        self.current_values = current_values
        self.transitions: dict[str, Transition] = {}
        values = {str(v) for v in states.values}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"{name}: transition {t.name!r} is declared twice")
            for state in (*t.source, t.target):
                if str(state) not in values:
                    raise ValueError(f"{name}.{t.name}: {state!r} is not a state of {states.__name__}")
            self.transitions[t.name] = t
        if str(initial) not in values:
            raise ValueError(f"{name}: initial state {initial!r} is not a state")

    # --- reading the table -------------------------------------------------------------------------

    def state_label(self, state: str) -> str:
        return str(dict(self.states.choices).get(state, state))

    def allowed_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.source]

    def unit_of(self, obj, transition: Transition):
        target = obj
        for part in (transition.unit or self.unit).split("."):
            target = getattr(target, part)
        return target

    def may(self, actor, obj, name: str) -> bool:
        """Whether `actor` may perform `name` on `obj` now (state and scope; not the inputs): for buttons."""
        t = self.transitions[name]
        state = getattr(obj, self.state_field)
        return state in t.source and self._holds(actor, obj, t)

    def _holds(self, actor, obj, t: Transition) -> bool:
        if actor is None:  # the system (tasks, demo): no person to check
            return True
        unit = self.unit_of(obj, t)
        return any(holds(actor, capability, unit) for capability in t.capabilities)

    # --- the one call ------------------------------------------------------------------------------

    def perform(
        self,
        obj,
        name: str,
        *,
        actor,
        expected_version: int | None,
        reason: str = "",
        values: Mapping[str, Any] | None = None,
        files: Mapping[str, list] | None = None,
        audit_after: Mapping[str, Any] | None = None,
        now: datetime | None = None,
        locked: bool = False,
    ):
        """Perform transition `name` on `obj`; returns the record as stored after the step.

        `expected_version` is the version the caller saw (None only for a batch that holds the
        row lock already and passes `locked=True`). `values` fill the declared inputs, `files`
        the declared file inputs; `audit_after` adds to the audit row's `after`.
        """
        t = self.transitions.get(name)
        if t is None:
            raise ValueError(f"{self.name}: no transition {name!r}")
        if expected_version is None and not locked:
            raise ValueError(f"{self.name}.{name}: pass the version the caller saw (expected_version)")
        if not self._holds(actor, obj, t):
            self._refuse(actor, obj, t)
        values = dict(values or {})
        unknown = sorted(set(values) - {i.name for i in t.inputs})
        if unknown:
            raise ValidationError({key: _("This field cannot be changed here.") for key in unknown})
        with transaction.atomic():
            obj = obj if locked else self._lock(obj, expected_version, t)
            if not self._holds(actor, obj, t):  # re-checked on the row as stored now
                self._refuse(actor, obj, t)
            source = getattr(obj, self.state_field)
            if source not in t.source:
                raise self._not_allowed(obj, t, source)
            reason = (reason or "").strip()
            if t.reason_required and not reason:
                raise ValidationError({"reason": _("A reason is required: %(what)s") % {"what": t.reason}})
            step = Step(workflow=self, transition=t, obj=obj, actor=actor, source=source, reason=reason,
                        values=values, files={k: list(v or []) for k, v in (files or {}).items()},
                        now=now or timezone.now(), audit_after=dict(audit_after or {}))
            self._check(step)
            self._apply(step)
            for effect in t.effects:
                _HOOKS[effect](step)
            transitioned.send(sender=type(obj), instance=obj, workflow=self, transition=t, actor=actor,
                              source=source, target=t.target)
            return obj

    def _refuse(self, actor, obj, t: Transition):
        """The audited 404 of core.scoping: recorded now, and again after a rolled-back transaction."""
        refusal = {"actor": actor, "subject": obj,
                   "details": {"action": "/".join(t.capabilities), "transition": f"{self.name}.{t.name}",
                               "refusal": uuid.uuid4().hex}}
        audit.record_now(EventType.ACCESS_DENIED, outcome=Outcome.DENIED, **refusal)
        raise OutOfScope(refusal)

    def _lock(self, obj, expected_version: int | None, t: Transition):
        qs = type(obj)._default_manager.select_for_update(of=("self",))
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        row = qs.get(pk=obj.pk)
        current = getattr(row, self.version_field)
        if expected_version is not None and current != expected_version:
            message = self.stale_message or gettext_lazy(
                "Someone else changed this record in the meantime (version %(current)s, yours was %(yours)s). "
                "Nothing was saved.")
            values = {"version": current, self.state_field: getattr(row, self.state_field)}
            if self.current_values is not None:
                values = self.current_values(row, t)
            raise StaleVersion(str(message) % {"current": current, "yours": expected_version}, current=values,
                               yours=expected_version)
        return row

    def _not_allowed(self, obj, t: Transition, state: str) -> NotAllowed:
        allowed = self.allowed_from(state)
        names = [f"{x.label or x.name} (→ {self.state_label(x.target)})" for x in allowed]
        if names:
            message = _("“%(transition)s” is not possible while the record is “%(state)s”; from there the allowed "
                        "steps are: %(allowed)s.")
        else:
            message = _("“%(transition)s” is not possible while the record is “%(state)s”; no step leads on from "
                        "there.")
        return NotAllowed(message % {"transition": t.label or t.name, "state": self.state_label(state),
                                     "allowed": _("; ").join(str(n) for n in names)},
                          state=state, allowed=[x.name for x in allowed])

    def _check(self, step: Step) -> None:
        t = step.transition
        missing: list[str] = []
        for name in t.checks:
            missing += list(_HOOKS[name](step) or [])
        for i in t.inputs:
            value = step.values.get(i.name)
            if isinstance(value, str):
                value = value.strip()
            if value in (None, "") and i.default is not None:
                value = i.default(step)
            if i.required and value in (None, ""):
                missing.append(str(i.missing or _("%(field)s: not given.") % {"field": i.label or i.name}))
            step.values[i.name] = "" if value is None and self._is_text(i.name) else value
        for f in t.files:
            if f.required and not step.files.get(f.name):
                missing.append(str(f.missing or _("%(field)s: no file given.") % {"field": f.label or f.name}))
        if missing:
            heading = t.incomplete or _("“%(transition)s” cannot be done yet:") % {"transition": t.label or t.name}
            raise Incomplete(str(heading), missing=missing)

    def _is_text(self, name: str) -> bool:
        model_field = self.model._meta.get_field(name)
        return model_field.get_internal_type() in ("CharField", "TextField") and not model_field.null

    def _apply(self, step: Step) -> None:
        t, obj = step.transition, step.obj
        changed = [self.state_field, self.version_field]
        setattr(obj, self.state_field, t.target)
        after = {self.state_field: t.target}
        for i in t.inputs:
            setattr(obj, i.name, step.values[i.name])
            changed.append(i.name)
            if i.audit:
                after[i.audit] = step.values[i.name]
        if t.reason_field:
            setattr(obj, t.reason_field, step.reason)
            changed.append(t.reason_field)
        if t.stamp:
            setattr(obj, t.stamp, step.now)
            changed.append(t.stamp)
        setattr(obj, self.version_field, getattr(obj, self.version_field) + 1)
        obj.save(update_fields=changed)
        step.audit_row = audit.record(
            t.event, actor=step.actor, actor_name=None if step.actor else "system", subject=obj,
            reason=step.reason, before={self.state_field: step.source}, after={**after, **step.audit_after},
            details={"transition": f"{self.name}.{t.name}"},
        )


# --- the registry --------------------------------------------------------------------------------------

_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Add an app's workflow (called from AppConfig.ready()); every hook it names must exist by then."""
    for t in workflow.transitions.values():
        for name in (*t.checks, *t.effects):
            if name not in _HOOKS:
                raise ValueError(f"{workflow.name}.{t.name}: no workflow hook named {name!r}")
    existing = _REGISTRY.get(workflow.name)
    if existing is not None and existing.model is not workflow.model:
        raise ValueError(f"workflow {workflow.name!r} is already registered for {existing.model.__name__}")
    _REGISTRY[workflow.name] = workflow
    return workflow


def registered() -> list[Workflow]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get(name: str) -> Workflow:
    return _REGISTRY[name]
