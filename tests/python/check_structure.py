"""Reports the functions over 80 lines and the files over 600 lines in src/ and the parser
crate (issue 28's bar), longest first.

    python3 tests/python/check_structure.py [--strict]

A function runs from its `fn` line to the closing brace at its indentation; doc comments
and attributes are not counted; tests count like the rest. With --strict the script fails
when anything is over the bar (CI passes --strict).
"""

import pathlib
import re
import sys

FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")
MAX_FN, MAX_FILE = 80, 600


def functions(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = FN.match(lines[i])
        if m and not lines[i].rstrip().endswith(";"):
            indent = m.group(1)
            j = i
            while j < len(lines) and lines[j] != indent + "}" and not (j == i and lines[j].rstrip().endswith("}")):
                j += 1
            yield m.group(7), i + 1, j - i + 1
            i = j + 1
        else:
            i += 1


def main(strict):
    root = pathlib.Path(__file__).resolve().parents[2]
    files = sorted(list((root / "src").rglob("*.rs")) + list((root / "crates/digest/src").rglob("*.rs")))
    long_fns, long_files = [], []
    for f in files:
        n = f.read_text(encoding="utf-8").count("\n")
        rel = f.relative_to(root)
        if n > MAX_FILE:
            long_files.append((n, rel))
        long_fns += [(length, rel, name, line) for name, line, length in functions(f) if length > MAX_FN]
    for n, rel in sorted(long_files, reverse=True):
        print(f"file over {MAX_FILE} lines: {rel} ({n})")
    for length, rel, name, line in sorted(long_fns, reverse=True):
        print(f"function over {MAX_FN} lines: {rel}:{line} {name} ({length})")
    print(f"{len(long_files)} files and {len(long_fns)} functions over the bar")
    return 1 if strict and (long_files or long_fns) else 0


if __name__ == "__main__":
    sys.exit(main("--strict" in sys.argv[1:]))
