"""``python -m jiceng.rubrics ...`` runs the same command line as ``jiceng``."""

import sys

from .cli import main

sys.exit(main())
