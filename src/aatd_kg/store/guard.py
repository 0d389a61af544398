"""Lexical checks on SPARQL text made before a query runs.

pyoxigraph parses and runs in one call and exposes no algebra, so the few facts the server needs
before running (does the query call ``SERVICE``, and where? does it name its own dataset with
``FROM``? is a text that failed to parse as a query an update?) come from a tokenizer that
drops comments, string literals and IRIs, so a keyword inside them never counts. It errs on the
safe side: a ``SERVICE`` keyword whose target it cannot resolve to an allowed IRI is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from aatd_kg.store.base import ServiceNotAllowed

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*:[^\s{}();,]*|:[^\s{}();,]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True, slots=True)
class Token:
    """A token: its kind (``iri``, ``var``, ``pname``, ``word``, ``other``) and its text."""

    kind: str
    text: str


def tokens(sparql: str) -> list[Token]:
    """The tokens of *sparql*, comments and string literals dropped."""
    out = []
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind in ("comment", "string"):
            continue
        out.append(Token(kind, match.group()))
    return out


def _prefixes(toks: list[Token]) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations (prefix with colon → namespace)."""
    found = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and toks[i + 2].kind == "iri":
            found[toks[i + 1].text] = toks[i + 2].text[1:-1]
    return found


def service_targets(sparql: str) -> list[str | None]:
    """The IRI after each ``SERVICE`` keyword (None when it is a variable or unresolvable)."""
    toks = tokens(sparql)
    prefixes = _prefixes(toks)
    targets: list[str | None] = []
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
            j += 1
        target = toks[j] if j < len(toks) else None
        if target is not None and target.kind == "iri":
            targets.append(target.text[1:-1])
        elif target is not None and target.kind == "pname":
            prefix, _, local = target.text.partition(":")
            namespace = prefixes.get(prefix + ":")
            targets.append(None if namespace is None else namespace + local)
        else:
            targets.append(None)
    return targets


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(sparql: str) -> str:
    """Apply SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes (they may spell keywords)."""
    if "\\u" not in sparql and "\\U" not in sparql:
        return sparql
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)


def check_service(sparql: str, allowlist: Iterable[str]) -> None:
    """Raise :class:`ServiceNotAllowed` when the query calls a SERVICE not in *allowlist*."""
    sparql = unescape_codepoints(sparql)
    if "service" not in sparql.lower():
        return
    allowed = set(allowlist)
    for target in service_targets(sparql):
        if target is None or target not in allowed:
            shown = "a variable or unresolvable name" if target is None else f"<{target}>"
            hint = (
                "this endpoint allows no federated queries"
                if not allowed
                else "allowed: " + ", ".join(f"<{a}>" for a in sorted(allowed))
            )
            raise ServiceNotAllowed(
                f"SERVICE {shown} is not allowed ({hint}); run the query without SERVICE, "
                "or ask the operator to add the endpoint to AATD_KG_SERVICE_ALLOWLIST"
            )


def has_dataset_clause(sparql: str) -> bool:
    """True when the query names its own dataset (``FROM`` or ``FROM NAMED``)."""
    if "from" not in sparql.lower():
        return False
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(sparql))


def first_keyword(sparql: str) -> str | None:
    """The first keyword after the prologue (``BASE``/``PREFIX`` declarations), upper-cased."""
    toks = tokens(sparql)
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else None
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        elif tok.kind == "word":
            return word
        else:
            return None
    return None


def looks_like_update(sparql: str) -> bool:
    """True when *sparql* starts (after its prologue) with a SPARQL Update keyword."""
    return first_keyword(sparql) in UPDATE_KEYWORDS
