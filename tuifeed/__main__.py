"""`python -m tuifeed`."""

import sys

from tuifeed.cli import main

sys.exit(main())
