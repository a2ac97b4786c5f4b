"""Persistence: the SQLite file, its schema migrations, backups and repositories."""
