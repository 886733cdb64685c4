"""Reelwright's domain and pipeline logic.

Nothing in this package imports Qt or Dramatiq: the stage functions here take
their inputs as arguments, write files and rows, and can run in any process.
"""

__version__ = "0.1.0"
