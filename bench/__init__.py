"""Benchmarks: each module has run() -> dict; bench/run.py prints them as JSON."""
