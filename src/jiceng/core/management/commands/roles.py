"""`jiceng roles [--write]`: the role matrix, assembled from what each app declares (core.capabilities).

Prints the matrix as Markdown; `--write` puts it in docs/roles.md (a test checks that the
committed file is what this command writes today).
"""

from __future__ import annotations

from django.utils import translation

from jiceng.core import capabilities
from jiceng.core.capabilities import Role
from jiceng.core.management.generated_doc import DOCS, GeneratedDocCommand

DOC = DOCS / "roles.md"


def markdown() -> str:
    roles = list(Role)
    with translation.override("zh-hans"):
        names = [f"{role.value}<br>{role.label}" for role in roles]
    lines = [
        "# Roles and capabilities",
        "",
        "Written by `jiceng roles --write` from the declarations in each app's `capabilities.py`",
        "(assembled by `core/capabilities.py`); do not edit by hand.",
        "",
        "| app | capability | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for app, capability, holders in capabilities.matrix():
        cells = ["✓" if role.value in holders else "" for role in roles]
        lines.append(f"| {app} | `{capability}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


class Command(GeneratedDocCommand):
    help = "Print the role matrix as Markdown (--write: into docs/roles.md)."
    doc = DOC
    draw = staticmethod(markdown)
