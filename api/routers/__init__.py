"""One router module per family of routes."""
