"""Writes of the community core. Services are the only writers: pages, API, tasks and commands call them."""
