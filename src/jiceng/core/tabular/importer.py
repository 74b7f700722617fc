"""All-or-nothing import of a sheet of records, declared once per model.

A subclass declares the model, the sheet's columns (Chinese headers, parsers)
and the natural key that says which existing record a row is. `run()` then:

1. checks the upload (size, zip bomb, is it an xlsx) without opening it;
2. reads the sheet with python-calamine and checks the header row;
3. parses every row, collecting every error (sheet, row, column, reason)
   and duplicates of the natural key inside the file;
4. in one transaction: finds the existing records by natural key, refuses a
   row whose record lies outside the importer's scope (a duplicate against
   the database), creates and updates in batches, and writes ONE audit record
   naming the file, its SHA-256, the counts and every changed field of every
   updated record (masked where the field masks its audit value).

Nothing is saved when any error is found; a dry run does all of it, then rolls
back. Subclasses supply the lookups (`prepare`, `fetch_existing`,
`may_update`) and may add cross-column checks (`clean_row`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from jiceng.core import audit
from jiceng.core.models import EventType

from .bulk import fast_insert, fast_update
from .columns import Column, _as_text, is_blank
from .upload import UploadRejected, check_xlsx, sha256_of


@dataclass(frozen=True)
class RowError:
    """One reason a file was refused. `row` is the Excel row number (0: the file itself)."""

    sheet: str
    row: int
    column: str
    message: str
    col_index: int | None = None

    def line(self) -> str:
        """The command line's form: `[人员] Row 3 身份证号: Wrong check digit.` (Chinese with the catalogue)."""
        if self.row == 0:
            return self.message
        if self.column:
            return _("[%(sheet)s] Row %(row)d %(column)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("[%(sheet)s] Row %(row)d: %(message)s") % {"sheet": self.sheet, "row": self.row, "message": self.message}


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    kind: str
    file_name: str
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    audit_seq: int | None = None
    # The cells as read, for the error workbook (header row first).
    sheet_name: str = ""
    grid: list[list[Any]] = field(default_factory=list)
    header_row: int = 1

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


class _Refused(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


class Importer:
    """The declaration of one importable sheet; subclass per model."""

    model: type[models.Model]
    kind: str = ""  # stable name: 'units', 'staff' (CLI argument, audit details)
    sheet_name: str = ""
    columns: list[Column] = []
    natural_key: tuple[str, ...] = ()
    max_rows = 200_000
    batch_size = 1000

    def __init__(self, actor=None):
        self.actor = actor
        self._positions: dict[str, int] = {}

    # --- hooks a subclass fills in ------------------------------------------------

    def prepare(self) -> None:
        """Prefetch what parsers look up (units in scope …): no per-row queries."""

    def clean_row(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """Cross-column checks of one parsed row: (field, message) pairs."""
        return []

    def fetch_existing(self, keys: list[tuple]) -> dict[tuple, models.Model]:
        """The records already stored under these natural keys (all of them, in scope or not)."""
        raise NotImplementedError

    def may_update(self, instance: models.Model) -> bool:
        """Whether the importer may change this existing record (its unit is in EDIT scope)."""
        raise NotImplementedError

    def row_conflicts(self, instance: models.Model, values: dict[str, Any]) -> list[tuple[str, str]]:
        """Why this row may not update this record (a unit moved to another parent …): (field, message) pairs."""
        return []

    def updatable_fields(self, values: dict[str, Any]) -> list[str]:
        """The row's keys that are model fields to compare and update (not the natural key)."""
        return [name for name in values if name not in self.natural_key]

    def build(self, values: dict[str, Any]) -> models.Model:
        """A new record from a parsed row (keys are field attnames); fields not in the row get their default."""
        plan = self.__dict__.get("_build_plan")
        if plan is None:
            plan = self._build_plan = [(f.attname, f.get_default) for f in self.model._meta.concrete_fields]
        # Positional construction: Django's fast path, several times quicker than keywords.
        return self.model(*[values[name] if name in values else default() for name, default in plan])

    def create_all(self, instances: list[models.Model]) -> None:
        fast_insert(self.model, instances, batch_size=self.batch_size)

    def update_all(self, instances: list[models.Model], fields: list[str]) -> None:
        fast_update(self.model, instances, fields)

    def check_after_write(self, created: list[models.Model], updated: list[models.Model]) -> None:
        """Re-check inside the transaction (scope); raise to roll back."""

    def audit_unit(self, created: list[models.Model], updated: list[models.Model]):
        """The unit the import record is filed under (for unit-scoped audit views)."""
        return None

    def duplicate_message(self) -> str:
        return _("Already registered in a unit you cannot edit.")

    # --- the mechanism -------------------------------------------------------------------

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def key_of(self, values: dict[str, Any]) -> tuple:
        return tuple(values[name] for name in self.natural_key)

    def key_column(self) -> Column:
        return next(c for c in self.columns if c.field == self.natural_key[0])

    def run(self, path: str | Path, *, file_name: str | None = None, dry_run: bool = False) -> ImportResult:
        path = Path(path)
        result = ImportResult(kind=self.kind, file_name=file_name or path.name, dry_run=dry_run)
        result.sheet_name = self.sheet_name
        try:
            check_xlsx(path)
        except UploadRejected as exc:
            result.errors.append(RowError(self.sheet_name, 0, "", str(exc)))
            return result
        result.sha256 = sha256_of(path)
        parsed = self._read_and_parse(path, result)
        if result.errors:
            return result
        try:
            with transaction.atomic():
                self._save(parsed, result)
                if dry_run:
                    transaction.set_rollback(True)
        except _Refused as refused:
            result.errors.extend(refused.errors)
        except ValidationError as exc:
            result.errors.append(RowError(result.sheet_name, 0, "", " ".join(exc.messages)))
        except PermissionDenied as exc:
            result.errors.append(RowError(result.sheet_name, 0, "", str(exc)))
        except IntegrityError:
            # Another writer got in between the checks and the writes (a unit code, say).
            result.errors.append(
                RowError(result.sheet_name, 0, "", _("The data changed while the file was imported; try again."))
            )
        if result.errors:
            result.created = result.updated = result.unchanged = 0
            result.audit_seq = None
        return result

    def _read_and_parse(self, path: Path, result: ImportResult) -> list[ParsedRow]:
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = workbook.sheet_names
            sheet_name = self.sheet_name if self.sheet_name in names else names[0]
            grid = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except (CalamineError, IndexError, ValueError, OSError) as exc:
            result.errors.append(RowError(self.sheet_name, 0, "", _("The workbook cannot be read: %(why)s") % {"why": exc}))
            return []
        result.sheet_name = sheet_name
        result.grid = grid
        header_index = self._find_header(grid)
        if header_index is None:
            result.errors.append(RowError(sheet_name, 0, "", _("The sheet %(sheet)s is empty.") % {"sheet": sheet_name}))
            return []
        result.header_row = header_index + 1
        positions = self._check_header(grid[header_index], sheet_name, header_index + 1, result)
        self._positions = positions
        if result.errors:
            return []
        body = grid[header_index + 1 :]
        if len(body) > self.max_rows:
            result.errors.append(
                RowError(sheet_name, 0, "", _("More than %(limit)d rows; split the file.") % {"limit": self.max_rows})
            )
            return []
        return self._parse_rows(body, header_index + 2, positions, sheet_name, result)

    def _find_header(self, grid: list[list[Any]]) -> int | None:
        """The header row: the first non-empty row naming a known column among the first few
        (an exported file starts with its exporter line), else the first non-empty row."""
        filled = [i for i, row in enumerate(grid[:50]) if any(not is_blank(v) for v in row)]
        known = set(self.headers)
        for index in filled[:5]:
            if any(_as_text(v) in known for v in grid[index]):
                return index
        return filled[0] if filled else None

    def _check_header(self, header: list[Any], sheet: str, row: int, result: ImportResult) -> dict[str, int]:
        positions: dict[str, int] = {}
        known = set(self.headers)
        for index, cell in enumerate(header):
            name = _as_text(cell)
            if not name:
                continue
            if name not in known:
                result.errors.append(RowError(sheet, row, name, _("Unknown column."), index))
            elif name in positions:
                result.errors.append(RowError(sheet, row, name, _("This column appears twice."), index))
            else:
                positions[name] = index
        for column in self.columns:
            if column.header not in positions:
                result.errors.append(RowError(sheet, row, column.header, _("Missing column.")))
        return positions

    def _example_cells(self) -> list[str]:
        return [_as_text(column.example_cell()) for column in self.columns]

    def _parse_rows(self, body, first_row, positions, sheet, result) -> list[ParsedRow]:
        self.prepare()
        example = self._example_cells()
        plan = [(column, positions[column.header]) for column in self.columns]
        seen: dict[tuple, int] = {}
        parsed: list[ParsedRow] = []
        errors = result.errors
        for offset, cells in enumerate(body):
            row = first_row + offset
            raw = [cells[index] if index < len(cells) else "" for _c, index in plan]
            if all(v == "" or is_blank(v) for v in raw):
                continue
            if _as_text(raw[0]) == example[0] and [_as_text(v) for v in raw] == example:
                continue  # the template's example row, left in place
            values: dict[str, Any] = {}
            row_ok = True
            for (column, index), value in zip(plan, raw, strict=True):
                if is_blank(value):
                    if column.required:
                        errors.append(RowError(sheet, row, column.header, _("A value is required."), index))
                        row_ok = False
                    values[column.field] = column.default
                    continue
                try:
                    values[column.field] = column.parse(value, self)
                except ValidationError as exc:
                    errors.append(RowError(sheet, row, column.header, " ".join(exc.messages), index))
                    row_ok = False
            result.rows += 1
            if not row_ok:
                continue
            problems = self.clean_row(values)
            if problems:
                errors.extend(self._row_errors(sheet, row, problems))
                continue
            key = self.key_of(values)
            if key in seen:
                key_column = self.key_column()
                errors.append(
                    RowError(
                        sheet,
                        row,
                        key_column.header,
                        _("Duplicate of row %(row)d in this file.") % {"row": seen[key]},
                        positions[key_column.header],
                    )
                )
                continue
            seen[key] = row
            parsed.append(ParsedRow(row, values))
        if result.rows == 0 and not errors:
            errors.append(RowError(sheet, 0, "", _("The sheet %(sheet)s has no data rows.") % {"sheet": sheet}))
        return parsed

    def _save(self, parsed: list[ParsedRow], result: ImportResult) -> None:
        existing = self.fetch_existing([self.key_of(p.values) for p in parsed])
        key_column = self.key_column()
        key_index = self._positions.get(key_column.header)
        errors: list[RowError] = []
        creates: list[tuple[ParsedRow, models.Model]] = []
        updates: list[models.Model] = []
        changes: list[dict[str, Any]] = []
        changed_fields: set[str] = set()
        for item in parsed:
            instance = existing.get(self.key_of(item.values))
            if instance is None:
                creates.append((item, self.build(item.values)))
                continue
            if not self.may_update(instance):
                errors.append(RowError(result.sheet_name, item.row, key_column.header, self.duplicate_message(), key_index))
                continue
            conflicts = self.row_conflicts(instance, item.values)
            if conflicts:
                errors.extend(self._row_errors(result.sheet_name, item.row, conflicts))
                continue
            before, after = self._apply(instance, item.values)
            if not after:
                result.unchanged += 1
                continue
            updates.append(instance)
            changed_fields.update(after)
            changes.append({"id": instance.pk, "row": item.row, "before": before, "after": after})
        for item, problems in self.validate_creates(creates):
            errors.extend(self._row_errors(result.sheet_name, item.row, problems))
        if errors:
            raise _Refused(errors)
        created = [instance for _item, instance in creates]
        self.create_all(created)
        if updates:
            self.update_all(updates, sorted(changed_fields))
        self.check_after_write(created, updates)
        result.created, result.updated = len(created), len(updates)
        event = audit.record(
            EventType.IMPORT,
            actor=self.actor,
            actor_name=None if self.actor is not None else "system",
            unit=self.audit_unit(created, updates),
            details={
                "kind": self.kind,
                "file": result.file_name,
                "sha256": result.sha256,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "created_ids": [instance.pk for instance in created],
                "changes": changes,
            },
        )
        result.audit_seq = event.seq

    def validate_creates(self, creates: list[tuple[ParsedRow, models.Model]]) -> list[tuple[ParsedRow, list[tuple[str, str]]]]:
        """Checks of the new records as a whole (a new unit's parent must exist …): (row, [(field, message)])."""
        return []

    def _row_errors(self, sheet: str, row: int, problems: list[tuple[str, str]]) -> list[RowError]:
        errors = []
        for field_name, message in problems:
            column = next((c for c in self.columns if c.field == field_name), None)
            header = column.header if column else ""
            errors.append(RowError(sheet, row, header, message, self._positions.get(header)))
        return errors

    def _apply(self, instance: models.Model, values: dict[str, Any]) -> tuple[dict, dict]:
        """Set the row's values on the record; the changed fields as audit values (masked where due)."""
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        fields = self.__dict__.setdefault("_fields_by_name", {})
        for name in self.updatable_fields(values):
            new = values[name]
            model_field = fields.get(name) or fields.setdefault(name, instance._meta.get_field(name))
            attname = model_field.attname
            new_value = new.pk if isinstance(new, models.Model) else new
            old_value = getattr(instance, attname)
            if old_value == new_value or (old_value in (None, "") and new_value in (None, "")):
                continue
            setattr(instance, attname, new_value)
            before[attname] = _audit_value(model_field, old_value)
            after[attname] = _audit_value(model_field, new_value)
        return before, after


def _audit_value(model_field, value):
    if hasattr(model_field, "audit_value"):
        return model_field.audit_value(value)
    return value
