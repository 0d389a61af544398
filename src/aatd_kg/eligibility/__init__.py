"""The executable eligibility criteria of augmentation therapy (SHACL-based check)."""
