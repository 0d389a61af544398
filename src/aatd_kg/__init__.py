"""AATD-KG: the reference linked-data knowledge graph for alpha-1 antitrypsin deficiency."""

__version__ = "1.0.0"
