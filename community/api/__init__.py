"""The REST API of the community core (DRF) and the base viewset every app's API builds on."""
