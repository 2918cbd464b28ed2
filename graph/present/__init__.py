"""The only place for Danish words and output shapes: answers → JSON, tables and text."""
