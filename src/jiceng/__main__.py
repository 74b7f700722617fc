import sys

from jiceng.cli import main

sys.exit(main())
