"""Checking a proxy's multiData (one call into Python per cell) against its data()."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan


def answers_match_data(proxy, index: QModelIndex, roles: Iterable[int]) -> list[object]:
    """Ask each role of `index` through `proxy.multiData`, assert every answer is what
    `proxy.data` says, and return those answers in the order of `roles`."""
    answers = []
    for role in roles:
        role_data = QModelRoleData(int(role))
        proxy.multiData(index, QModelRoleDataSpan(role_data))
        expected = proxy.data(index, role)
        assert role_data.data() == expected, (index.row(), index.column(), role)
        answers.append(expected)
    return answers
