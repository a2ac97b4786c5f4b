"""The Groepen & rooster page: groups, their week, lessons, members, conflicts, closures."""
