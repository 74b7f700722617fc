import json

from django import template

register = template.Library()


@register.filter
def as_json(value) -> str:
    """Before/after values of an audit record as readable JSON (Chinese kept as characters)."""
    if value in (None, "", {}):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


def _flat(value, prefix: str = "") -> dict[str, object]:
    """A nested dict as {"a.b": leaf}; a non-dict value as {prefix: value}."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(_show(v) for v in value) or "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@register.filter
def changes(event) -> list[dict[str, str]]:
    """An audit record's before and after as readable lines: [{"field", "before", "after"}], one per field that
    either side names (nested values by dotted name), fields that did not change left out when both sides have
    them."""
    before = event.before if isinstance(event.before, dict) else ({"": event.before} if event.before else {})
    after = event.after if isinstance(event.after, dict) else ({"": event.after} if event.after else {})
    old, new = _flat(before), _flat(after)
    lines = []
    for field in sorted(set(old) | set(new)):
        if field in old and field in new and old[field] == new[field]:
            continue
        lines.append({"field": field, "before": _show(old.get(field)) if field in old else "",
                      "after": _show(new.get(field)) if field in new else ""})
    return lines
