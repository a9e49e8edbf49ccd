"""Automatic screening: scorers of spam and toxicity behind one small interface (base.py), pluggable by settings."""
