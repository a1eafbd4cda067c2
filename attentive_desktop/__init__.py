"""Attentive Desktop: fix and enrich Attentive customer profiles by hand, safely."""

__version__ = "0.1.0"
APP_NAME = "attentive-desktop"
