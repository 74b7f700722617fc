from django import template

register = template.Library()


@register.filter
def field(form, name):
    """form|field:"score_1.1" — a bound field by a computed name (item ids hold dots)."""
    try:
        return form[name]
    except KeyError:
        return ""


@register.filter
def prefixed(prefix, item_id):
    return f"{prefix}_{item_id}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def score(value):
    """A score without trailing zeros: 3, 1.5, 0.75."""
    if value is None or value == "":
        return ""
    return format(value.normalize(), "f") if hasattr(value, "normalize") else value
