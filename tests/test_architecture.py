"""The package's shape: no import cycle among its modules, lazy or not, and no module that runs
work at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import videonews

ROOT = Path(videonews.__file__).parent


def _modules() -> dict[str, Path]:
    mods = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports anywhere in its body (function-level imports too).

    `from a.b import c` counts as an import of a.b.c when that is a module, else of a.b. Importing a
    module's own ancestor package is structure, not a dependency, and is left out.
    """
    mods = _modules()

    def owner(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(t for a in node.names if (t := owner(a.name)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                for a in node.names:
                    target = f"{base}.{a.name}" if f"{base}.{a.name}" in mods else owner(base)
                    if target:
                        edges.add(target)
        graph[mod] = {e for e in edges if e != mod and not mod.startswith(e + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    assert "videonews.stages.ingest" in graph["videonews.pipeline"]
    assert "videonews.subtitles.formats.srt" in graph["videonews.subtitles.formats"]  # "from . import srt"
    assert "videonews.images" in graph["videonews.stages.photo"]  # imported inside a function


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_importing_the_cli_starts_nothing_and_stays_light():
    """No import-time side effects: importing the CLI loads no image, video or template library."""
    code = ("import sys, videonews.cli; heavy = {'PIL', 'numpy', 'moviepy', 'jinja2', 'cv2', 'ffmpeg', 'pydantic'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_children_are_started_only_by_the_runner_and_the_batch_workers():
    """Every tool run goes through videonews.ffmpeg.runner (typed errors, timeout, kill on Ctrl-C);
    the batch keeps its own long-lived worker processes, each in its own process group."""
    allowed = {"videonews.ffmpeg.runner", "videonews.batch.worker"}
    users = set()
    for mod, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "subprocess" or n.startswith("subprocess.") for n in names):
                users.add(mod)
    assert users == allowed
