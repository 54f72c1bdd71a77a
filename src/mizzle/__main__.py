"""`python -m mizzle ...` runs the `mizzle` command."""

import sys

from mizzle.cli.main import main

sys.exit(main())
