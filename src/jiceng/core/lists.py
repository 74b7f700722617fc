"""One list helper for every ledger list page: filters, sort, pagination and the export of exactly what is shown.

A list is declared once, as a `Listing`:

    STAFF = Listing(
        kind="staff",                        # its registered export kind (core.tabular.exporting)
        title="人员名单", sheet_name="人员",
        columns=[ListColumn(Column("姓名", "name", export=lambda s: s.name), sort=("name",)), ...],
        filter_form=StaffFilterForm,         # a plain Django form; its cleaned data are the filters
        rows=lambda user, filters: selectors.staff_list(user, filters=filters),   # the scoped selector
    )
    register_listing(STAFF)

The page (`listing.page(request)`) and the export (`build_export(kind, user, filters)`,
served by `export_response`) take the same filters through the same scoped
selector and the same column list: the page shows each column's header and
its `export` value, so the workbook has exactly the page's columns and the
filtered rows, in the page's order. The sort is one of the columns' declared
orderings (`?sort=name`, `?sort=-name`); an unknown key is ignored with a
message, never a 500, and the primary key always ends the ordering so that
pages and exports agree. Pages are Django's `Paginator` (`?page=`, a bad
number gives the nearest page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from .tabular import Column
from .tabular.exporting import ExportSpec, clean_filters, register_export

SORT = "sort"
PAGE = "page"


@dataclass(frozen=True)
class ListColumn:
    """A column of a list: the sheet column (header, cell value, width) and how the page sorts on it."""

    column: Column
    sort: tuple[str, ...] | None = None  # the ORM ordering for this column; None: not sortable
    link: Callable[[Any], str] | None = None  # the row's page, for the cell's link

    @property
    def key(self) -> str:
        return self.column.field

    @property
    def header(self) -> str:
        return str(self.column.header)


@dataclass
class Sort:
    key: str = ""
    descending: bool = False
    refused: str = ""  # an unknown key the request gave, shown as a message

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending and self.key else self.key


@dataclass
class Header:
    label: str
    key: str
    sortable: bool
    active: bool
    descending: bool
    querystring: str  # the filters with this column's next sort, without the page


@dataclass
class ListPage:
    """What a list template shows: the filter form, the headers with their sort links, one page of rows."""

    listing: Listing
    form: forms.Form
    filters: dict[str, Any]
    sort: Sort
    headers: list[Header]
    page: Any
    rows: list[tuple[Any, list[tuple[Any, str]]]]  # (object, [(cell value, link or "")])
    querystring: str  # filters and sort, without the page (for the pagination links)
    export_querystring: str  # filters and sort, for the export link
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Listing:
    kind: str
    title: str
    sheet_name: str
    columns: Sequence[ListColumn]
    rows: Callable[[Any, dict[str, Any]], Any]  # (user, filters) -> the scoped, filtered queryset
    filter_form: type[forms.Form] | None = None
    default_sort: tuple[str, ...] = ()  # the selector's own order when no sort is asked for
    per_page: int = 25
    # (user) -> row_of(obj) -> cells, for lists whose cells need more than the object (read once per list).
    row_of_for: Callable[[Any], Callable[[Any], Sequence[Any]]] | None = None
    scope: Callable[[Any], Sequence[str]] | None = None  # (user) -> the subtrees the rows come from

    # --- the filters and the sort, from a request's GET or an export's stored filters -------------------

    def bind(self, data) -> tuple[forms.Form | None, dict[str, Any], list[str]]:
        """The filter form over `data`, its cleaned filters (blank ones dropped) and any refusal messages."""
        if self.filter_form is None:
            return None, {}, []
        form = self.filter_form(data or None)
        if not data:
            return form, {}, []
        if form.is_valid():
            return form, clean_filters(form.cleaned_data), []
        # An invalid field is dropped with its error shown; the valid ones still filter.
        kept = {name: form.cleaned_data[name] for name in form.cleaned_data if name not in form.errors}
        refused = [
            _("Filter “%(field)s” ignored: %(error)s") % {"field": form.fields[name].label or name, "error": " ".join(errors)}
            for name, errors in form.errors.items() if name in form.fields
        ]
        return form, clean_filters(kept), refused

    def sort_of(self, value: str | None) -> Sort:
        value = (value or "").strip()
        if not value:
            return Sort()
        descending = value.startswith("-")
        key = value[1:] if descending else value
        column = next((c for c in self.columns if c.key == key), None)
        if column is None or column.sort is None:
            return Sort(refused=value)
        return Sort(key, descending)

    def ordering(self, sort: Sort) -> list[str] | None:
        """The ORM ordering for `sort` (ending in the primary key), or None to keep the selector's own."""
        if not sort.key:
            return None
        column = next(c for c in self.columns if c.key == sort.key)
        flip = (lambda f: f[1:] if f.startswith("-") else f"-{f}") if sort.descending else (lambda f: f)
        return [flip(f) for f in column.sort] + [flip("pk")]

    def queryset(self, user, filters: dict[str, Any]):
        """The rows for `user` under `filters` (which may carry the sort, as an export's stored filters do)."""
        filters = dict(filters)
        sort = self.sort_of(filters.pop(SORT, ""))
        qs = self.rows(user, filters)
        ordering = self.ordering(sort)
        return qs.order_by(*ordering) if ordering else qs

    # --- the page and the export ---------------------------------------------------------------------------

    def page(self, request, *, keep: Sequence[str] = ()) -> ListPage:
        """One page of the list for `request` (GET: the filters, `sort`, `page`; `keep`: other parameters of the
        page, such as a tab, carried in the sort and page links but not into the filters or the export)."""
        form, filters, messages = self.bind(request.GET)
        kept = {name: request.GET[name] for name in keep if request.GET.get(name)}
        sort = self.sort_of(request.GET.get(SORT))
        if sort.refused:
            messages.append(_("Unknown sort “%(key)s” ignored; the list is in its default order.") % {"key": sort.refused})
        with_sort = {**filters, SORT: sort.param} if sort.param else dict(filters)
        qs = self.queryset(request.user, with_sort)
        page = Paginator(qs, self.per_page).get_page(request.GET.get(PAGE))
        row_of = self._row_of(request.user)
        rows = []
        for obj in page:
            links = [c.link(obj) if c.link else "" for c in self.columns]
            rows.append((obj, list(zip(row_of(obj), links, strict=True))))
        return ListPage(
            listing=self,
            form=form,
            filters=filters,
            sort=sort,
            headers=self._headers({**kept, **filters}, sort),
            page=page,
            rows=rows,
            querystring=_encode({**kept, **with_sort}),
            export_querystring=_encode(with_sort),
            messages=messages,
        )

    def export_filters(self, data) -> dict[str, Any]:
        """The filters and the sort an export link carries (invalid ones dropped), as the export stores them."""
        _form, filters, _refused = self.bind(data)
        sort = self.sort_of(data.get(SORT))
        return {**filters, SORT: sort.param} if sort.param else filters

    def export_spec(self, user, filters: dict[str, Any]) -> ExportSpec:
        """The export of the list as shown: the same columns, the same scoped rows, the same order."""
        form, cleaned, _refused = self.bind({k: v for k, v in filters.items() if k != SORT})
        sort = self.sort_of(filters.get(SORT))
        with_sort = {**cleaned, SORT: sort.param} if sort.param else cleaned
        return ExportSpec(
            title=self.title,
            sheet_name=self.sheet_name,
            columns=[c.column for c in self.columns],
            queryset=self.queryset(user, with_sort),
            row_of=self._row_of(user) if self.row_of_for else None,
            scope=list(self.scope(user)) if self.scope else (),
        )

    def _row_of(self, user) -> Callable[[Any], Sequence[Any]]:
        if self.row_of_for is not None:
            return self.row_of_for(user)
        columns = [c.column for c in self.columns]
        return lambda obj: [column.export(obj) for column in columns]

    def _headers(self, filters: dict[str, Any], sort: Sort) -> list[Header]:
        headers = []
        for column in self.columns:
            active = sort.key == column.key
            following = f"-{column.key}" if active and not sort.descending else column.key
            headers.append(Header(
                label=column.header,
                key=column.key,
                sortable=column.sort is not None,
                active=active,
                descending=active and sort.descending,
                querystring=_encode({**filters, SORT: following}),
            ))
        return headers


def _encode(params: dict[str, Any]) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value in ("", None):
            continue
        query[key] = "1" if value is True else ("" if value is False else str(value))
    return query.urlencode()


_LISTINGS: dict[str, Listing] = {}


def register_listing(listing: Listing) -> Listing:
    """Register the list, and its export under the list's kind (the builder rebuilds it from stored filters)."""
    _LISTINGS[listing.kind] = listing

    def build(user, filters, _listing=listing):
        return _listing.export_spec(user, filters)

    build.__qualname__ = f"listing_{listing.kind}"
    build.__module__ = __name__
    register_export(listing.kind, build)
    return listing


def listing(kind: str) -> Listing:
    return _LISTINGS[kind]
