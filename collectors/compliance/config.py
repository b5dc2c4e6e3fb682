"""A saved VRP / Comware configuration as global lines and sections, for the compliance checks.

Both dialects separate blocks with "#". A section starts at an unindented line ("interface X", "aaa",
"user-interface vty 0 4", "line vty 0 63") and holds the indented lines after it. Comware also indents global
commands by one space right after a "#" (" sysname X"): those are global, not children of anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Section:
    header: str
    lines: list[str] = field(default_factory=list)

    def find(self, pattern: str) -> list[str]:
        regex = re.compile(pattern)
        return [line for line in self.lines if regex.search(line)]

    def first(self, pattern: str) -> re.Match[str] | None:
        regex = re.compile(pattern)
        return next((m for m in (regex.search(line) for line in self.lines) if m), None)


@dataclass
class Config:
    global_lines: list[str]
    sections: list[Section]

    def find(self, pattern: str) -> list[str]:
        """Global lines matching `pattern` (stripped)."""
        regex = re.compile(pattern)
        return [line for line in self.global_lines if regex.search(line)]

    def first(self, pattern: str) -> re.Match[str] | None:
        regex = re.compile(pattern)
        return next((m for m in (regex.search(line) for line in self.global_lines) if m), None)

    def find_anywhere(self, pattern: str) -> list[str]:
        regex = re.compile(pattern)
        found = [line for line in self.global_lines if regex.search(line)]
        for section in self.sections:
            found += [line for line in [section.header, *section.lines] if regex.search(line)]
        return found

    def sections_of(self, pattern: str) -> Iterator[Section]:
        regex = re.compile(pattern)
        return (s for s in self.sections if regex.search(s.header))


def parse_config(text: str) -> Config:
    """Every unindented line is a global line and may open a section; indented lines belong to the open
    section, or are global when no section is open (Comware's " sysname X" right after "#")."""
    global_lines: list[str] = []
    sections: list[Section] = []
    current: Section | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped in {"#", "!", "return", "end"}:
            current = None
            continue
        if stripped.startswith("!"):  # VRP "!Software Version ..." comments
            continue
        if not line[0].isspace():
            global_lines.append(stripped)
            current = Section(header=stripped)
            sections.append(current)
        elif current is not None:
            current.lines.append(stripped)
        else:
            global_lines.append(stripped)
    return Config(global_lines=global_lines, sections=sections)
