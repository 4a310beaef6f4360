"""One module per command; each is a thin click adapter over the core."""
