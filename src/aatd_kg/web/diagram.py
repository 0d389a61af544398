"""A small SVG diagram of an entity's direct links, drawn on the server (no script, no CDN).

The entity sits in the middle; each neighbour sits on a circle around it, joined by an arrow
labelled with the property. Neighbours that resolve somewhere are SVG links.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Most neighbours drawn; the rest are counted in a note under the diagram.
MAX_EDGES = 12

_WIDTH = 760
_HEIGHT = 440
_FONT_PX = 12
_CHAR_PX = 6.6  # average advance of a 12 px sans-serif character
_NODE_H = 24
_MAX_CHARS = 26


@dataclass(frozen=True)
class DiagramEdge:
    """One direct link: ``property`` goes out of the entity to the neighbour, or comes in."""

    property: str
    neighbour: str
    href: str | None
    outgoing: bool


def _clip(text: str, limit: int = _MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node(x: float, y: float, label: str, href: str | None, css: str) -> str:
    text = _clip(label)
    width = max(40.0, len(text) * _CHAR_PX + 16)
    box = (
        f'<rect x="{x - width / 2:.1f}" y="{y - _NODE_H / 2:.1f}" width="{width:.1f}" '
        f'height="{_NODE_H}" rx="6" class="{css}"/>'
        f'<text x="{x:.1f}" y="{y + _FONT_PX / 3:.1f}" text-anchor="middle">{escape(text)}</text>'
    )
    title = f"<title>{escape(label)}</title>"
    if href:
        return f'<a href="{escape(href)}">{title}{box}</a>'
    return f"<g>{title}{box}</g>"


def _edge(x1: float, y1: float, x2: float, y2: float, label: str) -> str:
    # Stop the arrow short of the target's box so the head stays visible.
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    shorten = 30.0
    ex, ey = x2 - dx / length * shorten, y2 - dy / length * shorten
    sx, sy = x1 + dx / length * shorten, y1 + dy / length * shorten
    mx, my = (sx + ex) / 2, (sy + ey) / 2
    return (
        f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
        f'class="edge" marker-end="url(#arrow)"/>'
        f'<text x="{mx:.1f}" y="{my - 4:.1f}" text-anchor="middle" class="prop">'
        f"{escape(_clip(label, 30))}</text>"
    )


def entity_diagram(centre: str, edges: Sequence[DiagramEdge], max_edges: int = MAX_EDGES) -> Markup:
    """SVG markup of *centre* and its direct links (at most *max_edges* drawn)."""
    shown = list(edges[:max_edges])
    cx, cy = _WIDTH / 2, _HEIGHT / 2
    rx, ry = _WIDTH / 2 - 110, _HEIGHT / 2 - 40
    parts = [
        f'<svg class="diagram" viewBox="0 0 {_WIDTH} {_HEIGHT}"'
        f' role="img" aria-labelledby="diagram-title" font-family="sans-serif"'
        f' font-size="{_FONT_PX}">',
        f'<title id="diagram-title">Direct links of {escape(centre)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/>'
        "</marker></defs>",
    ]
    nodes = []
    for index, edge in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(shown), 1)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        if edge.outgoing:
            parts.append(_edge(cx, cy, x, y, edge.property))
        else:
            parts.append(_edge(x, y, cx, cy, edge.property))
        nodes.append(_node(x, y, edge.neighbour, edge.href, "node"))
    parts.extend(nodes)
    parts.append(_node(cx, cy, centre, None, "centre"))
    hidden = len(edges) - len(shown)
    if hidden > 0:
        parts.append(
            f'<text x="{_WIDTH - 8}" y="{_HEIGHT - 8}" text-anchor="end" class="prop">'
            f"+{hidden} more links (listed below)</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text and attribute above is escaped)
