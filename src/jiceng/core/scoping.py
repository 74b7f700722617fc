"""The one scoping mechanism: every query of unit data goes through here.

A user is a member of units with roles (accounts.Membership). A role grants
actions ("view", "edit", ...). A record is visible to a user when the unit it
belongs to lies in the subtree of a unit where the user holds a role granting
"view"; editable likewise with "edit". Subtrees are materialised paths, so the
check is one indexed `path LIKE 'prefix%'` per membership, on SQLite and
PostgreSQL alike.

Models opt in by using `ScopedQuerySet` and naming the lookup to their unit's
path in `scope_path_lookup` ("path" for the unit itself, "unit__path" for
records owned by a unit). A unit-owned model derives from `core.models.UnitOwned`,
which sets both from its `unit_field`. Reads go through
`Model.objects.restrict(user, action)`; a model whose scope runs through more
than its own unit (a submission is also read by its auditing unit) declares
`scope_rules` (see `rules_for`). `holds(user, action, unit)` is the single check
for a unit in hand, `allows(user, action, obj)` for a record in hand; both are
the in-memory twins of `restrict` and agree with it row for row
(tests/core/test_restrict.py).

The few questions that are not about one row also live here, so that no other
module compares paths by hand (tests/core/test_one_scoping.py greps for that):
`may_any(user, action)` (holds `action` somewhere: the API's and the create
forms' emptiness check), `subtree_paths(user, action)` (the roots of the
user's subtrees, as an export records them), `covers(current, written)`
(whether one set of subtrees still includes another) and
`common_ancestor_path(paths, steplen)` (the lowest unit above some paths).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW = "view"
EDIT = "edit"


def subtree_paths(user, action: str) -> list[str]:
    """The paths of the tops of the user's subtrees for `action` ([] for an anonymous or inactive user).

    The one reader of `User.scope_paths`: every other check below starts here.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    return user.scope_paths(action)


def may_any(user, action: str) -> bool:
    """Whether the user holds `action` on at least one subtree (restrict(user, action) can return rows)."""
    return bool(subtree_paths(user, action))


def _under(path: str, roots) -> bool:
    return any(path.startswith(root) for root in roots)


def within(unit, ancestor) -> bool:
    """Whether `unit` lies in `ancestor`'s subtree (itself included): a tree fact, not a right."""
    return _under(unit.path, (ancestor.path,))


def related(a, b) -> bool:
    """Whether one of two units lies in the other's subtree (a person of a township works for its centre)."""
    return within(a, b) or within(b, a)


def covers(current, written) -> bool:
    """Whether the subtrees `current` (paths of their tops) still include every subtree `written`.

    `written` None means unknown, so no. Used to re-check a file written earlier against
    the scope its owner has now.
    """
    if written is None:
        return False
    return all(_under(path, current) for path in written)


def common_ancestor_path(paths, steplen: int) -> str:
    """The path of the lowest unit above (or equal to) every one of `paths` ("" when none is common)."""
    if not paths:
        return ""
    prefix = min(paths)
    for path in paths:
        while not path.startswith(prefix):
            prefix = prefix[:-steplen]
    return prefix[: len(prefix) - len(prefix) % steplen]


def scope_q(user, action: str, lookup: str) -> Q | None:
    """A Q restricting `lookup` (a path) to the user's subtrees for `action`, or None for nothing."""
    paths = subtree_paths(user, action)
    if not paths:
        return None
    q = Q()
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def holds(user, action: str, unit) -> bool:
    """Whether `unit` lies in one of the user's subtrees for `action` (a single check, no query).

    The in-memory twin of `scope_q`, for a unit already in hand: the same memberships and the same
    materialised-path prefix rule, so the two can never disagree.
    """
    if unit is None:
        return False
    return _under(unit.path, subtree_paths(user, action))


def rules_for(model, action: str) -> list[tuple[str, str]]:
    """The (capability, path lookup) pairs that open `model`'s rows for `action`.

    By default one pair: the action itself on the model's own unit
    (`scope_path_lookup`). A model lists other pairs in `scope_rules`
    ({action: [(capability, path lookup), ...]}): a row is open when any pair
    holds. Actions the model does not list keep the default.
    """
    rules = getattr(model, "scope_rules", None) or {}
    return list(rules.get(action) or [(action, model.scope_path_lookup)])


def restrict_q(model, user, action: str) -> Q | None:
    """The Q of `model`'s rows open to `user` for `action`, or None for none at all."""
    out = None
    for capability, lookup in rules_for(model, action):
        q = scope_q(user, capability, lookup)
        if q is not None:
            out = q if out is None else out | q
    return out


def _path_of(obj, lookup: str) -> str | None:
    """Follow a path lookup ("unit__path", "path") on an object in hand."""
    value = obj
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def allows(user, action: str, obj) -> bool:
    """Whether the record `obj` is open to `user` for `action` (no query beyond loading its units).

    The in-memory twin of `restrict`: the same rules, each checked as `holds` checks a unit.
    """
    if obj is None:
        return False
    for capability, lookup in rules_for(type(obj), action):
        path = _path_of(obj, lookup)
        if path is not None and _under(path, subtree_paths(user, capability)):
            return True
    return False


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        """The rows `user` may reach for `action` (a capability constant): the one scoped read."""
        q = restrict_q(self.model, user, action)
        if q is None:
            return self.none()
        return self.filter(q)

    def _restrict(self, user, action: str):  # kept for callers written before `restrict`
        return self.restrict(user, action)

    def visible_to(self, user):
        """Records in the subtrees where the user may view business data (`restrict(user, VIEW)`)."""
        return self.restrict(user, VIEW)

    def editable_by(self, user):
        """Records in the subtrees where the user may change business data (`restrict(user, EDIT)`)."""
        return self.restrict(user, EDIT)

    def scope_roots(self, user, action: str = VIEW):
        """The rows whose unit is the top of one of the user's subtrees for `action` (the tree's entry points)."""
        return self.filter(**{f"{self.model.scope_path_lookup}__in": subtree_paths(user, action)})

    def within(self, unit):
        """The rows in `unit`'s subtree (the unit and everything below it); no scope by itself."""
        return self.filter(**{f"{self.model.scope_path_lookup}__startswith": unit.path})


def assert_in_scope(obj, user, action: str = EDIT) -> None:
    """Re-check after a write, inside the transaction: the record must still be in scope.

    Raises Http404 so that the caller's transaction rolls back; a user cannot
    move a record out of their own subtree.
    """
    if not type(obj)._default_manager.all().restrict(user, action).filter(pk=obj.pk).exists():
        raise Http404
