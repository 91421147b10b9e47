#!/usr/bin/env python3
"""Extract the ASN.1 modules of TS 36.331 (RRC) and TS 36.463 (XwAP) from the 3GPP text.

Standalone (standard library only)::

    python asn1/extract.py [--specs DIR] [--out DIR] [--check]

``--specs`` is the directory holding the plain-text specifications (``36331-*.txt`` and
``36463-*.txt``, exactly one of each); it defaults to ``../shared/specs`` relative to the
repository root.  ``--out`` defaults to the directory of this script.  The script writes

* ``<out>/36331/<Module>.asn`` - TS 36.331: every line between a ``-- ASN1START`` and the next
  ``-- ASN1STOP`` tag (A.3.1.1 of the spec), concatenated in document order and cut into its
  ``<Module> DEFINITIONS ... END`` modules.  Blocks opened by a marked tag such as
  ``-- /example/ ASN1START`` or ``-- /bad example/ ASN1START`` are illustrations of annex A,
  not part of the protocol, and are skipped.
* ``<out>/36463/<Module>.asn`` - TS 36.463 clause 9.3: its six modules, each from the comment
  banner in front of the ``<Module> { oid } DEFINITIONS ...`` header through its ``END``.

The module text is copied verbatim except for word-processor artifacts: a no-break space
(U+00A0; TS 36.463 has one, in ``ChannelUtilization\\u00a0::=``) becomes a plain space, because
ASN.1 tools do not take it for white space; form feeds are removed; lines that are running page
headers (``3GPP TS 36.331 V17.4.0 (2023-03)``) or footers (``Release 17``) are dropped.  The
texts used here contain no form feed and no header or footer inside the ASN.1.  Every file starts
with one comment line naming its source.  Output is deterministic: ``\\n`` line ends, UTF-8, no
trailing blank lines, and stale ``*.asn`` files in the two output folders are removed.

``--check`` writes nothing and exits with status 1 when the files in ``--out`` differ from a
fresh extraction.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

HEADER = "-- Extracted from 3GPP TS {spec} V{version} ({filename}) by asn1/extract.py; do not edit."

_START = re.compile(r"--\s+ASN1START")
_MARKED_START = re.compile(r"--\s+/[^/]*/\s+ASN1START\b.*")
_STOP = re.compile(r"--\s+ASN1STOP")
_MODULE_36331 = re.compile(r"(?P<name>[A-Z][A-Za-z0-9-]*)\s+DEFINITIONS\b")
_MODULE_36463 = re.compile(r"(?P<name>[A-Z][A-Za-z0-9-]*)\s*\{")
_END = re.compile(r"END")
_TITLE = re.compile(r"3GPP TS (?P<spec>\d\d\.\d\d\d) V(?P<version>\d+\.\d+\.\d+)")
_ARTIFACTS = (
    # running page header, e.g. "3GPP TS 36.331 V17.4.0 (2023-03)<TAB>123"
    re.compile(r"\s*3GPP TS \d\d\.\d\d\d V\d+\.\d+\.\d+ \(\d{4}-\d\d\)(\s+\d+)?\s*"),
    # running page footer, e.g. "Release 17<TAB>123"
    re.compile(r"\s*Release \d+(\s+\d+)?\s*"),
)


class ExtractError(Exception):
    """The specification text does not have the expected shape."""


def version_from_filename(filename: str) -> tuple[str, str]:
    """``'36331-h40.txt'`` -> ``('36.331', '17.4.0')`` (3GPP file naming, base-36 digits)."""
    m = re.fullmatch(r"(\d\d)(\d\d\d)-([0-9a-z])([0-9a-z])([0-9a-z])\.txt", filename)
    if m is None:
        raise ExtractError(f"{filename}: not a 3GPP file name like 36331-h40.txt")
    major, minor, patch = (int(d, 36) for d in m.group(3, 4, 5))
    return f"{m.group(1)}.{m.group(2)}", f"{major}.{minor}.{patch}"


def _read(path: Path) -> tuple[list[str], str, str]:
    text = path.read_text(encoding="utf-8-sig")
    spec, version = version_from_filename(path.name)
    title = _TITLE.search(text[:2000])
    if title is not None and (title["spec"], title["version"]) != (spec, version):
        raise ExtractError(
            f"{path.name}: title says TS {title['spec']} V{title['version']}, "
            f"file name says TS {spec} V{version}"
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines, spec, version


def _clean(line: str) -> str | None:
    """The line without word-processor artifacts, or None for a page header/footer line."""
    line = line.replace("\f", "")
    if any(p.fullmatch(line) for p in _ARTIFACTS):
        return None
    return line.replace("\u00a0", " ")


def _render(header: str, body: list[str]) -> str:
    while body and not body[-1].strip():
        body = body[:-1]
    return "\n".join([header, *body]) + "\n"


def extract_36331(path: Path) -> dict[str, str]:
    """Module name -> file text for a TS 36.331 text file."""
    lines, spec, version = _read(path)
    header = HEADER.format(spec=spec, version=version, filename=path.name)
    asn: list[tuple[int, str]] = []
    state: str | None = None  # None, "asn1" or "marked"
    for number, line in enumerate(lines, 1):
        tag = line.strip()
        if _START.fullmatch(tag) or _MARKED_START.fullmatch(tag):
            if state is not None:
                raise ExtractError(f"{path.name}:{number}: ASN1START inside an ASN.1 block")
            state = "asn1" if _START.fullmatch(tag) else "marked"
        elif _STOP.fullmatch(tag):
            if state is None:
                raise ExtractError(f"{path.name}:{number}: ASN1STOP without ASN1START")
            state = None
        elif state == "asn1" and (cleaned := _clean(line)) is not None:
            asn.append((number, cleaned))
    if state is not None:
        raise ExtractError(f"{path.name}: last ASN.1 block is not closed")

    modules: dict[str, str] = {}
    current: str | None = None
    body: list[str] = []
    for number, line in asn:
        if current is None:
            m = _MODULE_36331.match(line)
            if m is not None:
                current, body = m["name"], [line]
            elif line.strip() and not line.lstrip().startswith("--"):
                raise ExtractError(f"{path.name}:{number}: ASN.1 outside a module: {line!r}")
        else:
            body.append(line)
            if _END.fullmatch(line.rstrip()):
                if current in modules:
                    raise ExtractError(f"{path.name}: module {current} defined twice")
                modules[current] = _render(header, body)
                current = None
    if current is not None:
        raise ExtractError(f"{path.name}: module {current} has no END")
    return modules


def extract_36463(path: Path) -> dict[str, str]:
    """Module name -> file text for a TS 36.463 text file (clause 9.3)."""
    lines, spec, version = _read(path)
    header = HEADER.format(spec=spec, version=version, filename=path.name)
    modules: dict[str, str] = {}
    index = 0
    while index < len(lines):
        m = _MODULE_36463.match(lines[index])
        follows = " ".join(lines[index : index + 8])
        if m is None or not re.search(r"\}\s*DEFINITIONS\b.*::=", follows):
            index += 1
            continue
        start = index
        while start > 0 and (not lines[start - 1].strip() or lines[start - 1].startswith("--")):
            start -= 1
        while not lines[start].strip():
            start += 1
        end = index
        while end < len(lines) and not _END.fullmatch(lines[end].rstrip()):
            end += 1
        if end == len(lines):
            raise ExtractError(f"{path.name}: module {m['name']} has no END")
        body = [c for n in range(start, end + 1) if (c := _clean(lines[n])) is not None]
        if m["name"] in modules:
            raise ExtractError(f"{path.name}: module {m['name']} defined twice")
        modules[m["name"]] = _render(header, body)
        index = end + 1
    return modules


def _one(specs: Path, number: str) -> Path:
    found = sorted(specs.glob(f"{number}-*.txt"))
    if len(found) != 1:
        raise ExtractError(f"{specs}: expected exactly one {number}-*.txt, found {len(found)}")
    return found[0]


def extract_all(specs: Path) -> dict[str, str]:
    """Relative output path (``36331/X.asn``) -> file text."""
    files: dict[str, str] = {}
    for number, extract, expected in (
        ("36331", extract_36331, None),
        ("36463", extract_36463, 6),
    ):
        modules = extract(_one(specs, number))
        if not modules or (expected is not None and len(modules) != expected):
            raise ExtractError(f"TS {number}: found {len(modules)} modules")
        for name, text in modules.items():
            files[f"{number}/{name}.asn"] = text
    return files


def _stale(out: Path, files: dict[str, str]) -> list[Path]:
    return [
        path
        for folder in ("36331", "36463")
        for path in sorted((out / folder).glob("*.asn"))
        if f"{folder}/{path.name}" not in files
    ]


def main(argv: Sequence[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", type=Path, default=here.parent.parent / "shared" / "specs")
    parser.add_argument("--out", type=Path, default=here)
    parser.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = parser.parse_args(argv)
    try:
        files = extract_all(args.specs)
    except (ExtractError, OSError) as exc:
        print(f"extract.py: {exc}", file=sys.stderr)
        return 2
    out: Path = args.out
    differ = [
        rel
        for rel, text in files.items()
        if not (out / rel).is_file() or (out / rel).read_text(encoding="utf-8") != text
    ]
    stale = _stale(out, files)
    if args.check:
        for rel in differ:
            print(f"differs: {rel}")
        for path in stale:
            print(f"stale: {path}")
        return 1 if differ or stale else 0
    for rel in differ:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(files[rel], encoding="utf-8", newline="\n")
        tmp.replace(target)
    for path in stale:
        path.unlink()
    print(f"{len(files)} modules, {len(differ)} written, {len(stale)} removed, in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
