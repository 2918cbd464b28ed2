"""The questions, one module per family, each returning frozen, typed answers."""
