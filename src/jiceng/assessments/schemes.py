"""The scheme of a campaign: frozen as text at creation, compiled from that text ever after."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from jiceng.rubrics import CompiledScheme, SchemeError, list_builtin_schemes, parse_scheme
from jiceng.rubrics.loader import BUILTIN_DIR

_compiled: dict[str, CompiledScheme] = {}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def builtin_source(scheme_id: str) -> str:
    """The YAML text of a built-in scheme, read now (later edits of the file do not reach a campaign)."""
    if scheme_id not in {info.id for info in list_builtin_schemes()}:
        raise SchemeError(scheme_id, "(scheme id)", "no built-in scheme has this id")
    return (BUILTIN_DIR / f"{scheme_id}.yaml").read_text(encoding="utf-8")


def compile_text(text: str) -> CompiledScheme:
    """Compile a scheme text once per process (keyed by its hash)."""
    digest = sha256_text(text)
    compiled = _compiled.get(digest)
    if compiled is None:
        compiled = parse_scheme(text, "campaign scheme")
        _compiled[digest] = compiled
    return compiled


def campaign_scheme(campaign) -> CompiledScheme:
    """The campaign's frozen scheme; refuses a stored text that no longer matches its hash."""
    if sha256_text(campaign.scheme_source) != campaign.scheme_sha256:
        raise SchemeError("campaign scheme", "(hash)", "the stored scheme text does not match its SHA-256")
    return compile_text(campaign.scheme_source)


# The subject kinds a campaign can enrol today (Campaign.subject_kind).
CAMPAIGN_SUBJECTS = ("office", "county")


def unfit_reason(cs: CompiledScheme, subject_kind: str) -> str | None:
    """Why the scheme cannot run on a campaign of `subject_kind` subjects, or None when it can."""
    from django.utils.translation import gettext as _

    from .models import SubjectKind

    if cs.components or not cs.ids:
        return _("it is scored by weighted components, not by items; campaigns score item schemes.")
    declared = list(cs.definition.subjects)
    if declared and subject_kind not in declared:
        labels = dict(SubjectKind.choices)
        names = "、".join(str(labels.get(k, k)) for k in declared)
        return _("it assesses %(kinds)s, not %(chosen)s.") % {"kinds": names,
                                                              "chosen": labels.get(subject_kind, subject_kind)}
    return None


def offer(subject_kind: str) -> list[tuple[str, str, str | None]]:
    """Every built-in scheme as (id, title, reason it is not offered or None), for the campaign form."""
    out = []
    for info in list_builtin_schemes():
        cs = compile_text(builtin_source(info.id))
        out.append((info.id, info.title, unfit_reason(cs, subject_kind)))
    return out


def form_choices() -> tuple[list, str]:
    """The campaign form's scheme choices grouped by the subjects they run on, and a line saying which built-in
    schemes are not offered and why (a scheme that runs on no kind of subject a campaign can enrol)."""
    from django.utils.translation import gettext as _

    from .models import SubjectKind

    labels = dict(SubjectKind.choices)
    groups, unfit = [], {}
    for kind in CAMPAIGN_SUBJECTS:
        rows = []
        for sid, title, why in offer(kind):
            if why is None:
                rows.append((sid, f"{title}（{sid}）"))
                unfit.pop(sid, None)
            elif not any(sid == r[0] for g in groups for r in g[1]):
                unfit.setdefault(sid, why)
        groups.append((str(labels[kind]), rows))
    offered = {r[0] for _g, rows in groups for r in rows}
    missing = [f"{sid}：{why}" for sid, why in sorted(unfit.items()) if sid not in offered]
    note = _("Not offered: %(list)s") % {"list": "；".join(missing)} if missing else ""
    return groups, note


@dataclass(frozen=True)
class Row:
    """One line of a form built from the scheme: a section, a parent item or a scored (leaf) item."""

    kind: str  # "section" | "group" | "item"
    id: str
    title: str
    text: str
    points: Decimal
    category: str = ""
    check: bool = False
    depth: int = 0


def rows(cs: CompiledScheme) -> list[Row]:
    out: list[Row] = []

    def visit(items, depth):
        for item in items:
            if item.items:
                out.append(Row("group", item.id, item.title or "", item.text, item.points, item.category, False, depth))
                visit(item.items, depth + 1)
            else:
                out.append(
                    Row("item", item.id, item.title or "", item.text, item.points, item.category,
                        item.rule.type == "check", depth)
                )

    for section in cs.definition.sections:
        out.append(Row("section", section.id, section.title, "", section.points))
        visit(section.items, 1)
    return out


def leaf_ids(cs: CompiledScheme) -> list[str]:
    return list(cs.ids)


def item_max(cs: CompiledScheme, item_id: str) -> Decimal:
    return Decimal(cs.items[cs.index[item_id]].points)


def is_check(cs: CompiledScheme, item_id: str) -> bool:
    return cs.items[cs.index[item_id]].rule.type == "check"
