"""How a person's name is put together for display and sorting."""

from __future__ import annotations


def display_name(voornamen: str, tussenvoegsel: str | None, achternaam: str) -> str:
    """Return 'Voornamen tussenvoegsel Achternaam' with empty parts left out."""
    parts = [voornamen.strip(), (tussenvoegsel or "").strip(), achternaam.strip()]
    return " ".join(part for part in parts if part)


def sort_name(voornamen: str, tussenvoegsel: str | None, achternaam: str) -> str:
    """Return the Dutch sort form 'Achternaam, Voornamen tussenvoegsel'."""
    tail = " ".join(p for p in (voornamen.strip(), (tussenvoegsel or "").strip()) if p)
    return f"{achternaam.strip()}, {tail}" if tail else achternaam.strip()
