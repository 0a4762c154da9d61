"""`python -m hadath` runs the command-line interface."""

from hadath.cli import main

raise SystemExit(main())
