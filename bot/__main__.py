"""`python -m bot` is the same as the `crosstalk` command."""

from bot.cli import main

raise SystemExit(main())
