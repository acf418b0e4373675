"""A minimal XML tree that remembers the line of every element.

The standard library's ElementTree forgets line numbers, and a gold file error must name its line;
expat reports them, so this builds a small tree straight from expat's callbacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from vigil.errors import GoldFormatError


@dataclass(slots=True)
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The character data directly inside this element (CDATA included), as one string."""
        return "".join(self.parts)

    def find(self, *path: str) -> Node | None:
        """The first descendant along ``path`` of child tags, or None."""
        node: Node | None = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None) if node else None
        return node


def parse_xml(path: Path) -> Node:
    """Parse ``path`` into a tree of Nodes; malformed XML is a GoldFormatError with file and line."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[Node] = []
    roots: list[Node] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot open: {exc}") from exc
    except expat.ExpatError as exc:
        raise GoldFormatError(f"{path}:{exc.lineno}: not well-formed XML: {expat.ErrorString(exc.code)}") from exc
    if not roots:
        raise GoldFormatError(f"{path}:1: no XML element")
    return roots[0]
