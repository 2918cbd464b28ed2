"""Danish text search: folding, stemming and a weighted index.

Generic: it knows documents, fields and weights, nothing of units or tasks.
"""
