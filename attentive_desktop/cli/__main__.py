"""`python -m attentive_desktop.cli get|set|bulk …`."""

from attentive_desktop.cli import main

raise SystemExit(main())
