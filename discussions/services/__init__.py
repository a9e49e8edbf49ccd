"""Writers of the discussions forum; each module owns one subject."""
