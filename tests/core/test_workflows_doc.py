"""docs/workflows.md is what `jiceng workflows --write` draws from the registered declarations today."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from jiceng.core.management.commands.workflows import markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


def test_the_committed_workflow_diagrams_are_what_the_declarations_say_today():
    committed = DOC.read_text(encoding="utf-8")
    assert committed == markdown(), "docs/workflows.md is stale: run `jiceng workflows --write`"


def test_the_submission_is_drawn_with_every_declared_arrow_and_its_table_row():
    text = markdown()
    assert "## `assessments.submission`" in text and "```mermaid\nstateDiagram-v2" in text
    for arrow in ("[*] --> draft", "draft --> submitted: submit", "returned --> submitted: submit",
                  "submitted --> returned: return", "submitted --> reviewed: forward", "reviewed --> audited: audit",
                  "reviewed --> published: publish", "audited --> published: publish", "published --> [*]"):
        assert f"    {arrow}\n" in text, arrow
    assert ("| `return` 退回基层所 | `submitted` | `returned` | `assessment.review` or `assessment.group_score` "
            "(reviewer) | reason (`return_reason`)<br>check `assessments.in_scope` | sets `returned_at` | "
            "`assessment.return` |") in text
    assert "`assessment.audit` or `assessment.review` (auditor)" in text
    assert "- `assessments.false_data_flag`: Raise or lift" in text


def test_the_command_prints_the_same_text(capsys):
    call_command("workflows")
    assert capsys.readouterr().out == markdown()
