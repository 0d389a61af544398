"""Compile the hand-edited sources (ontology/, data/, shapes/) into a release directory."""
