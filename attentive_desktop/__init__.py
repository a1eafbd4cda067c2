"""Attentive Desktop: fix and enrich Attentive customer profiles by hand, safely."""

__version__ = "0.1.0"
APP_NAME = "attentive-desktop"
BULK_ENGINE_WORD = "_bulk-engine"
"""The hidden first argument that makes the app run as a bulk engine (api/bulk_process.py)."""
