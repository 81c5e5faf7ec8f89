"""ARCHITECTURE.md's import rules, enforced: each module of the package imports only what its layer may.

The layers follow the pipeline, lowest first: format → check → pages → data → output. A module may
import the support modules and modules of its own layer or a lower one; no layer imports a door (the
CLI, the MkDocs plugin, the preview server, the scaffold); only four modules import MkDocs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "generator"
LAYERS = ("format", "check", "pages", "data", "output")
SUPPORT = {"errors", "suggest", "project", "config", "progress", "collector"}
DOORS = {"cli", "plugin", "serve", "preview", "scaffold", "intake", "__main__"}
IMPORTS_NOTHING = {"errors", "suggest", "progress", "collector"}
MKDOCS_ALLOWED = {"output.build", "serve", "config", "plugin"}


def modules() -> dict[str, Path]:
    """``format.loader`` → its file, for every module of the package but the package's own ``__init__``."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        if rel.parts[0] == "site_templates" or rel.parts == ("__init__",):
            continue
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path) -> set[str]:
    """Every name imported by the module, anywhere in it (inside functions too), made absolute."""
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = ["generator", *package][: len(package) + 1 - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def project_modules(names: set[str], known: set[str]) -> set[str]:
    """The modules of the package among imported names (``generator.format`` with ``schema`` → ``format.schema``)."""
    inside = {n.removeprefix("generator.") for n in names if n.startswith("generator.")}
    return {n for n in inside if n in known}


def layer(module: str) -> str:
    head = module.split(".")[0]
    if head in LAYERS:
        return head
    if head in SUPPORT:
        return "support"
    assert head in DOORS, (
        f"generator/{module}: in no layer of ARCHITECTURE.md; add it to a layer or a door"
    )
    return "door"


def allowed(importer: str, imported_module: str) -> bool:
    mine, theirs = layer(importer), layer(imported_module)
    if theirs == "door":
        return mine == "door"
    if mine == "door":
        return True
    if mine == "support":
        return theirs == "support" and importer.split(".")[0] not in IMPORTS_NOTHING
    if theirs == "support":
        return True
    return LAYERS.index(theirs) <= LAYERS.index(mine)


def violations(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"generator/{a.replace('.', '/')}.py imports {b}"
        for a, deps in graph.items()
        for b in deps
        if not allowed(a, b)
    )


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {
        name: project_modules(imported(name, path), set(found)) - {name}
        for name, path in found.items()
    }


def test_every_module_imports_only_what_its_layer_may():
    assert violations(import_graph()) == []


def test_only_four_modules_import_mkdocs():
    users = {
        name
        for name, path in modules().items()
        if any(n.split(".")[0] == "mkdocs" for n in imported(name, path))
    }
    assert users <= MKDOCS_ALLOWED, sorted(users - MKDOCS_ALLOWED)


@pytest.mark.parametrize(
    ("importer", "target", "ok"),
    [
        ("format.model", "check.quotes", False),  # a lower layer reaching up
        ("pages.render", "output.write", False),
        ("data.feeds", "pages.fragments", True),
        ("output.generate", "data.export", True),
        ("check.checker", "cli", False),  # no layer imports a door
        ("errors", "format.loader", False),  # support imports no layer
        ("project", "config", True),
        ("cli", "output.build", True),
    ],
)
def test_the_rules_themselves(importer, target, ok):
    assert allowed(importer, target) is ok


MAX_LINES = 80


def test_no_function_of_the_generator_is_over_80_lines():
    root = ROOT
    long = {}
    for path in sorted((root / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_LINES:
                    long[f"{path.relative_to(root).as_posix()}:{node.name}"] = lines
    assert long == {}


def _url_literals(text: str) -> list[str]:
    """Quoted text that starts like a URL of the site's sections ("stories/…", 'issues/' ~ …)."""
    from generator.pages import urls

    sections = {
        value.split("/")[0]
        for name, value in vars(urls).items()
        if name.isupper() and isinstance(value, str) and "/" in value
    }
    pattern = re.compile("[\"'](?:" + "|".join(sorted(sections)) + ")/")
    return pattern.findall(text)


def test_every_url_of_the_site_is_made_in_one_module():
    """urls.py says where each page lives; the code and the page templates ask it (as ``u`` in templates)."""
    found = {}
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "site_templates" / "pages").glob("*.j2")]:
        if path.name == "urls.py":
            continue
        hits = _url_literals(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert found == {}


def test_the_url_check_sees_a_url_written_out():
    assert _url_literals("""link('stories/' ~ key ~ '/')""") == ["'stories/"]
    assert _url_literals('f"issues/{i}/"') == ['"issues/']
    assert _url_literals('"data/records.json"') == ['"data/']
    assert _url_literals("link(u.story(key))") == []


def _markup_built_by_adding(tree: ast.AST) -> list[int]:
    """Lines where ``Markup(...)`` is made of strings added together, joined by a plain string, or formatted
    with % or an f-string: HTML whose parts no one escaped on the way."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Markup"):
            continue
        for arg in node.args:
            joined = (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "join"
                and isinstance(arg.func.value, ast.Constant)
            )
            if isinstance(arg, ast.BinOp | ast.JoinedStr) or joined:
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("module", ["pages/fragments.py", "pages/render.py", "data/timelinejs.py"])
def test_html_fragments_are_filled_in_never_added_together(module):
    """Fragments fill constant HTML with escaped parts (``fragments.html``, ``Markup.join``), so a part that
    was not escaped cannot reach a page."""
    assert _markup_built_by_adding(ast.parse((PACKAGE / module).read_text(encoding="utf-8"))) == []


def test_the_fragment_check_sees_html_added_together():
    tree = ast.parse(
        "Markup('<b>' + name + '</b>')\nMarkup(''.join(parts))\nMarkup(f'<i>{x}</i>')\n"
        "html('<b>{}</b>', name)\nMarkup('').join(parts)\n"
    )
    assert _markup_built_by_adding(tree) == [1, 2, 3]


def test_a_fragment_escapes_every_part_it_is_not_told_is_html():
    from markupsafe import Markup

    from generator.pages.fragments import html

    made = html('<a title="{}">{}</a>', '"><script>', Markup("<b>kept</b>"))
    assert made == '<a title="&#34;&gt;&lt;script&gt;"><b>kept</b></a>'
