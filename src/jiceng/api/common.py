"""Building blocks shared by every app's API schemas."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

# PostgreSQL refuses NUL in text, and no person types one: a string field
# rejects it up front (a 422 naming the field) instead of failing in the database.
NUL_FREE = r"^[^\x00]*$"
# The largest id a path or filter may name: a 64-bit key, so a bigger number is
# a validation error rather than an overflow in the database driver.
MAX_ID = 2**63 - 1
# PositiveIntegerField's range on every supported database.
MAX_COUNT = 2**31 - 1


def text(max_length: int, default: Any = ..., *, min_length: int = 0, **kwargs: Any):
    """A free-text field: bounded, and free of NUL characters."""
    return Field(default, max_length=max_length, min_length=min_length or None, pattern=NUL_FREE, **kwargs)


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def omittable(**kwargs: Any):
    """A field a PATCH may leave out; when present it must be valid (null only if its type allows null)."""
    return Field(None, json_schema_extra=_no_default, **kwargs)


def omittable_text(max_length: int, *, min_length: int = 0):
    return omittable(max_length=max_length, min_length=min_length or None, pattern=NUL_FREE)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(Schema):
    """A request body: unknown fields are an error (a typo must not be silently ignored),
    and text is trimmed as the web forms trim it."""

    model_config = {"extra": "forbid", "str_strip_whitespace": True}


class Page(Schema):
    """limit/offset paging of a list; `count` in the answer is the total without paging."""

    limit: int = Field(50, ge=1, le=200, description="How many items to return (at most 200).")
    offset: int = Field(0, ge=0, le=MAX_COUNT, description="How many items to skip.")


def page_of(queryset, page: Page, render_many) -> dict:
    """One page of a queryset: `render_many` turns the page's rows into output dicts in one go (no N+1)."""
    return {"count": queryset.count(), "items": render_many(queryset[page.offset : page.offset + page.limit])}
