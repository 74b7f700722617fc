"""`jiceng workflows [--write]`: every registered workflow as a Mermaid state diagram and a transition table.

Drawn from the declarations (core.workflow's registry, filled from each app's
AppConfig.ready()); `--write` puts it in docs/workflows.md (a test checks that the
committed file is what this command writes today).
"""

from __future__ import annotations

from django.utils import translation

from jiceng.core import workflow as kit
from jiceng.core.management.generated_doc import DOCS, GeneratedDocCommand

DOC = DOCS / "workflows.md"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _required(t: kit.Transition) -> str:
    parts = []
    if t.reason_required:
        parts.append(f"reason (`{t.reason_field}`)" if t.reason_field else "reason")
    parts += [f"`{i.name}`" for i in t.inputs if i.required]
    parts += [f"`{i.name}` (optional)" for i in t.inputs if not i.required]
    parts += [f"file `{f.name}`" + ("" if f.required else " (optional)") for f in t.files]
    parts += [f"check `{name}`" for name in t.checks]
    return "<br>".join(parts) or "—"


def _diagram(wf: kit.Workflow) -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2"]
    for value, label in wf.states.choices:
        lines.append(f'    state "{label}<br>{value}" as {value}')
    lines.append(f"    [*] --> {wf.initial}")
    for t in wf.transitions.values():
        for source in t.source:
            lines.append(f"    {source} --> {t.target}: {t.name}")
    finals = sorted({str(v) for v in wf.states.values} - {str(s) for t in wf.transitions.values() for s in t.source})
    lines += [f"    {state} --> [*]" for state in finals]
    lines.append("```")
    return lines


def _table(wf: kit.Workflow) -> list[str]:
    lines = [
        "| transition | from | to | capability (over) | required | effects | audit event |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in wf.transitions.values():
        sources = ", ".join(f"`{s}`" for s in t.source)
        capability = " or ".join(f"`{c}`" for c in t.capabilities) + f" ({t.unit or wf.unit})"
        effects = "<br>".join([f"sets `{t.stamp}`"] * bool(t.stamp) + [f"`{e}`" for e in t.effects]) or "—"
        lines.append(f"| `{t.name}` {_cell(t.label)} | {sources} | `{t.target}` | {capability} | {_required(t)} "
                     f"| {effects} | `{t.event}` |")
    return lines


def _hooks(wf: kit.Workflow) -> list[str]:
    names = sorted({name for t in wf.transitions.values() for name in (*t.checks, *t.effects)})
    if not names:
        return []
    return ["", "Hooks (checks and effects) named above:", ""] + [
        f"- `{name}`: {kit.hook_doc(name)}" for name in names
    ]


def markdown() -> str:
    lines = [
        "# Workflows",
        "",
        "Written by `jiceng workflows --write` from the declarations in each app's `workflows.py`",
        "(registered with `core/workflow.py`); do not edit by hand. Every step goes through",
        "`Workflow.perform()`: capability over the unit named, the version the caller saw, the",
        "state, the reason, the checks and required inputs, then the state change, the version",
        "bump, the audit row, the effects and the `transitioned` signal, in one transaction.",
    ]
    with translation.override("zh-hans"):
        for wf in kit.registered():
            lines += ["", f"## `{wf.name}` {wf.label} ({wf.model._meta.label})", ""]
            lines += [f"State field `{wf.state_field}`, version field `{wf.version_field}`; starts in "
                      f"`{wf.initial}`.", ""]
            lines += _diagram(wf)
            lines.append("")
            lines += _table(wf)
            lines += _hooks(wf)
    return "\n".join(lines) + "\n"


class Command(GeneratedDocCommand):
    help = "Print every registered workflow as Markdown with Mermaid diagrams (--write: into docs/workflows.md)."
    doc = DOC
    draw = staticmethod(markdown)
