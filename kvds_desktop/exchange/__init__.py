"""File formats in and out: imports with mapping, exports, calendars, teacher packs."""
