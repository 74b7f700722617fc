"""Who handles a case: resolvers registered by dotted path, the receiver by default (首问负责).

    register_resolver("jiceng.staffing.routing.ab_post_handler")
    handler_for(unit, item, received_by) -> user

A resolver is ``f(unit, item, received_by) -> user | None``; the first that names someone wins,
in the order registered. With none, or none answering, the window staff who received the case
handles it.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

_RESOLVERS: list[str] = []


def register_resolver(path: str) -> None:
    """Add a resolver (called from an AppConfig.ready()); registering the same path again is harmless."""
    if path not in _RESOLVERS:
        _RESOLVERS.append(path)


def unregister_resolver(path: str) -> None:
    if path in _RESOLVERS:
        _RESOLVERS.remove(path)


def resolvers() -> list[str]:
    return list(_RESOLVERS)


def handler_for(unit, item, received_by):
    """The user who handles a new case of ``item`` received by ``received_by`` at ``unit``."""
    for path in _RESOLVERS:
        user = import_string(path)(unit, item, received_by)
        if user is not None:
            return user
    return received_by
