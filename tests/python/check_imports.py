"""Checks the module import graph of src/ (issue 28): no circle, and no module importing one
that stands above it, across src/ and inside src/analytics (and its stories) and src/report.

    python3 tests/python/check_imports.py [--graph]

The layers are written below, lowest first; a module may use modules of its own layer or
lower ones. A module missing from its list is an error, so a new module is placed on
purpose. References are `crate::…` and `super::…` paths outside comments and outside the
test modules (`#[cfg(test)] mod tests`), which may borrow any helper; a parent's `mod`
declarations are not uses. `--graph` prints the edges.
"""

import pathlib
import re
import sys

# Lowest first. Modules of one layer may use each other only if that makes no circle.
LAYERS = {
    "": [
        # the parser crate's modules, re-exported by lib.rs, and the small tools
        ["hash", "lang", "model", "names", "outlets", "problems", "sides", "allocator", "fxhash", "timing", "queue"],
        ["frames", "tables", "schema", "write"],
        ["resources"],
        ["store"],
        ["extract"],
        ["analytics"],
        ["charts"],
        ["report"],
        ["export", "pipeline"],
        ["cli"],
        ["lib", "main"],
    ],
    "analytics": [
        ["analytics::table"],
        ["analytics::base", "analytics::lexicon"],
        ["analytics::periods"],
        ["analytics::shares", "analytics::themes", "analytics::coverage", "analytics::stories"],
        ["analytics::blindspots", "analytics::terms", "analytics::grounding", "analytics::tone", "analytics::restart"],
        ["analytics::plan"],
        ["analytics::incremental"],
        ["analytics::partitions"],
        ["analytics::service", "analytics::job"],
        ["analytics"],
    ],
    "analytics::tone": [
        ["analytics::tone::score"],
        ["analytics::tone::items"],
        ["analytics::tone::side"],
        ["analytics::tone"],
    ],
    "analytics::stories": [
        ["analytics::stories::numbers", "analytics::stories::months", "analytics::stories::eval", "analytics::stories::item", "analytics::stories::rows", "analytics::stories::resume"],
        ["analytics::stories::bridge", "analytics::stories::shingles"],
        ["analytics::stories::normalise"],
        ["analytics::stories::merge", "analytics::stories::clusterer"],
        ["analytics::stories::blocking", "analytics::stories::link", "analytics::stories::join"],
        ["analytics::stories::cluster"],
        ["analytics::stories::facts"],
        ["analytics::stories::columns"],
        ["analytics::stories"],
    ],
    "report": [
        ["report::model", "report::font", "report::calendar"],
        ["report::markup", "report::view", "report::format"],
        ["report::html", "report::markdown", "report::images"],
        ["report::compare", "report::weekly", "report::render"],
        ["report::job"],
        ["report"],
    ],
}
# Which modules are broken into their own submodules for the check (the others count whole).
OPEN = {"analytics", "analytics::stories", "analytics::tone", "report"}

ROOT = pathlib.Path(__file__).resolve().parents[2] / "src"
PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)(::\{([^}]*)\})?")
GROUP = re.compile(r"\buse\s+(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^;]*)\};", re.S)


def module_of(path):
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts.pop()
    return parts


def node(parts):
    """The node a module path counts as: opened modules show their children."""
    n = parts[:1]
    while n and "::".join(n) in OPEN and len(parts) > len(n):
        n = parts[: len(n) + 1]
    return "::".join(n)


def code(text):
    """The text without comments and without the trailing test module."""
    m = re.search(r"^#\[cfg\(test\)\]\s*\n\s*mod tests", text, re.M)
    if m:
        text = text[: m.start()]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] if "//" in line and '"' not in line else line for line in text.split("\n"))


def modules():
    found = {}
    for f in sorted(ROOT.rglob("*.rs")):
        found[tuple(module_of(f))] = f
    return found


def resolve(base, segs, known):
    """The longest prefix of the path that is a module file."""
    path = list(base) + segs
    for k in range(len(path), 0, -1):
        if tuple(path[:k]) in known:
            return path[:k]
    return path[:1]


def targets(mod, text, known):
    out = set()
    def absolute(kind, segs):
        if kind == "crate":
            return [], segs
        base, segs = list(mod), list(segs)
        # `super` in a mod.rs or a leaf file: the parent of the file's module.
        base = base[:-1]
        while segs and segs[0] == "super":
            base, segs = base[:-1], segs[1:]
        return base, segs
    for m in GROUP.finditer(text):
        kind, head = m.group(1), [s for s in m.group(2).split("::") if s]
        for item in re.split(r",(?![^{]*\})", m.group(3)):
            item = item.strip().split(" as ")[0]
            if not item or item == "self":
                continue
            segs = head + [s for s in re.split(r"::", item.split("::{")[0]) if s]
            base, segs = absolute(kind, segs)
            out.add(tuple(resolve(base, segs, known)))
    for m in PATH.finditer(GROUP.sub("", text)):
        kind, segs = m.group(1), [s for s in m.group(2).split("::") if s]
        base, segs = absolute(kind, segs)
        out.add(tuple(resolve(base, segs, known)))
    return out


def common_scope(src, dst):
    """The innermost opened module holding both, and each one as seen from there: itself, or
    its ancestor one level below the scope (a parent's mod.rs counts as the parent)."""
    s, d = src.split("::"), dst.split("::")
    k = 0
    while k < min(len(s), len(d)) and s[k] == d[k]:
        k += 1
    while k > 0 and "::".join(s[:k]) not in OPEN:
        k -= 1
    scope = "::".join(s[:k])
    return scope, "::".join(s[: k + 1]), "::".join(d[: k + 1])


def layer_in(layers, name):
    for k, layer in enumerate(layers or []):
        if name in layer:
            return k
    return None


def main(show):
    known = modules()
    edges = set()
    for mod, f in known.items():
        src = node(list(mod))
        for t in targets(mod, code(f.read_text(encoding="utf-8")), known):
            dst = node(list(t))
            if dst and dst != src:
                edges.add((src, dst))
    problems = []
    for src, dst in sorted(edges):
        scope, a, b = common_scope(src, dst)
        layers = LAYERS.get(scope)
        la, lb = layer_in(layers, a), layer_in(layers, b)
        for name, layer in ((a, la), (b, lb)):
            if layer is None:
                problems.append(f"{name} is in no layer of scope '{scope}' in check_imports.py")
        if la is not None and lb is not None and lb > la:
            problems.append(f"{src} uses {dst}, which stands above it ({b} over {a})")
    # Circles.
    graph = {}
    for s, d in edges:
        graph.setdefault(s, set()).add(d)
    state, stack = {}, []
    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                problems.append("circle: " + " -> ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[n] = 2
    for n in sorted(graph):
        if n not in state:
            visit(n)
    if show:
        for s, d in sorted(edges):
            print(f"{s} -> {d}")
    for p in problems:
        print(p)
    print(f"{len(edges)} edges, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--graph" in sys.argv[1:]))
