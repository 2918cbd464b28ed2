"""The read-only SPARQL endpoint: query guard, worker process and its client."""
