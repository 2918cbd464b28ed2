"""Importers (KLE, default owners) and exports (Turtle, JSON-LD, GraphML, GEXF, CSV, XLSX)."""
