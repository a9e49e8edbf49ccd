"""Rules read before a post is stored: watched-word matching (words.py) and the community's cached list (cache.py)."""
