#!/usr/bin/env bash
# Refresh the zh-hans catalogue: re-extract the message ids from the sources,
# list the ones still untranslated (empty or fuzzy), and compile the .mo that
# is committed beside the .po (so running the site needs no gettext).
#
#   tools/i18n-update.sh          exit 1 when something is left to translate
#
# Needs GNU gettext (xgettext, msgmerge, msgfmt): apt-get install gettext.
# Translate the listed entries in src/jiceng/locale/zh_Hans/LC_MESSAGES/django.po
# (docs/glossary.md has the domain terms), then run this again: the .mo is only
# right after the last run, and tests/test_i18n.py checks both files.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
PO=src/jiceng/locale/zh_Hans/LC_MESSAGES/django.po

for tool in xgettext msgmerge msgfmt; do
  command -v "$tool" >/dev/null || { echo "i18n-update: $tool not found (apt-get install gettext)" >&2; exit 2; }
done

cd "$ROOT/src/jiceng"
export DJANGO_SETTINGS_MODULE=jiceng.settings
"$PY" - <<'PYEOF'
import io

import django

django.setup()
from django.core.management import call_command
from django.core.management.commands import makemessages

# msgmerge's fuzzy matching fills a new msgid with the translation of a
# similar old one ("created at" got "授予时间" from "granted at"): a wrong
# guess hides among right ones, so new ids start empty instead.
makemessages.Command.msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
# rubrics/ is the pure rubric engine whose texts are Chinese transcriptions of
# the seeds; static/ holds no messages (site.js has no strings).
call_command(
    "makemessages",
    locale=["zh_Hans"],
    no_obsolete=True,
    add_location="file",
    ignore_patterns=["rubrics/*", "static/*"],
    stdout=io.StringIO(),
)
call_command("compilemessages", locale=["zh_Hans"], stdout=io.StringIO())
PYEOF

cd "$ROOT"
"$PY" - "$PO" <<'PYEOF'
import sys

import polib

po = polib.pofile(sys.argv[1])
live = [e for e in po if not e.obsolete]


def translated(e):
    texts = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)] if e.msgid_plural else [e.msgstr]
    return all(t.strip() for t in texts)


todo = [e for e in live if e.fuzzy or not translated(e)]
for e in todo:
    where = ", ".join(sorted({path for path, _ in e.occurrences}))
    mark = "fuzzy" if e.fuzzy else "empty"
    context = f"[{e.msgctxt}] " if e.msgctxt else ""
    print(f"{mark}\t{context}{e.msgid!r}\t({where})")
print(f"{len(live)} messages, {len(live) - len(todo)} translated, {len(todo)} to do ({sys.argv[1]}; .mo compiled)")
sys.exit(1 if todo else 0)
PYEOF
