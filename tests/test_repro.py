"""Same content, same bytes (RELIABILITY.md, principle 6).

Two full ``briefing build`` runs, each in a fresh process and its own copy of
the project (in folders of different names), under a different hash seed,
time zone and locale but the same ``SOURCE_DATE_EPOCH``, give byte-identical
docs/ and site/, the sitemap and its gzip included. One locale is the C locale
with Python's UTF-8 mode turned off, so any file read or written without an
explicit encoding would show here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, site_project

from generator.output.write import existing_files

pytestmark = pytest.mark.slow  # two full builds in fresh processes

BRIEFING = Path(sys.executable).parent / "briefing"
EPOCH = "1767052800"  # 2025-12-30 00:00 UTC

ENVIRONMENTS = {
    "tokyo": {"PYTHONHASHSEED": "1", "TZ": "Asia/Tokyo", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
    "kiritimati": {
        "PYTHONHASHSEED": "4242",
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "POSIX",
        "LANG": "POSIX",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
    },
}


def build_in(folder: Path, env: dict[str, str]) -> dict[str, bytes]:
    folder.mkdir()
    root = site_project(folder, ROOT)
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LC_", "PYTHON")) and k not in ("LANG", "TZ")
    }
    run = subprocess.run(
        [str(BRIEFING), "build"],
        cwd=root,
        env={**clean, **env, "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    out = {}
    for name in ("docs", "site"):
        out.update(
            {f"{name}/{rel}": p.read_bytes() for rel, p in existing_files(root / name).items()}
        )
    return out


def test_two_builds_in_different_environments_are_byte_identical(tmp_path):
    first, second = (build_in(tmp_path / name, env) for name, env in ENVIRONMENTS.items())
    assert {
        "site/sitemap.xml",
        "site/sitemap.xml.gz",
        "site/pagefind/bundles.json",
        "site/pagefind/main/pagefind-entry.json",
        "docs/index.md",
    } <= set(first)
    assert sorted(first) == sorted(second)
    differ = [name for name in sorted(first) if first[name] != second[name]]
    assert differ == []
    assert (
        b"<lastmod>2025-12-30</lastmod>" in first["site/sitemap.xml"]
    )  # the build date is SOURCE_DATE_EPOCH's
