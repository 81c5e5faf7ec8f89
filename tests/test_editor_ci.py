"""CI for projects of briefings: annotations on pull requests, the Pages workflow, the pre-commit hook."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from conftest import BRIEFING, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


# --- briefing check --format github ---------------------------------------------------------


def test_github_annotations_are_escaped(project, cli):
    root = project(
        {
            "content/briefings/b1.yaml": BRIEFING.replace(
                "summary: Talks go on.\n",
                'summary: Talks go on.\nstatus: 50%, maybe\n"a\\nb": x\n"c\\rd": y\n',
            ),
            "content/briefings/x,y:z.yml": "id: q\n",
        }
    )
    run = cli(root, "check", "--format", "github")
    assert run.code == 1
    assert run.out == (
        "::error file=content/briefings/b1.yaml,line=5,col=9,title=briefing check::"
        "status: '50%25, maybe' is not one of: developing, stable, archived\n"
        "::error file=content/briefings/b1.yaml,line=6,col=1,title=briefing check::"
        "a%0Ab: unknown field 'a%0Ab' in a briefing\n"
        "::error file=content/briefings/b1.yaml,line=7,col=1,title=briefing check::"
        "c%0Dd: unknown field 'c%0Dd' in a briefing\n"
        "::error file=content/briefings/x%2Cy%3Az.yml,line=1,col=1,title=briefing check::"
        "briefing files end in .yaml; rename it so it is read\n"
    )
    assert run.err == "4 errors in 2 files\n"


def test_github_format_of_clean_content_prints_the_usual_line(project, cli):
    run = cli(project(), "check", "--format", "github")
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith("ok: 3 files, 5 records, 1 quotes verified")


def test_file_level_problems_have_no_line(project, cli):
    root = project({"content/actors.yaml": None})
    run = cli(root, "check", "--format", "github")
    assert run.out.splitlines()[0] == (
        "::error file=content/actors.yaml,line=1,col=1,title=briefing check::file is missing; every project needs it"
    )
    from generator.errors import Diagnostic

    assert Diagnostic("a,b.yaml", 0, 0, "", "100% wrong").github_annotation() == (
        "::error file=a%2Cb.yaml,title=briefing check::100%25 wrong"
    )
    assert Diagnostic(
        "a.yaml", 2, 3, "x", "bell\x07, escape\x1b[31m\nnext"
    ).github_annotation() == (
        "::error file=a.yaml,line=2,col=3,title=briefing check::x: bell\\x07, escape\\x1b[31m%0Anext"
    )


# --- the workflow ----------------------------------------------------------------------------


def tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} is missing; install the test extra: pip install -e '.[test]'"
    return str(path)


def test_workflow_is_valid_against_the_published_schema():
    run = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "site.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("pages: write", "pages: writ"),
        encoding="utf-8",
    )
    run = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "'writ' is not one of ['read', 'write', 'none']" in run.stdout


def test_ci_lints_and_type_checks_before_the_tests():
    """`make lint` runs ruff's lint rules and its format check, and mypy (configured in pyproject.toml); the CI
    entry point runs it first."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile[makefile.index("\nlint: $(STAMP)\n") :].split("\n\n")[0].splitlines()[2:]
    assert lint == ["\t$(BIN)/ruff check .", "\t$(BIN)/ruff format --check .", "\t$(BIN)/mypy"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci.index("make lint") < ci.index("make test")


def workflow() -> dict:
    return yaml.load(
        WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )  # 'on' stays a key


def test_workflow_checks_tests_and_builds_pull_requests():
    wf = workflow()
    assert set(wf["on"]) >= {"pull_request", "push"}
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read"}
    steps = wf["jobs"]["build"]["steps"]
    runs = [s.get("run") for s in steps if "run" in s]
    assert runs == [
        "make setup",
        ".venv/bin/briefing check --format github",
        "make lint",
        "make test",
        "make site",
    ]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"].split() == ["pyproject.toml", "constraints.txt"]
    for step in steps:
        if step.get("uses", "").startswith("actions/upload-pages-artifact@"):
            assert step["with"]["path"] == "site"
            assert (
                step["if"]
                == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
            )


def test_workflow_deploys_main_to_pages_with_the_official_actions():
    wf = workflow()
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    assert "group" in wf["concurrency"]
    uses = [
        s["uses"].split("@")[0] for job in wf["jobs"].values() for s in job["steps"] if "uses" in s
    ]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache/restore",
        "actions/cache/restore",
        "actions/cache/save",
        "actions/cache/save",
        "actions/upload-pages-artifact",
        "actions/configure-pages",
        "actions/deploy-pages",
    ]


def test_workflow_commands_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("setup", "test", "site"):
        assert re.search(rf"^{target}:", makefile, re.M), target


# --- the pre-commit hook ---------------------------------------------------------------------


def test_pre_commit_hook_runs_briefing_check_on_content_changes():
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert set(hook) <= {
        "id",
        "name",
        "description",
        "entry",
        "language",
        "pass_filenames",
        "files",
        "types",
    }
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == (
        "briefing-check",
        "python",
        False,
    )
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    command, *args = hook["entry"].split()
    assert command in scripts and args == ["check"]
    files = re.compile(hook["files"])
    for path in ("content/briefings/2025-12-29-x.yaml", "content/actors.yaml", "seeds/article.txt"):
        assert files.search(path), path
    for path in ("generator/cli.py", "README.md", "tests/cases/broken/content/actors.yaml"):
        assert not files.search(path), path


def test_pre_commit_entry_runs(cli, project):
    """What the hook runs, in a project of briefings: exit 0 when clean, 1 with every error."""
    root = project()
    assert cli(root, "check").code == 0
    (root / "content" / "actors.yaml").write_text("actors:\n  - id: x\n", encoding="utf-8")
    assert cli(root, "check").code == 1
