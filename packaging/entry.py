"""PyInstaller's entry script: the frozen `attentive-desktop` starts here."""

import sys

from attentive_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
