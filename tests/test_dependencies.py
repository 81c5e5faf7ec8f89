"""The build is reproducible in its dependencies (B10): bounded, declared, installed at exact versions.

pyproject.toml says which versions may work (every runtime dependency with an
upper bound); constraints.txt says which exact versions are installed, and
`make setup` and CI install through it; the CI workflow runs actions pinned by
commit. These checks read the files only.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib

from conftest import ROOT
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

CONSTRAINTS = ROOT / "constraints.txt"
WORKFLOWS = ROOT / ".github" / "workflows"

UPPER = ("<", "<=", "==", "~=", "===")
"""Specifier operators that stop a requirement at a newest version."""

PINNED_USE = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirements(extra: str | None = None) -> list[Requirement]:
    table = project()["project"]
    found = table["dependencies"] if extra is None else table["optional-dependencies"][extra]
    return [Requirement(text) for text in found]


def pins() -> dict[str, Version]:
    """constraints.txt as name → version; every line that is not a comment is `name==version`."""
    pinned = {}
    for number, line in enumerate(CONSTRAINTS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert (
            sep
            and re.fullmatch(r"[A-Za-z0-9._-]+", name)
            and re.fullmatch(r"[0-9A-Za-z.+!-]+", version)
        ), f"constraints.txt:{number}: not an exact pin: {line!r}"
        assert canonicalize_name(name) not in pinned, (
            f"constraints.txt:{number}: {name} pinned twice"
        )
        pinned[canonicalize_name(name)] = Version(version)
    return pinned


def test_every_runtime_dependency_has_an_upper_bound():
    unbounded = [
        str(r) for r in requirements() if not any(s.operator in UPPER for s in r.specifier)
    ]
    assert unbounded == [], f"no upper bound: {unbounded}"


def imported_modules() -> set[str]:
    """The top-level modules the generator package imports, wherever in a file the import is."""
    names = set()
    for path in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"generator", "__future__"}


def test_every_package_the_generator_imports_is_a_declared_dependency():
    providers = metadata.packages_distributions()
    declared = {canonicalize_name(r.name) for r in requirements()}
    undeclared = sorted(
        f"{module} (from {', '.join(providers.get(module, ['?']))})"
        for module in imported_modules()
        if not {canonicalize_name(d) for d in providers.get(module, [])} & declared
    )
    assert undeclared == [], f"imported but not in pyproject.toml's dependencies: {undeclared}"


UNIMPORTED = {
    "lxml-html-clean": "jusText (through trafilatura) imports lxml.html.clean, which lxml moved into it",
}
"""Runtime dependencies the generator needs without importing them, each with the reason."""


def test_every_declared_dependency_is_imported_by_the_generator():
    """A dependency declared but not imported (review: `markdown`, which comes with MkDocs) is one more bound to
    keep for nothing; one imported but not declared (`markupsafe`) works only while another package pulls it in."""
    providers = metadata.packages_distributions()
    imported = {
        canonicalize_name(d) for module in imported_modules() for d in providers.get(module, [])
    }
    unused = sorted(
        name
        for name in (canonicalize_name(r.name) for r in requirements())
        if name not in imported and name not in UNIMPORTED
    )
    assert unused == [], (
        f"in pyproject.toml's dependencies but never imported by generator/: {unused}"
    )


def closure(roots: list[Requirement]) -> dict[str, list[Requirement]]:
    """Every distribution the requirements pull in, as installed here: name → every requirement naming it."""
    environment = default_environment()
    found: dict[str, list[Requirement]] = {}
    todo = [(r, "test") for r in roots]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        seen = name in found
        found.setdefault(name, []).append(requirement)
        if seen:
            continue
        for text in metadata.requires(requirement.name) or []:
            todo += [(Requirement(text), wanted) for wanted in requirement.extras or {""}]
    return found


def test_the_constraints_pin_everything_setup_installs_within_what_pyproject_allows():
    pinned = pins()
    needed = closure(requirements() + requirements("test"))
    missing = sorted(set(needed) - set(pinned))
    assert missing == [], (
        f"installed by make setup but not in constraints.txt (make constraints): {missing}"
    )
    refused = sorted(
        f"{name}=={pinned[name]} (wants {r.specifier})"
        for name, named in needed.items()
        for r in named
        if not r.specifier.contains(pinned[name], prereleases=True)
    )
    assert refused == [], f"constraints.txt pins a version a requirement refuses: {refused}"
    build = [Requirement(text) for text in project()["build-system"]["requires"]]
    assert "pip" in pinned and all(
        canonicalize_name(r.name) in pinned
        and r.specifier.contains(pinned[canonicalize_name(r.name)])
        for r in build
    ), "pip and the build backend are pinned"


def test_setup_installs_through_the_constraints():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    setup = makefile[makefile.index("$(STAMP):") : makefile.index("touch $(STAMP)")]
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(CONSTRAINTS\)$", setup, re.M), (
        "reinstall when it changes"
    )
    assert re.search(r"^CONSTRAINTS := constraints\.txt$", makefile, re.M)
    assert re.search(r"^PIP := -m pip install .*-c \$\(CONSTRAINTS\)$", makefile, re.M)
    installs = [line.strip() for line in setup.splitlines() if "pip" in line.lower()]
    assert installs == [
        "$(BIN)/python $(PIP) --upgrade pip",
        "$(BIN)/python $(PIP) --build-constraint $(CONSTRAINTS) -e '.[test]'",
    ]
    assert "make test" in (ROOT / ".ci" / "run").read_text(
        encoding="utf-8"
    )  # which sets up through the Makefile


def test_every_action_is_pinned_by_a_full_commit_with_its_release_in_a_comment():
    for workflow in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(workflow.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(?:- )?uses:", line):
                assert PINNED_USE.match(line), (
                    f"{workflow.name}:{number}: not pinned by commit: {line.strip()}"
                )
