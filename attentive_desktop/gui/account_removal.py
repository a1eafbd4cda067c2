"""Account ▸ Remove this account…: asks, then deletes the account in use and its key.

The key is deleted on the keychain thread (the keychain may be slow or ask the user), and
the account's row with it; the window then moves to another account, or to none. The
requests it made stay in the history, and its learned types in the database.
"""

from __future__ import annotations

from typing import Any

REMOVE_TEXT = "Remove “{name}”{company}?"
REMOVE_DETAILS = (
    "Its API key is deleted from the keychain, and the window stops writing to it. The "
    "history of its requests stays. To use it again, add it with its key."
)


def ask_remove_account(window: Any) -> Any:
    """Ask to remove the account in use; returns the question (None when there is nothing
    that can be removed: no account, or the session-only sandbox)."""
    from attentive_desktop.gui.dialogs import confirm

    name = window.account_name
    if not name or window.book.is_session(name):
        text = "The sandbox account lasts this session only." if name else "No account is in use."
        window.show_message(text, "info")
        return None
    account = window.book.get(name)
    company = f" ({account.company_name})" if account and account.company_name else ""
    return confirm(
        window,
        object_name="removeAccountConfirm",
        title="Remove this account?",
        text=REMOVE_TEXT.format(name=name, company=company),
        details=REMOVE_DETAILS,
        yes_text="Remove account",
        on_yes=lambda: remove_account(window, name),
    )


def remove_account(window: Any, name: str) -> None:
    """Delete ``name`` and its key off the GUI thread, then tell the window."""
    if window.editor.sending:
        window.show_message("Remove the account once the send has finished.", "warning")
        return
    book = window.book

    def removed(_existed: object) -> None:
        window.account_removed(name)
        window.show_message(f"Removed the account “{name}” and its key.", "info")

    def failed(message: str) -> None:
        window.show_message(f"“{name}” was not removed: {message}", "error")

    window.keychain.call(lambda: book.remove(name), removed, failed)
