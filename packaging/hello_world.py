"""The size baseline for bench/package_size.py: a bare PySide6 window, nothing else."""

import sys

from PySide6.QtWidgets import QApplication, QLabel

if __name__ == "__main__":
    app = QApplication(sys.argv)
    label = QLabel("Hello, world")
    label.show()
    sys.exit(app.exec())
