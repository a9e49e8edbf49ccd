"""Synthetic, skewed Hearth data for benchmarks: `python -m bench.datagen` and the bench suite use it."""
