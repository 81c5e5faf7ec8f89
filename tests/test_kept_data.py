"""Each briefing's part of records.json, kept from one generation to the next (output/keptdata.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle

from conftest import ROOT, site_project

from generator.check.stored import signing_key
from generator.data import export
from generator.output import generate
from generator.output.keptdata import FOLDER, VERSION
from generator.project import find_project

RECORDS = "docs/data/records.json"


def test_the_data_files_are_put_together_as_the_whole_would_be_written(archive_site):
    """Made of each briefing's part, records.json and timeline.json are the compact JSON of the whole, byte
    for byte."""
    data = (archive_site / RECORDS).read_bytes()
    assert data == export.dumps(json.loads(data))
    assert len(json.loads(data)["claims"]) > 5
    timeline = (archive_site / "docs/data/timeline.json").read_bytes()
    assert timeline == export.dumps(json.loads(timeline))
    events = json.loads(timeline)["events"]
    assert len(events) > 5 and all(e["group"] and e["unique_id"] for e in events)


def _made(monkeypatch) -> list[str]:
    made: list[str] = []
    real = export.briefing_fragments

    def counting(b, archive, site):
        made.append(b.path)
        return real(b, archive, site)

    monkeypatch.setattr(generate, "briefing_fragments", counting)
    return made


def test_a_briefings_part_is_made_again_only_when_its_file_or_another_input_changed(
    tmp_path, cli, monkeypatch
):
    root = site_project(tmp_path, ROOT / "tests" / "cases" / "archive")
    made = _made(monkeypatch)
    assert cli(root, "generate").code == 0
    files = sorted(
        p.relative_to(root).as_posix() for p in (root / "content/briefings").glob("*.yaml")
    )
    assert sorted(made) == files and len(list((root / FOLDER).iterdir())) == len(files)
    edited = root / files[-1]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("summary: |\n  ", "summary: |\n  Edited. ", 1),
        encoding="utf-8",
    )
    made.clear()
    assert cli(root, "generate").code == 0
    assert made == [files[-1]]
    shown = json.loads((root / RECORDS).read_text(encoding="utf-8"))["briefings"]
    assert [b["id"] for b in shown if b["summary"].startswith("Edited. ")] != []
    made.clear()
    (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# another setting\n",
        encoding="utf-8",
    )
    assert cli(root, "generate").code == 0
    assert sorted(made) == files  # the rest of the inputs changed: every part made again


def _sign(body: bytes) -> bytes:
    key = signing_key()
    assert key is not None
    return hmac.new(key, body, hashlib.sha256).digest() + body


def test_a_kept_entry_that_is_not_ours_or_not_plain_text_is_passed_over(tmp_path, cli, monkeypatch):
    """Its part would be published as it is: an entry not signed with the key, or signed but holding anything
    but text (an unpickled class could run code), is passed over and the part made again."""
    root = site_project(tmp_path, ROOT / "tests" / "cases" / "archive")
    made = _made(monkeypatch)
    assert cli(root, "generate").code == 0
    entry = sorted((root / FOLDER).iterdir())[0]
    signed = entry.read_bytes()
    version, rest, rel, digest, part, records, events = pickle.loads(signed[32:])
    assert version == VERSION and rel in made
    forged = (
        version,
        rest,
        rel,
        digest,
        part.replace('"id":', '"id":"planted","x":', 1),
        records,
        events,
    )
    body = pickle.dumps(forged)
    planted_class = pickle.dumps((version, rest, rel, digest, part, records, ValueError))
    for data in (b"\0" * 32 + body, _sign(planted_class)):
        entry.write_bytes(data)
        (root / "docs/.briefing-manifest.json").unlink()  # generate again
        made.clear()
        assert cli(root, "generate").code == 0
        assert made == [rel]
        assert "planted" not in (root / RECORDS).read_text(encoding="utf-8")
    # the same forgery, signed with the key: handed back as it is (what the signature vouches for)
    entry.write_bytes(_sign(body))
    (root / "docs/.briefing-manifest.json").unlink()
    made.clear()
    assert cli(root, "generate").code == 0
    assert made == [] and "planted" in (root / RECORDS).read_text(encoding="utf-8")


def test_a_write_of_the_kept_parts_never_goes_through_a_link(tmp_path, cli):
    root = site_project(tmp_path, ROOT / "tests" / "cases" / "archive")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".briefing-cache").symlink_to(outside, target_is_directory=True)
    assert cli(root, "generate").code == 0
    assert [p.name for p in outside.iterdir() if "records-json" in p.name] == []
    assert find_project(root).root == root
