"""Tools > Retention: what is due for deletion or anonymisation, and the run."""
