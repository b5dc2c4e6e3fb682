"""Fill a .po catalogue's translations from a JSON table {msgid: translation}, then run compilemessages.

Usage: python tools/fill_po.py path/to/django.po path/to/table.json
Keeping translations in a table (not hand-edited .po text) makes re-extraction with makemessages safe: run
makemessages, then this; strings the table lacks are named on stderr and the exit status is 1.
Catalogues: inventory/locale (inventory/locale/zh_Hans.json), dashboards/locale (dashboards/locale/zh_Hans.json).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

BLOCK = re.compile(r'^((?:#.*\n)*)msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def _unquote(lines: str) -> str:
    return "".join(line[1:-1].replace('\\"', '"').replace("\\n", "\n") for line in lines.strip().splitlines())


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) + "\n"


def _settled(comments: str) -> str:
    """An entry's comments once the table decided its translation: not fuzzy, no previous msgid.

    makemessages (msgmerge) marks a new msgid "fuzzy" when it resembles an old one, with a guessed msgstr;
    compilemessages leaves fuzzy entries out, so a translation filled from the table would never show.
    """
    lines = []
    for line in comments.splitlines(keepends=True):
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags) + "\n"
        lines.append(line)
    return "".join(lines)


def main(po_path: str, table_path: str) -> int:
    po = Path(po_path)
    table: dict[str, str] = json.loads(Path(table_path).read_text(encoding="utf-8"))
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        comments, quoted = match.group(1), match.group(2)
        msgid = _unquote(quoted)
        if not msgid:
            return match.group(0)
        if msgid not in table:
            missing.append(msgid)
            return match.group(0)
        return f"{_settled(comments)}msgid {quoted}msgstr {_quote(table[msgid])}"

    text = BLOCK.sub(fill, po.read_text(encoding="utf-8")).replace("#, fuzzy\n", "", 1)
    po.write_text(text.replace('"Language: \\n"', '"Language: zh_Hans\\n"'), encoding="utf-8")
    for msgid in missing:
        print(f"missing translation: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
