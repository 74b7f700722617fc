"""`{% load pii %}`: personal data is shown masked by default (`{{ staff.phone|mask_phone }}`)."""

from django import template

from jiceng.core import pii

register = template.Library()


@register.filter
def mask_phone(value) -> str:
    return pii.mask_phone(value)


@register.filter
def mask_id_number(value) -> str:
    return pii.mask_id_number(value)
