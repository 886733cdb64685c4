"""Benchmarks of Reelwright's heavy stages, run with ``python -m benchmarks``.

Each benchmark builds its own inputs in a temporary folder (with
``REELWRIGHT_HOME`` pointing there, so no user data is touched), measures,
prints a table and writes ``benchmarks/results/latest.json``. Benchmarks
report figures and the targets they meet or miss; they assert nothing.
"""
