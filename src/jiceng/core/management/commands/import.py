"""`jiceng import KIND FILE.xlsx [--dry-run] [--user NAME]` and `jiceng import KIND --template FILE.xlsx`.

KIND is any kind registered with core.imports (org registers `units` and `staff`).

Exit status: 0 imported (or checked, with --dry-run, or template written);
1 the file was refused (one line per error on stderr, nothing saved);
2 wrong arguments (unknown user …).
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jiceng.core import imports
from jiceng.core.tabular.writing import write_template


class Command(BaseCommand):
    help = "Import a registered kind of sheet (units, staff …) from an xlsx file, all or nothing; or write its template."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=imports.kinds(), help="what the file holds")
        parser.add_argument("file", nargs="?", help="the xlsx file to import")
        parser.add_argument("--template", metavar="FILE", help="write the empty template to FILE instead")
        parser.add_argument("--dry-run", action="store_true", help="check the whole file, save nothing")
        parser.add_argument(
            "--user",
            metavar="NAME",
            help="import as this account, within its scope (default: the whole tree, audited as 'system')",
        )

    def handle(self, *args, kind, file=None, template=None, dry_run=False, user=None, **options):
        importer_class = imports.get(kind).importer
        if template:
            with open(template, "wb") as stream:
                write_template(importer_class.columns, importer_class.sheet_name, stream)
            self.stdout.write(_("Template written to %(file)s.") % {"file": template})
            return
        if not file:
            raise CommandError(_("Give the xlsx file to import, or --template FILE."), returncode=2)
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active account named %(name)s.") % {"name": user}, returncode=2)
        result = importer_class(actor).run(file, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error.line())
            self.stderr.write(
                _("Refused: %(count)d error(s); nothing was saved.") % {"count": len(result.errors)}
            )
            sys.exit(1)
        counts = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            self.stdout.write(
                _("Checked %(rows)d rows: %(created)d would be created, %(updated)d updated, %(unchanged)d unchanged. Nothing was saved.")
                % counts
            )
        else:
            self.stdout.write(
                _("Imported %(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged (audit record #%(seq)d).")
                % {**counts, "seq": result.audit_seq}
            )
