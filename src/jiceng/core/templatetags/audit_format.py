import json

from django import template

register = template.Library()


@register.filter
def as_json(value) -> str:
    """Before/after values of an audit record as readable JSON (Chinese kept as characters)."""
    if value in (None, "", {}):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
