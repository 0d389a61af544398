"""Generate a large synthetic release shaped like a real one (for the serving benchmark).

The shape is copied, not invented: every synthetic entity is a copy of a real entity of the
template release (same class, same predicates, same named graph, same kinds of objects), with
fresh IRIs under the same base, synthetic literals of the same language/datatype, links that
point to other synthetic copies, and external IRIs renumbered inside their real namespace. The
ontology graph is kept as is. Writes ``aatd-kg.nq`` and a ``release.json`` that
``OxigraphStore.from_release`` and ``aatd-kg serve`` accept.

    python benchmarks/generate_graph.py --like dist --triples 1000000 --out benchmarks/out/graph-1m
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

_WORD_TEXT = (
    "alpha antitrypsin deficiency lung liver emphysema protein gene allele genotype therapy "
    "augmentation serum level test diagnosis variant inhibitor neutrophil elastase protease "
    "enzyme panniculitis cirrhosis infusion plasma clinic specialist registry guideline smoking "
    "spirometry biopsy phenotype screening carrier inheritance recessive"
)
#: Words the synthetic literals are made of (the text FILTER of the benchmark searches them).
WORDS = tuple(_WORD_TEXT.split())


def _local_id(iri: str) -> tuple[str, str]:
    """(namespace, local part) split after the last '/', '#' or '_'."""
    cut = max(iri.rfind("/"), iri.rfind("#"), iri.rfind("_"))
    return iri[: cut + 1], iri[cut + 1 :]


def load_templates(nquads: Path, base: str) -> tuple[list[ox.Quad], dict[str, list[ox.Quad]]]:
    """The ontology-graph quads, and every entity's quads (subject under *base*)."""
    ontology_graph = base + "graph/ontology"
    kept: list[ox.Quad] = []
    entities: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        graph = quad.graph_name
        subject = quad.subject
        if isinstance(graph, ox.NamedNode) and graph.value == ontology_graph:
            kept.append(quad)
        elif isinstance(subject, ox.NamedNode) and subject.value.startswith(base) and not (
            subject.value.startswith(base + "graph/")
        ):
            entities[subject.value].append(quad)
        else:
            kept.append(quad)  # graph-level provenance and anything else: kept once
    return kept, entities


class Copier:
    """Makes the n-th synthetic copy of a template entity."""

    def __init__(self, base: str, entities: dict[str, list[ox.Quad]], seed: int = 0) -> None:
        self.base = base
        self.entities = entities
        self.random = random.Random(seed)
        self.copies: int = 0

    def iri(self, template: str, n: int) -> ox.NamedNode:
        return ox.NamedNode(f"{template}-{n:07d}")

    def literal(self, literal: ox.Literal, n: int) -> ox.Literal:
        if literal.language:
            words = " ".join(self.random.choice(WORDS) for _ in range(self.random.randint(1, 6)))
            return ox.Literal(f"{words} {n}", language=literal.language)
        datatype = literal.datatype.value
        if datatype.endswith(("#integer", "#decimal", "#double", "#float", "#int")):
            return ox.Literal(str(self.random.randint(0, 10_000)), datatype=literal.datatype)
        if datatype.endswith("#string"):
            words = " ".join(self.random.choice(WORDS) for _ in range(self.random.randint(1, 4)))
            return ox.Literal(f"{words} {n}")
        return literal  # dates, booleans, IRIs as literals: keep the template's value

    def copy(self, template: str, n: int, population: int) -> list[ox.Quad]:
        out = []
        subject = self.iri(template, n)
        for quad in self.entities[template]:
            obj: Any = quad.object
            if isinstance(obj, ox.NamedNode) and obj.value in self.entities:
                obj = self.iri(obj.value, self.random.randrange(population))
            elif isinstance(obj, ox.NamedNode) and not obj.value.startswith(self.base):
                namespace, local = _local_id(obj.value)
                if local and any(c.isdigit() for c in local):
                    obj = ox.NamedNode(f"{namespace}{self.random.randint(1, 9_999_999):07d}")
            elif isinstance(obj, ox.Literal):
                obj = self.literal(obj, n)
            out.append(ox.Quad(subject, quad.predicate, obj, quad.graph_name))
        return out


def generate(like: Path, out: Path, triples: int, seed: int = 0) -> dict[str, Any]:
    """Write a synthetic release of about *triples* triples into *out*; return release.json."""
    info = json.loads((like / "release.json").read_text(encoding="utf-8"))
    base = info["base_iri"]
    kept, entities = load_templates(like / "aatd-kg.nq", base)
    per_round = sum(len(q) for q in entities.values())
    rounds = max(1, (triples - len(kept)) // max(per_round, 1))
    copier = Copier(base, entities, seed)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = defaultdict(int)
    total = 0
    with (out / "aatd-kg.nq").open("wb") as sink:
        def write(quads: list[ox.Quad]) -> None:
            nonlocal total
            ox.serialize(quads, sink, ox.RdfFormat.N_QUADS)
            for quad in quads:
                counts[str(quad.graph_name.value)] += 1  # type: ignore[union-attr]
            total += len(quads)

        write(kept)
        for n in range(rounds):
            batch: list[ox.Quad] = []
            for template in entities:
                batch += copier.copy(template, n, rounds)
            write(batch)
    release = {
        "version": f"synthetic-{total}",
        "date": time.strftime("%Y-%m-%d"),
        "base_iri": base,
        "triples": total,
        "graphs": dict(sorted(counts.items())),
        "files": {},
        "generated_from": str(like),
    }
    (out / "release.json").write_text(json.dumps(release, indent=2), encoding="utf-8")
    return release


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--like", type=Path, default=Path("dist"),
                        help="the release to copy the shape of (default dist/)")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/graph-1m"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.monotonic()
    release = generate(args.like, args.out, args.triples, args.seed)
    print(f"wrote {release['triples']} triples in {len(release['graphs'])} graphs to "
          f"{args.out} in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
