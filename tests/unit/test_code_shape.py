"""The shape the code keeps as it grows: no module of the kernel or a service over 250
lines, no import cycle among their modules, and no service or kernel module importing the
developer tools (which service images do not install)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "chibo_kernel": ROOT / "shared" / "kernel" / "chibo_kernel",
    "chibo_chassis": ROOT / "shared" / "chassis" / "chibo_chassis",
    "chibo_contracts": ROOT / "shared" / "contracts" / "chibo_contracts",
    "assignment": ROOT / "services" / "assignment" / "assignment",
    "attendance": ROOT / "services" / "attendance" / "attendance",
    "rating": ROOT / "services" / "rating" / "rating",
    "web": ROOT / "services" / "web" / "web",
}
MAX_LINES = 250


def modules() -> dict[str, Path]:
    found = {}
    for root in PACKAGES.values():
        for path in sorted(root.rglob("*.py")):
            name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported_at_load(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ours a module imports when it loads (imports inside functions and
    under `if TYPE_CHECKING:` run later, or never, and make no cycle at load)."""
    package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = name.split(".") if package else name.split(".")[:-1]
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            subs = {f"{module}.{a.name}" for a in node.names} & set(known)
            # `from . import sibling` loads the sibling, not the whole package again.
            found |= subs if len(subs) == len(node.names) else {module, *subs}
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in graph:
        if v not in index:
            visit(v)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_over_250_lines(package: str) -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in PACKAGES[package].rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"split these along what they hold: {long}"


def test_no_import_cycle_among_the_kernel_and_service_modules() -> None:
    known = modules()
    graph = {name: imported_at_load(name, path, known) for name, path in known.items()}
    assert len(graph) > 200  # the walk found the code, not an empty tree
    assert not cycles(graph)


def test_an_import_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_service_or_kernel_module_imports_the_developer_tools() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules().values()
        if "chibo_tools" in path.read_text()
    ]
    assert not offenders


SKELETON = {
    "adapters",
    "application",
    "application/handlers",
    "application/queries",
    "domain",
    "domain/commands",
    "entrypoints",
    "entrypoints/routes",
    "bootstrap.py",
    "permissions.py",
    "settings.py",
}


@pytest.mark.parametrize("service", ["assignment", "attendance", "rating"])
def test_every_service_has_the_same_skeleton(service: str) -> None:
    root = PACKAGES[service]
    found = {str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts}
    assert found >= SKELETON, sorted(SKELETON - found)
    # One handler module per command: each module of handlers/ handles something.
    handlers = [p for p in (root / "application" / "handlers").glob("*.py") if p.stem != "__init__"]
    assert handlers
    assert all("async def handle" in p.read_text() for p in handlers), service


@pytest.mark.parametrize("service", ["assignment", "attendance", "rating"])
def test_only_the_permissions_table_names_a_permission(service: str) -> None:
    root = PACKAGES[service]
    naming = sorted(
        str(p.relative_to(root)) for p in root.rglob("*.py") if "Permission." in p.read_text()
    )
    assert naming == ["permissions.py"]


def test_the_kernel_library_knows_neither_the_chassis_nor_the_contracts() -> None:
    """The event-sourcing library stands alone; the chassis and the contracts build on it."""
    kernel = PACKAGES["chibo_kernel"]

    def imports(path: Path) -> set[str]:
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
        return found

    leaning = sorted(
        str(p.relative_to(ROOT))
        for p in kernel.rglob("*.py")
        if imports(p) & {"chibo_chassis", "chibo_contracts"}
    )
    assert len(list(kernel.rglob("*.py"))) > 40
    assert not leaning
