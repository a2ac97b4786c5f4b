"""The Kandidaten page: list, record, deadlines and possible duplicates."""
