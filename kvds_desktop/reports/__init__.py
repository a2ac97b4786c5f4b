"""Printable documents (reportlab): plain data in, PDF out."""
