"""`python -m attentive_desktop`: the same entry point as the `attentive-desktop` command."""

from attentive_desktop.app import main

raise SystemExit(main())
