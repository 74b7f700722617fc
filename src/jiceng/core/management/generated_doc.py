"""The shape shared by the commands that print a document drawn from the registries.

`jiceng roles` and `jiceng workflows` print Markdown assembled from what the apps declared;
`--write` puts it in its file under docs/, and a test checks that the committed file is what
the command writes today. A subclass names the file and the function that draws the text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from django.core.management.base import BaseCommand

DOCS = Path(__file__).resolve().parents[4] / "docs"


class GeneratedDocCommand(BaseCommand):
    doc: ClassVar[Path]
    draw: ClassVar[Callable[[], str]]

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help=f"write docs/{self.doc.name}")

    def handle(self, *args, write=False, **options):
        text = type(self).draw()
        if write:
            self.doc.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {self.doc}")
        else:
            self.stdout.write(text, ending="")
