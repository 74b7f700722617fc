"""/api/v1 endpoints for units and staff: thin, scoped like the web UI, writing through org.services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from jiceng.api.auth import business_user
from jiceng.api.common import MAX_COUNT, NUL_FREE, Id, Input, Page, omittable, omittable_text, page_of, text
from jiceng.api.errors import ERROR_RESPONSES
from jiceng.core.pii import mask_id_number, mask_phone
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import EDIT, VIEW, may_any

from . import selectors, services
from .models import (
    Education,
    EmploymentType,
    EstablishmentLevel,
    Gender,
    OfficeType,
    PoliticalStatus,
    Post,
    Staff,
    Unit,
    UnitKind,
)

router = Router()


def _not_a_choice(field: str) -> ValidationError:
    # Django's own message id, so its catalogue already has the Chinese text.
    return ValidationError({field: _("Select a valid choice. That choice is not one of the available choices.")})


# --- units ----------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    depth: int
    parent_id: int | None = Field(description="The parent unit, when the caller may see it.")
    address: str
    phone: str
    office_type: OfficeType | Literal[""]
    establishment_level: EstablishmentLevel | Literal[""]
    authorised_posts: int | None
    floor_area: float | None
    has_meeting_room: bool
    has_petition_room: bool
    vehicles: int
    has_copier: bool
    has_fax: bool
    has_camera: bool
    computers: int
    networked: bool
    editable: bool = Field(description="Whether the caller may change this unit's facts.")


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class UnitFilters(Page):
    kind: UnitKind | None = None
    parent: str = text(32, "", description="Code of a unit: only its direct children.")
    q: str = text(100, "", description="Part of the name or code.")


class UnitPatch(Input):
    """Facts of a unit; send only the ones to change. The tree itself (kind, code, parent) is not changed here."""

    name: str = omittable_text(100, min_length=1)
    address: str = omittable_text(200)
    phone: str = omittable_text(32)
    office_type: OfficeType | Literal[""] = omittable()
    establishment_level: EstablishmentLevel | Literal[""] = omittable()
    authorised_posts: int | None = omittable(ge=0, le=MAX_COUNT)
    floor_area: Decimal | None = omittable(ge=0, max_digits=8, decimal_places=1)
    has_meeting_room: bool = omittable()
    has_petition_room: bool = omittable()
    vehicles: int = omittable(ge=0, le=MAX_COUNT)
    has_copier: bool = omittable()
    has_fax: bool = omittable()
    has_camera: bool = omittable()
    computers: int = omittable(ge=0, le=MAX_COUNT)
    networked: bool = omittable()
    reason: str = text(200, "", description="Why the change is made; kept in the audit trail.")


def _units_out(user, units) -> list[dict]:
    """Units with their visible parent and whether the caller may edit them: two queries for any number."""
    units = list(units)
    parent_paths = {u.path[: -Unit.steplen] for u in units if u.depth > 1}
    parents = dict(Unit.objects.visible_to(user).filter(path__in=parent_paths).values_list("path", "pk"))
    editable = set(Unit.objects.editable_by(user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    return [
        {
            **{name: getattr(unit, name) for name in UnitOut.model_fields if hasattr(unit, name)},
            "parent_id": parents.get(unit.path[: -Unit.steplen]),
            "editable": unit.pk in editable,
        }
        for unit in units
    ]


@router.get("/units/", response={200: UnitPage, **ERROR_RESPONSES}, tags=["units"], url_name="unit_list")
def unit_list(request, filters: Query[UnitFilters]):
    """Units the caller may see, in tree order."""
    user = business_user(request)
    units = Unit.objects.visible_to(user)
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.parent:
        parent = Unit.objects.visible_to(user).filter(code=filters.parent).first()
        if parent is None:
            raise _not_a_choice("parent")
        units = units.within(parent).filter(depth=parent.depth + 1)
    if filters.q:
        units = units.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    return page_of(units, filters, lambda rows: _units_out(user, rows))


@router.get("/units/{id}", response={200: UnitOut, **ERROR_RESPONSES}, tags=["units"], url_name="unit_detail")
def unit_detail(request, id: Path[Id]):
    user = business_user(request)
    unit = get_scoped_or_404(Unit.objects.all(), user, VIEW, pk=id)
    return _units_out(user, [unit])[0]


def _editable_or_403(model, user, obj) -> None:
    # Visible (the caller found it) but outside the editable scope: saying so is
    # no leak, and a 403 tells a read-only integration what is wrong.
    if not model.objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("Your role does not allow changing this record."))


@router.patch("/units/{id}", response={200: UnitOut, **ERROR_RESPONSES}, tags=["units"], url_name="unit_update")
def unit_update(request, id: Path[Id], payload: UnitPatch):
    """Change facts of a unit (those the standards card counts). Audited with the reason."""
    user = business_user(request)
    unit = get_scoped_or_404(Unit.objects.all(), user, VIEW, pk=id)
    _editable_or_403(Unit, user, unit)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    unit = services.unit_update(actor=user, unit=unit, changes=changes, reason=reason)
    return _units_out(user, [Unit.objects.visible_to(user).get(pk=unit.pk)])[0]


# --- staff ----------------------------------------------------------------------


class StaffOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    gender: Gender
    birth_date: date | None
    education: Education
    political_status: PoliticalStatus
    employment_type: EmploymentType
    establishment_unit_id: int | None
    post: Post
    post_start: date | None
    phone_masked: str = Field(description="Masked; POST …/unmask to see it in full (audited).")
    id_number_masked: str = Field(description="Masked; POST …/unmask to see it in full (audited).")
    active: bool
    editable: bool = Field(description="Whether the caller may change or delete this record.")


class StaffPage(Schema):
    count: int
    items: list[StaffOut]


class StaffFilters(Page):
    unit: Id | None = Field(None, description="A unit id: staff of that unit and the units below it.")
    post: Post | None = None
    education: Education | None = None
    employment_type: EmploymentType | None = None
    q: str = text(100, "", description="Part of the person's or the unit's name.")
    include_inactive: bool = Field(False, description="Also list people no longer active.")


class StaffIn(Input):
    unit: Id = Field(description="Id of the unit the person works in (one the caller may edit).")
    name: str = text(50, min_length=1)
    gender: Gender
    birth_date: date | None = None
    education: Education
    political_status: PoliticalStatus = PoliticalStatus.MASSES
    employment_type: EmploymentType
    establishment_unit: Id | None = Field(None, description="Id of the unit whose authorised post the person holds.")
    post: Post
    post_start: date | None = None
    phone: str = text(20, "", description="Mainland mobile number, or empty.")
    id_number: str = text(30, "", description="18-character ID-card number, or empty.")
    active: bool = True


class StaffPatch(Input):
    """Fields of a staff record; send only the ones to change."""

    unit: Id = omittable()
    name: str = omittable_text(50, min_length=1)
    gender: Gender = omittable()
    birth_date: date | None = omittable()
    education: Education = omittable()
    political_status: PoliticalStatus = omittable()
    employment_type: EmploymentType = omittable()
    establishment_unit: Id | None = omittable()
    post: Post = omittable()
    post_start: date | None = omittable()
    phone: str = omittable_text(20)
    id_number: str = omittable_text(30)
    active: bool = omittable()
    reason: str = text(200, "", description="Why the change is made; kept in the audit trail.")


class UnmaskIn(Input):
    field: Literal["id_number", "phone"]
    reason: str = text(500, description="Why the value is needed in full; kept in the audit trail.")


class UnmaskOut(Schema):
    field: Literal["id_number", "phone"]
    value: str


def _staff_out(user, people) -> list[dict]:
    people = list(people)
    editable = set(Staff.objects.editable_by(user).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    return [
        {
            "id": p.pk,
            "unit_id": p.unit_id,
            "unit_name": p.unit.name,
            "name": p.name,
            "gender": p.gender,
            "birth_date": p.birth_date,
            "education": p.education,
            "political_status": p.political_status,
            "employment_type": p.employment_type,
            "establishment_unit_id": p.establishment_unit_id,
            "post": p.post,
            "post_start": p.post_start,
            "phone_masked": mask_phone(p.phone),
            "id_number_masked": mask_id_number(p.id_number),
            "active": p.active,
            "editable": p.pk in editable,
        }
        for p in people
    ]


def _unit_choice(user, pk: int, field: str, action: str) -> Unit:
    """A unit named in a request body: within the caller's scope, else a validation error on that field."""
    units = Unit.objects.editable_by(user) if action == EDIT else Unit.objects.visible_to(user)
    unit = units.filter(pk=pk).first()
    if unit is None:
        raise _not_a_choice(field)
    return unit


def _resolve_units(user, data: dict) -> dict:
    if "unit" in data:
        data["unit"] = _unit_choice(user, data["unit"], "unit", EDIT)
    if data.get("establishment_unit") is not None:
        data["establishment_unit"] = _unit_choice(user, data["establishment_unit"], "establishment_unit", VIEW)
    return data


def _staff_one(user, pk: int) -> dict:
    return _staff_out(user, [Staff.objects.select_related("unit").get(pk=pk)])[0]


@router.get("/staff/", response={200: StaffPage, **ERROR_RESPONSES}, tags=["staff"], url_name="staff_list")
def staff_list(request, filters: Query[StaffFilters]):
    """Staff the caller may see; ID numbers and phones masked."""
    user = business_user(request)
    below = None
    if filters.unit is not None:
        below = Unit.objects.visible_to(user).filter(pk=filters.unit).first()
        if below is None:
            raise _not_a_choice("unit")
    wanted = {
        "q": filters.q,
        "post": filters.post,
        "education": filters.education,
        "employment_type": filters.employment_type,
        "active": "" if filters.include_inactive else "1",
    }
    people = selectors.staff_list(user, unit=below, filters=wanted)
    return page_of(people, filters, lambda rows: _staff_out(user, rows))


@router.post("/staff/", response={201: StaffOut, **ERROR_RESPONSES}, tags=["staff"], url_name="staff_create")
def staff_create(request, payload: StaffIn):
    """Add a person to a unit the caller may edit."""
    user = business_user(request)
    if not may_any(user, EDIT):
        raise PermissionDenied(_("Your role does not allow changing this record."))
    data = _resolve_units(user, payload.model_dump())
    unit = data.pop("unit")
    staff = services.staff_create(actor=user, unit=unit, **data)
    return Status(201, _staff_one(user, staff.pk))


@router.get("/staff/{id}", response={200: StaffOut, **ERROR_RESPONSES}, tags=["staff"], url_name="staff_detail")
def staff_detail(request, id: Path[Id]):
    user = business_user(request)
    staff = get_scoped_or_404(Staff.objects.select_related("unit"), user, VIEW, pk=id)
    return _staff_out(user, [staff])[0]


@router.patch("/staff/{id}", response={200: StaffOut, **ERROR_RESPONSES}, tags=["staff"], url_name="staff_update")
def staff_update(request, id: Path[Id], payload: StaffPatch):
    """Change a staff record; moving it is allowed only to a unit the caller may edit."""
    user = business_user(request)
    staff = get_scoped_or_404(Staff.objects.all(), user, VIEW, pk=id)
    _editable_or_403(Staff, user, staff)
    changes = _resolve_units(user, payload.model_dump(exclude_unset=True))
    reason = changes.pop("reason", "")
    services.staff_update(actor=user, staff=staff, changes=changes, reason=reason)
    return _staff_one(user, staff.pk)


@router.delete("/staff/{id}", response={204: None, **ERROR_RESPONSES}, tags=["staff"], url_name="staff_delete")
def staff_delete(request, id: Path[Id], reason: str = Query("", max_length=200, pattern=NUL_FREE)):
    """Remove a staff record (audited with its last values and the reason)."""
    user = business_user(request)
    staff = get_scoped_or_404(Staff.objects.all(), user, VIEW, pk=id)
    _editable_or_403(Staff, user, staff)
    services.staff_delete(actor=user, staff=staff, reason=reason)
    return Status(204, None)


@router.post(
    "/staff/{id}/unmask", response={200: UnmaskOut, **ERROR_RESPONSES}, tags=["staff"], url_name="staff_unmask"
)
def staff_unmask(request, id: Path[Id], payload: UnmaskIn, response: HttpResponse):
    """One person's ID number or phone in full. Needs the unmasking role and a reason; always audited."""
    user = business_user(request)
    staff = get_scoped_or_404(Staff.objects.all(), user, VIEW, pk=id)
    value = services.staff_unmask(actor=user, staff=staff, field=payload.field, reason=payload.reason)
    # Personal data must not linger in proxies or the browser cache.
    response["Cache-Control"] = "no-store"
    return {"field": payload.field, "value": value}
