"""Pure-Python domain: the terms and rules of the integration programme.

Nothing in this package imports Qt, SQL or PDF libraries; an import-linter
contract in pyproject.toml keeps it that way.
"""
