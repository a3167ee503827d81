"""Every way Kolibri assigns work, read both ways (REST and browser) from a real Kolibri 0.19.5.

The seeded sandbox has work for the whole class, one group, two overlapping groups, a group plus
chosen learners, chosen learners only (ad hoc), quizzes and lessons, an ended quiz, learners who
joined the class or a group after the work was assigned, one removed from the class and one
deleted. Both paths must equal the seeded truth item by item, and equal each other; the jobs are
called from Python (no CLI), then `--cross-check` and `remind --dry-run` through the CLI.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from schoolauto import lms
from schoolauto.lms.config import ConnectionRequest
from schoolauto.lms.missing import MissingRequest, collect_missing

from .conftest import kolibri_config, need_chromium

pytestmark = [pytest.mark.kolibri]

MODES = {"class", "groups", "learners", "groups+learners"}


def items(report: lms.MissingReport) -> dict[tuple[str, str], dict[str, Any]]:
    """(class, assignment id) -> title, kind, target, assigned, {name: status} of the missing."""
    return {
        (c.course.name, a.assignment.id): {
            "title": a.assignment.title,
            "kind": a.assignment.kind,
            "assigned": a.assigned,
            "missing": {m.student.name: m.status.value for m in a.missing},
        }
        for c in report.classes
        for a in c.assignments
    }


def truth_items(truth: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for c in truth["classes"]:
        names = {u["username"]: u["name"] for u in c["learners"]}
        for a in c["assignments"]:
            out[(c["name"], a["id"])] = {
                "title": a["title"],
                "kind": a["kind"],
                "assigned": len(a["statuses"]),
                "missing": {names[u]: s for u, s in a["statuses"].items() if s != "submitted"},
            }
    return out


def request(kolibri: dict[str, Any], cfg: Path, via: str, **kw: Any) -> MissingRequest:
    return MissingRequest(ConnectionRequest(config=cfg, lms="kolibri-test", via=via), interactive=False, **kw)


def test_the_sandbox_covers_every_mode(kolibri: dict[str, Any]) -> None:
    truth = kolibri["truth"]
    for c in truth["classes"]:
        modes = {(a["kind"], a["mode"]) for a in c["assignments"]}
        assert {m for _k, m in modes} == MODES
        assert {("lesson", "learners"), ("quiz", "learners"), ("lesson", "groups")} <= modes
        assert any(a["ended"] for a in c["assignments"])
        # neither a quiz the coach has not started, a draft, nor a lesson hidden from learners is due
        assert set(c["not_due"]) == {"다음 주 퀴즈 (아직 안 엶)", "초안 퀴즈", "숨긴 레슨"}
        statuses = {s for a in c["assignments"] for s in a["statuses"].values()}
        assert statuses == {"submitted", "started", "not_started"}
        assert len(c["left"]) == 2  # one removed from the class, one deleted
        late = [u["username"] for u in c["learners"] if u["username"].endswith(("n1", "n2"))]
        assert len(late) == 2
        both = set(c["groups"]["1모둠"]) & set(c["groups"]["3모둠"])
        assert both  # learners in two groups given the same work


def test_rest_path_equals_truth_item_by_item(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path
) -> None:
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    report = collect_missing(request(kolibri, cfg, "api"))
    assert report.errors == [] and report.warnings == []
    got, want = items(report), truth_items(kolibri["truth"])
    assert sorted(got) == sorted(want)
    for key in want:
        assert got[key] == want[key], key
    # nobody removed, deleted or never given the work is listed anywhere
    left = {u["name"] for c in kolibri["truth"]["classes"] for u in c["left"]}
    assert not any(left & set(v["missing"]) for v in got.values())


@pytest.mark.browser
@pytest.mark.slow
def test_browser_path_equals_rest_path_and_truth(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli
) -> None:
    need_chromium()
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    api = collect_missing(request(kolibri, cfg, "api"))
    browser = collect_missing(request(kolibri, cfg, "browser"))
    assert browser.errors == []
    got, rest, want = items(browser), items(api), truth_items(kolibri["truth"])
    assert sorted(got) == sorted(rest) == sorted(want)
    for key in want:
        assert got[key] == rest[key] == want[key], key
    # pages show whom work is for, not how: work for everyone in the class is the class's
    api_whole, browser_whole = (
        {(c.course.name, a.assignment.id): a.assignment.whole_class for c in r.classes for a in c.assignments}
        for r in (api, browser)
    )
    assert browser_whole == api_whole
    targets = {a["target"] for c in browser.to_json()["classes"] for a in c["assignments"]}
    assert targets == {"class", "listed"}
    # the same comparison as the command does it: no difference, no warning, exit 0
    res = run_cli("lms", "missing", "--config", cfg, "--lms", "kolibri-test", "--cross-check", "--yes")
    assert res.code == 0, res.err
    assert "교차 확인" not in res.err


def test_remind_dry_run_addresses_exactly_the_learners_with_work_due(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli
) -> None:
    truth = kolibri["truth"]
    contacts = lms_env.parent / "contacts.csv"
    everyone = [u for c in truth["classes"] for u in (*c["learners"], *c["left"])]
    with open(contacts, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["아이디", "이름", "이메일"])
        for u in everyone:
            w.writerow([u["username"], u["name"], f"{u['username']}@student.example"])
    due = {
        u
        for c in truth["classes"]
        for a in c["assignments"]
        for u, s in a["statuses"].items()
        if s != "submitted"
    }
    assert due and len(due) < len(everyone)
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    result = lms.send_reminders(
        lms.RemindRequest(
            ConnectionRequest(config=cfg, lms="kolibri-test"), roster=contacts, interactive=False
        )
    )
    assert not result.sent_for_real and result.sent == []
    assert {m.to.split("@")[0] for m in result.planned} == due
    # each message lists exactly that learner's due work
    titles = {
        u: {
            a["title"]
            for c in truth["classes"]
            for a in c["assignments"]
            if a["statuses"].get(u, "submitted") != "submitted"
        }
        for u in due
    }
    for m in result.planned:
        listed = {
            line[2:].split(":")[0].split(" (마감")[0] for line in m.body.splitlines() if line.startswith("- ")
        }
        assert listed == titles[m.to.split("@")[0]], m.to
    # the CLI shows the same plan
    res = run_cli("lms", "remind", "--config", cfg, "--lms", "kolibri-test", "--roster", contacts, "--yes")
    assert res.code == 0, res.err
    assert sorted(
        line[len("받는 사람: ") :] for line in res.out.splitlines() if line.startswith("받는 사람: ")
    ) == sorted(f"{u}@student.example" for u in due)
