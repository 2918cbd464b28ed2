"""Response models: they document the JSON in OpenAPI; routes return the graph's dicts as is."""
