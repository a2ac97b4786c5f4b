"""The pages of the main window, each a view plus a controller."""
