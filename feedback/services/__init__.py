"""The feedback app's writers, one module per subject."""
