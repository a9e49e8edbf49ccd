"""Synthetic, skewed Hearth data for benchmarks: `manage.py generate_data` and the bench suite use it."""
