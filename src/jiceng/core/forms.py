from __future__ import annotations

from django import forms


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget of a form the Bootstrap class it needs and mark invalid fields."""
    # `_errors`, not `errors`: reading `errors` would validate the form, and when
    # this runs from __init__ that happens before a subclass has narrowed its
    # querysets to the user's scope, caching a validation against every unit.
    errors = form._errors or {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if name in errors:
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
