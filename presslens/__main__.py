"""`python -m presslens` runs the `presslens` command."""
import sys

from .cli import main

sys.exit(main())
