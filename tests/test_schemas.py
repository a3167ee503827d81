"""Every --json output validates against its documented schema in docs/schemas/."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from schoolauto.roster import generate_roster, write_roster

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_groups_assign_json(run_cli, tmp_path: Path) -> None:
    roster = write_roster(generate_roster(12, seed=2), tmp_path / "r.xlsx")
    out = tmp_path / "g.json"
    r = run_cli("groups", "assign", roster, "--groups", "3", "--balance", "성별,수준", "--numeric", "성적",
                "--time-limit", "5", "--json", out)  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema("groups-assign"))
    assert sorted(doc["assignment"]) == sorted(s.student_id for s in generate_roster(12, seed=2))
