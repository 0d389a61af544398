"""Exports other graphs consume: SSSOM mappings, KGX nodes/edges, JSON-LD context, diffs."""
