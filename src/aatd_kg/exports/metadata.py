"""Facts about AATD-KG as a publication, shared by every export (SSSOM, KGX, DCAT).

Kept in one place so the mapping set, the KGX edges and the catalogue cannot disagree on the
licence or on who asserts the knowledge.
"""

from __future__ import annotations

#: Licence of every release (CC0 1.0, as in pyproject.toml's ``license = "CC0-1.0"``).
LICENSE_IRI = "https://creativecommons.org/publicdomain/zero/1.0/"

#: SPDX identifier of the same licence.
LICENSE_SPDX = "CC0-1.0"

#: Information-resource CURIE naming AATD-KG as the primary knowledge source of its edges.
#: AATD-KG's own; no infores id of another resource is invented here.
KNOWLEDGE_SOURCE = "infores:aatd-kg"

#: Human-readable title of the graph.
TITLE = "AATD-KG: the alpha-1 antitrypsin deficiency knowledge graph"

#: Base name of every export file.
STEM = "aatd-kg"
