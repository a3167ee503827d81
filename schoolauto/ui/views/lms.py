"""LMS 미제출: a saved connection or the connection form, the missing-work table, reminders."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from schoolauto.ui import common, jobs

LABELS = {
    "config": "설정 파일",
    "lms": "저장된 연결",
    "driver": "드라이버",
    "url": "LMS 주소",
    "username": "아이디",
    "password": "비밀번호",
    "roster": "메일 주소 명단",
}
STATUS_KO = {"not_started": "시작 안 함", "started": "시작만 함"}
KIND_KO = {"quiz": "퀴즈", "lesson": "레슨", "assignment": "과제"}

st.title("LMS 미제출")
st.write(
    "LMS(Kolibri, Moodle, Google Classroom)의 반별 과제에서 아직 제출하지 않은 학생을 모으고, 알림 메일을 보냅니다."
)

config_text = ""
if common.local_mode():
    config_text = st.text_input(
        "설정 파일 (비우면 SCHOOLAUTO_CONFIG 또는 ./schoolauto.toml)", key="lms_config"
    )
found = common.run_job(lambda: jobs.lms_config(config_text), LABELS)
config_path, names = found if found else (None, [])
choices = ["(직접 입력)", *names]
picked = st.selectbox(LABELS["lms"], choices, index=1 if names else 0, key="lms_pick")
name = None if picked == choices[0] else picked
driver = url = username = None
if name is None:
    c1, c2, c3 = st.columns(3)
    with c1:
        driver = st.selectbox(LABELS["driver"], jobs.lms_drivers(), key="lms_driver")
    with c2:
        url = st.text_input(LABELS["url"], key="lms_url", placeholder="http://127.0.0.1:8080")
    with c3:
        username = st.text_input(LABELS["username"], key="lms_user")
else:
    st.caption(f"설정 파일 {config_path} 의 [lms.{name}] 연결을 씁니다.")
p1, p2 = st.columns([2, 1])
with p1:
    password = st.text_input(
        "비밀번호 (비우면 환경변수나 OS 키링의 것을 씁니다; 이 실행에만 쓰고 저장하지 않습니다)",
        type="password",
        key="lms_password",
    )
with p2:
    remember = st.checkbox("OS 키링에 저장", key="lms_remember", help="평문 파일에는 절대 저장하지 않습니다")

if st.button("미제출 확인", type="primary", key="lms_run"):
    st.session_state.pop("result_lms", None)
    st.session_state.pop("result_lms_preview", None)

    def collect() -> jobs.LmsRun:
        with st.spinner("LMS 에서 읽는 중…"):
            return jobs.collect_missing(
                config_path=config_text or None,
                name=name,
                driver=driver,
                url=url,
                username=username,
                password=password or None,
                remember_password=remember,
            )

    got = common.run_job(collect, LABELS)
    if got is not None:
        st.session_state["result_lms"] = got

lms_run: jobs.LmsRun | None = st.session_state.get("result_lms")
if lms_run is not None:
    run = lms_run
    doc = run.report.to_json()
    total = sum(len(a["missing"]) for c in doc["classes"] for a in c["assignments"])
    st.markdown(f"확인 결과: 반 {len(doc['classes'])}개, 미제출 **{total}**건")
    for e in doc["errors"]:
        st.warning(f"{e['class']}: {e['message']}")
    common.download_buttons(jobs.downloads(run.report), "미제출", "lms_dl")
    for c in doc["classes"]:
        missing = sum(len(a["missing"]) for a in c["assignments"])
        with st.expander(
            f"{c['name']}: 과제 {len(c['assignments'])}개, 미제출 {missing}건",
            expanded=len(doc["classes"]) <= 3,
        ):
            summary = pd.DataFrame(
                [
                    {"과제": a["title"], "종류": KIND_KO.get(a["kind"], a["kind"]), "대상": a["assigned"], "제출": a["submitted"], "미제출": len(a["missing"])}
                    for a in c["assignments"]
                ]
            )  # fmt: skip
            st.dataframe(summary, hide_index=True)
            rows = [
                {"과제": a["title"], "이름": m["name"], "아이디": m["username"], "상태": STATUS_KO.get(m["status"], m["status"])}
                for a in c["assignments"]
                for m in a["missing"]
            ]  # fmt: skip
            if rows:
                st.dataframe(pd.DataFrame(rows), hide_index=True)

    st.subheader("알림 메일")
    roster = st.file_uploader(
        "메일 주소 명단 (아이디, 이메일, 담임이메일 열; 비우면 설정의 roster)",
        type=["csv", "xlsx"],
        key="lms_roster",
    )
    d1, d2 = st.columns(2)
    with d1:
        digest = st.checkbox("학생 대신 담임에게 반별 요약 한 통씩", key="lms_digest")
    with d2:
        statuses = st.multiselect(
            "이 상태의 학생만",
            list(STATUS_KO),
            default=list(STATUS_KO),
            format_func=lambda k: STATUS_KO.get(k, k),
            key="lms_status",
        )

    def remind(send: bool) -> object:
        roster_path = common.save_uploads([roster], "lms_roster")[0] if roster is not None else None
        return jobs.remind(run, roster_path=roster_path, digest=digest, statuses=statuses, send=send)

    if st.button("보낼 메일 미리 보기", key="lms_preview"):
        preview = common.run_job(lambda: remind(False), LABELS)
        if preview is not None:
            st.session_state["result_lms_preview"] = preview
    preview = st.session_state.get("result_lms_preview")
    if preview is not None:
        st.text("\n".join(jobs.reminder_lines(preview)))
        sure = st.checkbox(
            "위 메일을 실제로 보냅니다 (오늘 이미 보낸 알림은 다시 보내지 않습니다)", key="lms_confirm"
        )
        if st.button("메일 보내기", type="primary", disabled=not sure, key="lms_send"):
            sent = common.run_job(lambda: remind(True), LABELS)
            if sent is not None:
                st.session_state.pop("result_lms_preview", None)
                lines = jobs.reminder_lines(sent)
                st.success(lines[-1])
                for line in lines[:-1]:
                    st.write(line)
