"""The window's feature widgets, one module per feature."""
