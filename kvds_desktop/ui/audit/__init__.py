"""The audit trail window (Tools > Audit trail): read-only, with filters."""
