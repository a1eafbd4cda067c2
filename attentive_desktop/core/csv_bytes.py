"""The byte level of a bulk CSV: files saved in the wrong encoding, and odd line endings.

Spreadsheets save "Unicode text" as UTF-16, which decodes as UTF-8 into letters separated by
NUL characters: rather than report a header of invisible characters, such a file is refused
once, with the way to save it properly. Old Mac files end lines with a lone carriage return,
which the csv module would read as one huge broken row: those lines are split.
"""

from __future__ import annotations

import codecs
import re

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NUL_SHARE = 0.2  # UTF-16 text in Latin script is about half NUL bytes; UTF-8 text has none
_LONE_CR = re.compile(rb"\r(?!\n)")

SAVE_AS_UTF8 = "(in Excel: File > Save As > 'CSV UTF-8'; in Numbers or Sheets: export as CSV)"


def wrong_encoding(head: bytes) -> str | None:
    """A sentence saying the file is not UTF-8 text at all (UTF-16, or binary), else None.

    ``head`` is the start of the file. Files that are mostly UTF-8 with a few stray bytes are
    not refused here: those bytes are pinned to their rows and cells by the reader.
    """
    if head.startswith(UTF16_BOMS):
        return (
            "The file is saved as UTF-16 ('Unicode text'), not as UTF-8 CSV. Save it again as "
            f"CSV UTF-8 {SAVE_AS_UTF8} and try again."
        )
    if not head:
        return None
    nul = head.count(b"\0")
    if nul / len(head) >= _NUL_SHARE:
        even = head[0::2].count(b"\0")
        odd = head[1::2].count(b"\0")
        if min(even, odd) * 4 < max(even, odd):  # NULs on one side: UTF-16 without a BOM
            return (
                "The file looks like UTF-16 text without a byte order mark, not UTF-8 CSV. "
                f"Save it again as CSV UTF-8 {SAVE_AS_UTF8} and try again."
            )
        return (
            "The file is not a text file (it contains many NUL bytes): it may be a spreadsheet "
            f"(.xlsx) or another binary file. Save it as CSV UTF-8 {SAVE_AS_UTF8} and try again."
        )
    return None


def split_lone_cr(line: bytes) -> list[bytes]:
    """``line`` split after each carriage return not followed by a line feed (old Mac line
    endings), each piece keeping its terminator; ``[line]`` when there is none."""
    if b"\r" not in line or not _LONE_CR.search(line):
        return [line]
    pieces = []
    start = 0
    for match in _LONE_CR.finditer(line):
        pieces.append(line[start : match.end()])
        start = match.end()
    if start < len(line):
        pieces.append(line[start:])
    return pieces
