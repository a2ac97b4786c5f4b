"""Text cells that a spreadsheet program must show, never run (formula injection).

Names, notes and other free text come from people and from municipal files. A text
that starts with ``=``, ``+``, ``-`` or ``@`` (also after white space, or behind a tab
or carriage return) is a formula to Excel and LibreOffice when a CSV file is opened,
and ``=cmd|' /C calc'!A0`` can start a program. Every exporter writes text through this
module:

* CSV: :func:`safe_text` puts a single quote in front of such a text; spreadsheet
  programs show it as text, and :func:`unquote_text` takes the quote off again when the
  app reads its own export back (see :mod:`kvds_desktop.exchange.tabular`).
* XLSX: :func:`set_text` stores the text as a string cell with Excel's "quote prefix"
  style, so it stays text even when someone edits the cell.

Real numbers (``int``/``float``) stay numbers; a negative number is no formula. The DUO
file (:mod:`kvds_desktop.exchange.duo_export`) is left byte-exact: it holds only a
checked BSN, a course kind, ISO dates and formatted hours, never free text.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    if text.startswith(CONTROL_STARTS):
        return True
    return text.lstrip().startswith(FORMULA_STARTS)


def _needs_quote(text: str) -> bool:
    """A formula, or quotes in front of one (which :func:`unquote_text` would take off)."""
    while text.startswith(QUOTE):
        text = text[1:]
    return is_formula_like(text)


def safe_text(value: str) -> str:
    """``value`` for a CSV cell: a quote in front when it could be taken for a formula."""
    return QUOTE + value if _needs_quote(value) else value


def unquote_text(value: str) -> str:
    """The text :func:`safe_text` was given (a quote in front of anything else stays)."""
    if value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


def csv_value(value: Any) -> Any:
    """A CSV cell: text made safe with :func:`safe_text`, anything else unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def set_text(cell: Any, value: str) -> None:
    """Make an openpyxl ``cell`` hold ``value`` as plain text, never as a formula."""
    cell.value = value
    if value.startswith("=") or is_formula_like(value):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cell.quotePrefix = True  # Excel's own mark for "this is text"
