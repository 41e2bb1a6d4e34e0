"""Reading the code's source for the inventory, without running it: the routes a module
declares (with the queries they check) and the log calls a package makes (with their
fields). Shared by the services' surfaces and the web app's."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

LOG_LEVELS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})
Function = ast.AsyncFunctionDef | ast.FunctionDef


def decorated_path(function: Function) -> str | None:
    """The path of a `@<router>.get("…")` decorator."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
            first = decorator.args[0] if decorator.args else None
            if decorator.func.attr == "get" and isinstance(first, ast.Constant):
                return str(first.value)
    return None


def query_kinds(function: Function) -> list[str]:
    """The queries named in the route's `dependencies=` (`q.MemberScorecard`)."""
    kinds = []
    for decorator in function.decorator_list:
        for keyword in getattr(decorator, "keywords", []):
            if keyword.arg == "dependencies":
                kinds += [n.attr for n in ast.walk(keyword.value) if isinstance(n, ast.Attribute)]
    return kinds


def get_routes(path: Path) -> Iterator[tuple[str, Function]]:
    """(path, function) of every GET route the module's source declares."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
            route = decorated_path(node)
            if route is not None:
                yield route, node


def log_calls(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """(line, message, fields) of every `log.<level>(…)` call: its keywords, the keys of a
    literal `**{…}`, or `**<expression>` where the keys cannot be read."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func.value
        if not (isinstance(target, ast.Name) and target.id == "log"):
            continue
        if node.func.attr not in LOG_LEVELS:
            continue
        message = node.args[0] if node.args else None
        text = message.value if isinstance(message, ast.Constant) else "…"
        fields = []
        for keyword in node.keywords:
            if keyword.arg is not None:
                fields.append(keyword.arg)
            elif isinstance(keyword.value, ast.Dict):
                fields += [str(k.value) for k in keyword.value.keys if isinstance(k, ast.Constant)]
            else:
                fields.append("**" + ast.unparse(keyword.value))
        yield node.lineno, str(text), fields


def package_log_sites(package: str, root: Path) -> list[tuple[str, str, list[str]]]:
    """(where, message, fields) of every log call under `root`, `where` as
    `<package>/<file>:<line>`."""
    sites = []
    for path in sorted(root.rglob("*.py")):
        where = f"{package}/{path.relative_to(root).as_posix()}"
        for line, message, fields in log_calls(ast.parse(path.read_text("utf-8"))):
            sites.append((f"{where}:{line}", message, fields))
    return sites
