"""The Master data dialog: locations, rooms, providers, teachers and activity kinds."""

from kvds_desktop.ui.master_data.controller import open_master_data

__all__ = ["open_master_data"]
