"""The ``kvds`` commands of this area (being built)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_commands(command: Callable[[str, str], argparse.ArgumentParser], *_: Any) -> None:
    """Add this area's commands to the ``kvds`` parser."""
