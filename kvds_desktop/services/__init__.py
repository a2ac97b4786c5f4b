"""Use cases over the store: what the GUI and the CLI both offer."""
