from __future__ import annotations

from django import forms


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget of a form the Bootstrap class it needs and mark invalid fields."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = css
    return form


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def full_clean(self):
        super().full_clean()
        bootstrap(self)
