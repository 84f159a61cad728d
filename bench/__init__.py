"""Benchmarks for epistola: a synthetic corpus generator and a build/HTTP benchmark runner.

See bench/README.md. Nothing here is imported by the project's own packages.
"""
