"""Every page's flows through Streamlit's AppTest: upload, run, errors in Korean, downloads."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from schoolauto.cli import error_message
from schoolauto.errors import SchoolautoError
from schoolauto.ui import common, jobs

from .conftest import texts, upload


def go(at: AppTest, page: str) -> AppTest:
    at.run()
    return at.switch_page(f"views/{page}.py").run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ----- 독서활동 중복 검사 ------------------------------------------------------------------------------


def test_duplicates_upload_run_filter_download(app: AppTest, exports: list[Path]) -> None:
    at = app.run()
    assert at.title[0].value == "독서활동 중복 검사"  # the default page
    upload(at, "dup_files", exports)
    at.run()
    at.button(key="dup_run").click().run()
    no_exception(at)
    assert not at.error
    expected = jobs.check_duplicates(exports)
    n = len(expected.findings)
    assert n > 0
    assert f"검사 결과: 중복 **{n}**건" in texts(at)
    assert f"{n}건 표시" in texts(at)
    assert [b.label for b in at.download_button] == ["엑셀 보고서 받기", "CSV 받기", "JSON 받기"]
    # the table highlights differing characters as the report does
    html = "".join(h.proto.body for h in at.get("html"))
    assert 'class="sa-hl"' in html
    # filter: only exact duplicates
    at.multiselect(key="dup_f_kind").set_value(["exact"]).run()
    assert f"{expected.counts()['exact']}건 표시" in texts(at)
    # filter: one student by name
    name = expected.findings[0].student.name
    at.multiselect(key="dup_f_kind").set_value([]).run()
    at.text_input(key="dup_f_student").input(name).run()
    mine = sum(1 for f in expected.findings if name in f.student.name)
    assert f"{mine}건 표시" in texts(at)
    # the uploads are in this session's private folder
    folder = at.session_state["_sa_folder"].path
    assert sorted(p.name for p in (folder / "duplicates").iterdir()) == sorted(p.name for p in exports)


def test_duplicate_downloads_are_real_files(exports: list[Path]) -> None:
    report = jobs.check_duplicates(exports)
    made = jobs.downloads(report)
    wb = openpyxl.load_workbook(io.BytesIO(made["xlsx"]()))
    assert "중복 목록" in wb.sheetnames
    doc = json.loads(made["json"]())
    assert doc["summary"]["findings"] == len(report.findings)
    lines = made["csv"]().decode("utf-8-sig").splitlines()
    assert len(lines) == len(report.findings) + 1


def test_duplicates_local_folder(app: AppTest, exports: list[Path]) -> None:
    at = app.run()
    at.text_input(key="dup_folder").input(str(exports[0].parent)).run()
    at.button(key="dup_run").click().run()
    no_exception(at)
    n = len(jobs.check_duplicates([exports[0].parent]).findings)
    assert f"중복 **{n}**건" in texts(at)


def test_duplicates_errors_are_the_cli_lines_and_page_stays_usable(
    app: AppTest, exports: list[Path], roster_file: Path, tmp_path: Path
) -> None:
    at = app.run()
    at.button(key="dup_run").click().run()
    assert [e.value for e in at.error] == ["오류: 독서활동상황 파일: 검사할 파일을 올리거나 폴더를 고르세요"]
    # a roster is not a reading export: the same Korean line as the CLI, with only the file name
    upload(at, "dup_files", [roster_file])
    at.run()
    at.button(key="dup_run").click().run()
    no_exception(at)
    try:
        jobs.check_duplicates([roster_file])
    except SchoolautoError as exc:
        cli_line = error_message(exc)
    assert len(at.error) == 1
    shown = at.error[0].value
    assert shown.startswith("오류: 파일 명렬표.xlsx") and "필요한 열이 없습니다" in shown
    assert shown == "오류: " + cli_line.replace(str(roster_file), roster_file.name)
    assert "Traceback" not in shown and "/tmp" not in shown
    # a bad folder
    upload(at, "dup_files", [])
    at.text_input(key="dup_folder").input(str(tmp_path / "없는폴더")).run()
    at.button(key="dup_run").click().run()
    assert "없는폴더" in at.error[0].value
    # still usable: a good upload works
    at.text_input(key="dup_folder").input("").run()
    upload(at, "dup_files", exports)
    at.run()
    at.button(key="dup_run").click().run()
    assert not at.error and "검사 결과: 중복" in texts(at)


# ----- 생활기록부 점검 --------------------------------------------------------------------------------


def test_audit_without_files_names_the_widget(app: AppTest) -> None:
    at = go(app, "audit")
    assert "아직 준비되지 않았습니다" not in texts(at)
    at.button(key="audit_run").click().run()
    no_exception(at)
    assert [e.value for e in at.error] == ["오류: 생활기록부 파일: 점검할 파일을 올리거나 폴더를 고르세요"]


class FakeAudit:
    """A result with the audit's JSON shape (issue 12), planted to check the page's highlighting."""

    template_name = "records_audit"

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        return ["점검"], [[f["check"]] for f in self.to_json()["findings"]]

    def fill_template(self, doc: Any) -> None:
        pass

    def to_json(self) -> dict[str, Any]:
        student = {"class": "1", "number": "3", "name": "가상학생", "id": None}
        return {
            "summary": {"findings": 2},
            "findings": [
                {"check": "forbidden", "student": student, "field": "진로활동", "text": "토익 900점을 받음",
                 "start": 0, "end": 2, "rule": "language_test", "message": "공인어학시험은 적지 않습니다"},
                {"check": "length", "student": student, "field": "행동특성 및 종합의견", "text": "가나다라마바",
                 "start": 4, "end": None, "bytes": 1503, "limit": 1500, "message": "1500바이트를 3바이트 넘습니다"},
            ],
        }  # fmt: skip


def test_audit_renders_findings_with_spans(app: AppTest, exports: list[Path], monkeypatch) -> None:
    monkeypatch.setattr(jobs, "audit", lambda paths, **kw: FakeAudit())
    at = go(app, "audit")
    upload(at, "audit_files", exports[:1])
    at.run()
    at.button(key="audit_run").click().run()
    no_exception(at)
    assert "점검 결과: 찾은 곳 **2**건" in texts(at)
    html = "".join(h.proto.body for h in at.get("html"))
    assert '<span class="sa-hl">토익</span> 900점을 받음' in html
    assert '가나다라<span class="sa-hl">마바</span>' in html
    assert [b.label for b in at.download_button] == ["엑셀 보고서 받기", "CSV 받기", "JSON 받기"]


def test_audit_real_run(app: AppTest, tmp_path: Path) -> None:
    from schoolauto.records.audit.generate import GenerateRequest, generate

    made = generate(GenerateRequest(out_dir=tmp_path / "세특", students=30, seed=2))
    files = sorted(Path(f) for f in made.files)
    expected = jobs.audit(files, checks=("length", "forbidden", "copy"), year=2026).to_json()["findings"]
    assert expected
    at = go(app, "audit")
    upload(at, "audit_files", files)
    at.run()
    at.button(key="audit_run").click().run()
    no_exception(at)
    assert not at.error
    assert f"점검 결과: 찾은 곳 **{len(expected)}**건" in texts(at)
    assert 'class="sa-hl"' in "".join(h.proto.body for h in at.get("html"))
    assert [b.label for b in at.download_button] == ["엑셀 보고서 받기", "CSV 받기", "JSON 받기"]


# ----- 모둠·반편성 ------------------------------------------------------------------------------------


def solve(at: AppTest, roster_file: Path, **widgets: Any) -> AppTest:
    upload(at, "grp_file", roster_file)
    at.run()
    for key, value in widgets.items():
        at.multiselect(key=key).set_value(value) if key in ("grp_balance", "grp_numeric") else None
    at.number_input(key="grp_count").set_value(5)
    at.number_input(key="grp_time").set_value(10.0)
    at.run()
    return at.button(key="grp_run").click().run()


def test_groups_solve_chart_checks_and_move_by_hand(app: AppTest, roster_file: Path) -> None:
    at = go(app, "groups")
    # the columns to choose come from the file's own header
    upload(at, "grp_file", roster_file)
    at.run()
    assert "성별" in at.multiselect(key="grp_balance").options
    assert at.multiselect(key="grp_balance").value == ["성별"]
    at = solve(at, roster_file, grp_balance=["성별", "MBTI"], grp_numeric=["성적"])
    no_exception(at)
    assert not at.error
    result = at.session_state["result_groups"]
    assert result.problem.n == 30 and result.problem.n_groups == 5
    assert "모든 제약을 지켰습니다" in texts(at)
    assert jobs.group_status(result) in texts(at)
    assert len(at.get("vega_lite_chart")) == 2  # one bar chart per balanced column
    assert [b.label for b in at.download_button] == ["엑셀 보고서 받기", "CSV 받기", "JSON 받기"]
    wb = openpyxl.load_workbook(io.BytesIO(jobs.downloads(result)["xlsx"]()))
    assert "모둠별 명단" in wb.sheetnames
    # move the first student to another group: figures recomputed by the library's evaluation
    first_group = result.assignment[0]
    target = (first_group + 1) % 5
    at.selectbox(key="grp_move_who").set_value(0)
    at.selectbox(key="grp_move_to").set_value(target + 1)
    at.button(key="grp_move").click().run()
    no_exception(at)
    manual = at.session_state["grp_manual"]
    assert manual[0] == target and manual[1:] == result.assignment[1:]
    from schoolauto.groups import evaluate

    moved = jobs.rescore(result, manual)
    assert moved.objective == pytest.approx(evaluate(result.problem, manual).objective)
    assert moved.objective > result.objective or result.status != "optimal"
    assert "손으로 옮긴 배정입니다" in texts(at)
    assert jobs.group_status(moved) in texts(at)
    at.button(key="grp_reset").click().run()
    assert "grp_manual" not in at.session_state


def test_groups_rules_file_and_errors(app: AppTest, roster_file: Path, tmp_path: Path) -> None:
    from schoolauto.roster import read_roster

    ids = read_roster(roster_file).ids
    rules = tmp_path / "규칙.csv"
    rules.write_text(f'유형,학번,모둠\n분리,"{ids[0]},{ids[1]}",\n고정,{ids[2]},3\n', encoding="utf-8-sig")
    at = go(app, "groups")
    upload(at, "grp_file", roster_file)
    at.run()
    upload(at, "grp_rules_file", rules)
    at = solve(at, roster_file)
    no_exception(at)
    result = at.session_state["result_groups"]
    assert result.assignment[0] != result.assignment[1] and result.assignment[2] == 2
    kinds = [row["종류"] for row in jobs.constraint_rows(result)]
    assert "분리" in kinds and "고정" in kinds
    # a rule naming an unknown student: the library's Korean line
    rules.write_text('유형,학번,모둠\n분리,"99999,99998",\n', encoding="utf-8-sig")
    upload(at, "grp_rules_file", rules)
    at.run()
    at.button(key="grp_run").click().run()
    no_exception(at)
    assert at.error and at.error[0].value.startswith("오류: ") and "99999" in at.error[0].value
    # a text column as a number column
    upload(at, "grp_rules_file", [])
    at.multiselect(key="grp_numeric").set_value(["성명"]).run()
    at.button(key="grp_run").click().run()
    assert "숫자가 아닙니다" in at.error[0].value
    assert "result_groups" not in at.session_state


def test_progress_reports_reach_the_page() -> None:
    """The solver's progress reports (`groups.Progress`) become the page's line."""
    from schoolauto.groups import Progress as SolverProgress

    seen: list[jobs.Progress] = []
    report = jobs._progress_adapter(seen.append)
    report(SolverProgress(1.0, "정수계획", 3.0, 1.5))
    report(SolverProgress(2.0, "시작해", 2.0))
    assert seen == [jobs.Progress(3.0, 1.5, 0.5, "정수계획"), jobs.Progress(2.0, None, None, "시작해")]


# ----- LMS 미제출 -------------------------------------------------------------------------------------


@pytest.fixture
def moodle(app: AppTest, tmp_path: Path, monkeypatch) -> Iterator[Any]:
    from ..lms.fixture_servers import MoodleFixture

    with MoodleFixture() as server:
        (tmp_path / "schoolauto.toml").write_text(
            f'[lms."학교무들"]\ndriver = "moodle"\nurl = "{server.url}"\npassword_env = "TEST_TOKEN"\nbackoff = 0.01\n',
            encoding="utf-8",
        )
        monkeypatch.setenv("TEST_TOKEN", MoodleFixture.TOKEN)
        yield server


def test_lms_missing_preview_and_send(app: AppTest, moodle: Any, tmp_path: Path, monkeypatch) -> None:
    from ..lms.smtp_server import SmtpServer

    at = go(app, "lms")
    assert not at.error, at.error[0].value
    assert at.selectbox(key="lms_pick").value == "학교무들"  # the saved connection is picked
    at.button(key="lms_run").click().run()
    no_exception(at)
    assert not at.error
    run = at.session_state["result_lms"]
    doc = run.report.to_json()
    got = {c["name"]: {a["title"]: {m["username"]: m["status"] for m in a["missing"]} for a in c["assignments"]} for c in doc["classes"]}  # fmt: skip
    assert got == moodle.truth
    total = sum(len(w) for c in moodle.truth.values() for w in c.values())
    assert f"미제출 **{total}**건" in texts(at)
    assert [b.label for b in at.download_button] == ["엑셀 보고서 받기", "CSV 받기", "JSON 받기"]
    # reminders: a roster with addresses, a mail server; preview first, then send with confirmation
    roster = tmp_path / "명단.csv"
    lines = ["반,아이디,이름,이메일"]
    for c in doc["classes"]:
        for a in c["assignments"]:
            for m in a["missing"]:
                lines.append(f"{c['name']},{m['username']},{m['name']},{m['username']}@student.example")
    roster.write_text("\n".join(dict.fromkeys(lines)) + "\n", encoding="utf-8-sig")
    with SmtpServer(tmp_path, "t@school.example", "pw-1") as smtp:
        cfg = tmp_path / "schoolauto.toml"
        cfg.write_text(
            cfg.read_text(encoding="utf-8")
            + f'\n[mail]\nhost = "127.0.0.1"\nport = {smtp.port}\nusername = "t@school.example"\n'
            f'password_env = "TEST_SMTP"\nfrom = "t@school.example"\ncafile = "{smtp.cafile}"\ntimeout = 10\n',
            encoding="utf-8",
        )
        monkeypatch.setenv("TEST_SMTP", "pw-1")
        at.run()
        at.button(key="lms_run").click().run()
        upload(at, "lms_roster", roster)
        at.run()
        at.button(key="lms_preview").click().run()
        no_exception(at)
        preview = "\n".join(t.value for t in at.text)
        assert "미리보기: 보낼 메일" in preview and "--send" not in preview
        assert smtp.inbox.messages == []
        assert at.button(key="lms_send").disabled  # not before the explicit confirmation
        at.checkbox(key="lms_confirm").check().run()
        at.button(key="lms_send").click().run()
        no_exception(at)
        sent = len(smtp.inbox.messages)
        assert sent > 0 and f"보냄 {sent}통" in texts(at)
        # the same once-a-day state as the CLI: a second send today sends nothing
        at.button(key="lms_preview").click().run()
        at.checkbox(key="lms_confirm").check().run()
        at.button(key="lms_send").click().run()
        assert len(smtp.inbox.messages) == sent and "보냄 0통" in texts(at)


def test_lms_typed_password_is_used_for_this_run(app: AppTest, moodle: Any, monkeypatch) -> None:
    from ..lms.fixture_servers import MoodleFixture

    monkeypatch.delenv("TEST_TOKEN")  # neither the environment nor the keyring has it
    at = go(app, "lms")
    at.text_input(key="lms_password").input(MoodleFixture.TOKEN)
    at.button(key="lms_run").click().run()
    no_exception(at)
    assert not at.error
    doc = at.session_state["result_lms"].report.to_json()
    got = {c["name"]: {a["title"]: {m["username"]: m["status"] for m in a["missing"]} for a in c["assignments"]} for c in doc["classes"]}  # fmt: skip
    assert got == moodle.truth


def test_lms_errors_in_korean(app: AppTest, moodle: Any, monkeypatch) -> None:
    monkeypatch.setenv("TEST_TOKEN", "wrong")
    at = go(app, "lms")
    at.button(key="lms_run").click().run()
    no_exception(at)
    assert at.error and at.error[0].value.startswith("오류: ")
    assert re.search("[가-힣]", at.error[0].value)
    # the form without a URL names the widget
    at.selectbox(key="lms_pick").set_value("(직접 입력)").run()
    at.button(key="lms_run").click().run()
    shown = at.error[0].value
    assert shown.startswith("오류: LMS 주소: ") and "주소" in shown.removeprefix("오류: LMS 주소: ")


# ----- 가상 자료 --------------------------------------------------------------------------------------


def test_generate_page(app: AppTest) -> None:
    at = go(app, "generate")
    at.number_input(key="gen_r_students").set_value(12)
    at.button(key="gen_roster").click().run()
    no_exception(at)
    name, data = at.session_state["result_gen_roster"]
    assert name == "가상_명렬표.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    at.number_input(key="gen_e_students").set_value(30)
    at.button(key="gen_exports").click().run()
    no_exception(at)
    import zipfile

    name, data = at.session_state["result_gen_exports"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith(".xlsx") for n in names) and any(
        n.endswith(".csv") for n in names
    )  # exports + gold
    assert {b.label for b in at.download_button} == {"명렬표 받기", "ZIP 받기"}
    at.multiselect(key="gen_r_grades").set_value([]).run()
    at.button(key="gen_roster").click().run()
    assert at.error[0].value == "오류: 학년: 학년을 하나 이상 고르세요"


# ----- sign-in and session folders --------------------------------------------------------------


def test_sign_in_required_when_a_password_is_set(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("SCHOOLAUTO_UI_PASSWORD", "교무실-비밀")
    monkeypatch.setattr(common, "_failures", {})
    at = app.run()
    assert not at.file_uploader  # no page before signing in
    at.text_input(key="sign_in_password").input("틀림")
    at.button[0].click().run()
    assert at.error[0].value.startswith("비밀번호가 맞지 않습니다")
    assert not at.file_uploader
    at.text_input(key="sign_in_password").input("교무실-비밀")
    at.button[0].click().run()
    no_exception(at)
    assert at.title[0].value == "독서활동 중복 검사"


def test_lock_out_after_repeated_failures(monkeypatch) -> None:
    monkeypatch.setenv("SCHOOLAUTO_UI_PASSWORD", "right")
    monkeypatch.setattr(common, "_failures", {})
    t = 1000.0
    for i in range(common.MAX_FAILURES - 1):
        assert "남은 시도" in (common.check_password("wrong", "10.0.0.9", t + i) or "")
    assert "분 뒤에" in (common.check_password("wrong", "10.0.0.9", t + 10) or "")
    # even the right password is refused while locked out; another client is not affected
    assert "분 뒤에" in (common.check_password("right", "10.0.0.9", t + 20) or "")
    assert common.check_password("right", "10.0.0.10", t + 20) is None
    assert common.check_password("right", "10.0.0.9", t + 20 + common.LOCKOUT_SECONDS) is None


def test_session_folder_removed_when_session_ends_or_idles(monkeypatch) -> None:
    folder = common.SessionFolder()
    path = folder.path
    (path / "upload.xlsx").write_bytes(b"x")
    del folder  # the session's state is dropped
    assert not path.exists()
    other = common.SessionFolder()
    assert str(other.path) in common.sweep(time.monotonic() + common.idle_seconds() + 1)
    assert not other.path.exists() and not other.alive()
    # a session that ended (no longer open on the server) loses its folder after the reconnect grace
    monkeypatch.setenv("SCHOOLAUTO_UI_ENDED_GRACE_SECONDS", "60")
    ended = common.SessionFolder("session-1")
    t = time.monotonic()
    assert common.sweep(t, active={"session-1"}) == []
    assert common.sweep(t + 1, active=set()) == []  # just disconnected: it may come back
    assert common.sweep(t + 30, active=set()) == []
    assert common.sweep(t + 62, active=set()) == [str(ended.path)]
    assert not ended.path.exists()


def test_upload_size_limit_message(monkeypatch) -> None:
    monkeypatch.setenv(common.UPLOAD_LIMIT_ENV, "1")

    class Big:
        name = "큰파일.xlsx"

        def getvalue(self) -> bytes:
            return b"0" * (1024 * 1024 + 1)

    with pytest.raises(SchoolautoError) as info:
        common.save_uploads([Big()], "big")
    labels = {"inputs": "독서활동상황 파일"}
    assert common.error_text(info.value, labels) == (
        "독서활동상황 파일: 올린 파일이 너무 큽니다: 파일 하나에 1MB 까지 올릴 수 있습니다"
    )


def test_shared_page_hides_local_paths(app: AppTest, monkeypatch) -> None:
    """Shared on the LAN, nobody may name a folder on the teacher's computer."""
    monkeypatch.setenv("SCHOOLAUTO_UI_SHARED", "1")
    at = app.run()
    assert not [t for t in at.text_input if t.key == "dup_folder"]
    at = go(app, "groups")
    assert not [t for t in at.text_input if t.key == "grp_path"]
    at = go(app, "lms")
    assert not [t for t in at.text_input if t.key == "lms_config"]
