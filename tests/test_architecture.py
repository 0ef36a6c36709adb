"""The import graph of ``suggestions/``: no package cycles, and every arrow points down the
layers of DESIGN.md "Architecture" (README "Architecture" draws the same picture).

Imports are read with ``ast``, so imports inside functions count as much as those at the top
of a module; only ``if TYPE_CHECKING:`` imports are left out (they never run, and an ORM
relationship may name a model of a higher layer by its string name). A higher package plugs into
a lower one through ``core.registry`` or ``policy.register`` in its ``init_app``, never by being
imported from below.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "suggestions"

# Lowest first. A package may import its own layer's modules and those of lower layers only;
# packages sharing a layer may not import each other. ``web`` is the glue every page shares
# (error pages, security headers, template helpers, the safe redirect): domain views use it,
# so it knows no domain; domains add their template filters in their own ``init_app``.
# ``api`` offers the notifications too, so it sits above ``notify``.
# ``devtools`` fills every domain with demo and bench data; ``cli`` offers the commands of
# all of them; ``app`` is ``suggestions/__init__.py``, the factory that wires everything.
LAYERS: list[set[str]] = [
    {"core"},
    {"policy"},
    {"web"},
    {"org"},
    {"auth"},
    {"ideas"},
    {"workflow"},
    {"governance", "ledger"},
    {"notify"},
    {"insights"},  # the review pack mails leadership through notify's outbox
    {"api", "people"},  # people: erasing and exporting a person touch every domain
    {"devtools"},
    {"cli"},
    {"app"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _package_of(module: str) -> str:
    """``suggestions.ideas.rules`` -> ``ideas``; ``suggestions`` itself -> ``app``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "app"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import of ``suggestions`` in the file."""
    module = _module_name(path)
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from . import x`` and ``from .. import x`` name modules (or packages).
            targets = (
                [f"{target}.{alias.name}" for alias in node.names] if not node.module else [target]
            )
        else:
            continue
        if _type_checking_only(node, parents):
            continue
        found += [(t, node.lineno) for t in targets if t.split(".")[0] == "suggestions"]
    return found


def _arrows() -> dict[tuple[str, str], list[str]]:
    """(from package, to package) -> where, for every import across packages."""
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _package_of(_module_name(path))
        for target, line in _imports(path):
            destination = _package_of(target)
            if destination != source:
                where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                arrows[(source, destination)].append(where)
    return arrows


ARROWS = _arrows()


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert packages | modules <= set(RANK), "add the new package to LAYERS (and to DESIGN.md)"


@pytest.mark.parametrize("arrow", sorted(ARROWS), ids="->".join)
def test_imports_point_down_the_layers(arrow):
    source, destination = arrow
    assert RANK[destination] < RANK[source], (
        f"{source} (layer {RANK[source]}) imports {destination} (layer {RANK[destination]}): "
        f"{', '.join(ARROWS[arrow])}. Let {destination} plug in through core.registry or "
        "policy.register from its init_app instead."
    )


def test_there_is_no_cycle_between_packages():
    # Implied by the layers; kept apart so that the message names the loop itself.
    graph: dict[str, set[str]] = defaultdict(set)
    for source, destination in ARROWS:
        graph[source].add(destination)

    def cycle_from(start: str, node: str, seen: list[str]) -> list[str] | None:
        for following in sorted(graph[node]):
            if following == start:
                return [*seen, start]
            if following not in seen:
                found = cycle_from(start, following, [*seen, following])
                if found:
                    return found
        return None

    for start in sorted(graph):
        assert cycle_from(start, start, [start]) is None


def test_the_policy_and_the_core_know_no_domain():
    for source, destination in ARROWS:
        if source in ("core", "policy"):
            assert destination == "core", ARROWS[(source, destination)]


def test_the_new_domains_may_build_on_the_workflow_and_below():
    below = {"core", "policy", "web", "auth", "org", "ideas", "workflow"}
    assert all(RANK[p] < RANK["governance"] == RANK["ledger"] for p in below)
    assert RANK["ledger"] < min(RANK["notify"], RANK["insights"], RANK["api"])


def test_the_reader_counts_function_level_imports():
    # The analysis itself: an import inside a function is an arrow too.
    assert any(where.startswith("suggestions/__init__.py") for where in ARROWS[("app", "devtools")])


def _module_arrows() -> dict[str, set[str]]:
    """Module -> the modules of ``suggestions`` it imports (a package's ``__init__`` left out:
    it holds the blueprint its views import and the ``init_app`` that wires them)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    arrows: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target, _line in _imports(path):
            # ``from .models import X`` names a module; ``from . import rules`` too.
            while target and target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in modules and target != name:
                arrows[name].add(target)
    return arrows


def test_there_is_no_cycle_between_modules():
    # Within a package too: a loop between modules is what forces imports into functions.
    arrows = _module_arrows()
    state: dict[str, str] = {}
    loops = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for following in sorted(arrows[module]):
            if state.get(following) == "open":
                loops.append([*path[path.index(following) :], following])
            elif following not in state:
                visit(following, [*path, following])
        state[module] = "done"

    for module in sorted(arrows):
        if module not in state:
            visit(module, [module])
    assert loops == []
