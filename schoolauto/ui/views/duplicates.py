"""독서활동 중복 검사: upload exports (or name a local folder), choose the method, run, filter, download."""

from __future__ import annotations

import streamlit as st

from schoolauto.ui import common, jobs, render

LABELS = {
    "inputs": "독서활동상황 파일",
    "method": "비교 방법",
    "cutoff": "기준값",
    "password": "입력 파일 암호",
}
KIND_KO = {"exact": "완전 중복", "similar": "유사"}
PAGE_SIZE = 100

st.title("독서활동 중복 검사")
st.write("NEIS 독서활동상황 내보내기 파일에서 한 학생이 같은 책을 두 번 이상 기재한 곳을 찾습니다.")

input_paths = common.table_inputs(LABELS["inputs"], "dup", "duplicates", placeholder="예: C:/학생부/3학년")
methods = jobs.duplicate_methods()
col1, col2, col3 = st.columns(3)
with col1:
    method = st.selectbox(
        LABELS["method"],
        [m for m, _ in methods],
        format_func=lambda k: dict(methods).get(k, k),
        key="dup_method",
    )
with col2:
    cutoff = st.number_input(
        "기준값 (형태소 비율 방법; 2.0 은 완전히 같음)",
        min_value=1.0,
        max_value=2.0,
        value=1.72,
        step=0.01,
        key="dup_cutoff",
        disabled=method != "ratio",
    )
with col3:
    password = st.text_input(
        "입력 파일 암호 (암호가 걸린 파일만; 저장하지 않음)", type="password", key="dup_password"
    )

if st.button("검사 시작", type="primary", key="dup_run"):
    st.session_state.pop("result_dup", None)

    def run() -> object:
        with st.spinner("검사하는 중…"):
            return jobs.check_duplicates(
                input_paths(), method=str(method), cutoff=float(cutoff) if method == "ratio" else None,
                password=password or None,
            )  # fmt: skip

    result = common.run_job(run, LABELS)
    if result is not None:
        st.session_state["result_dup"] = result

result = st.session_state.get("result_dup")
if result is not None:
    doc = result.to_json()
    s = doc["summary"]
    st.subheader("요약")
    m = st.columns(5)
    m[0].metric("학생", f"{s['students']}명")
    m[1].metric("도서 기재", f"{s['entries']}건")
    m[2].metric("중복", f"{s['findings']}건")
    m[3].metric("완전 중복", f"{s['exact']}건")
    m[4].metric("유사", f"{s['similar']}건")
    st.markdown(
        f"검사 결과: 중복 **{s['findings']}**건 (완전 중복 {s['exact']}, 유사 {s['similar']}), "
        f"중복이 있는 학생 {s['students_with_findings']}명, 파일 {len(s['files'])}개"
    )
    common.download_buttons(jobs.downloads(result), "중복검사", "dup_dl")

    findings = doc["findings"]
    if findings:
        st.subheader("중복 목록")
        f1, f2, f3 = st.columns(3)
        with f1:
            kinds = st.multiselect(
                "구분",
                list(KIND_KO),
                format_func=lambda k: KIND_KO.get(k, k),
                key="dup_f_kind",
                placeholder="모두",
            )
        with f2:
            classes = common.multiselect_filter(
                "반", [str(f["student"]["class"] or "") for f in findings], "dup_f_class"
            )
        with f3:
            who = st.text_input("학생 (이름 또는 학번 일부)", key="dup_f_student")
        shown = [
            f
            for f in findings
            if (not kinds or f["kind"] in kinds)
            and (not classes or str(f["student"]["class"] or "") in classes)
            and (
                not who.strip()
                or who.strip() in (f["student"]["name"] or "")
                or who.strip() in (f["student"]["id"] or "")
            )
        ]
        st.caption(f"{len(shown)}건 표시 (빨간 글자: 두 기재가 다른 곳)")
        pages = max(1, -(-len(shown) // PAGE_SIZE))
        page = 1
        if pages > 1:
            page = int(
                st.number_input(f"쪽 (한 쪽에 {PAGE_SIZE}건, 모두 {pages}쪽)", 1, pages, 1, key="dup_page")
            )
        rows = []
        for f in shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
            st_ = f["student"]
            a, b = f["a"], f["b"]
            rows.append(
                [
                    st_["class"],
                    st_["number"],
                    st_["name"],
                    KIND_KO.get(f["kind"], f["kind"]),
                    render.diff_html(a["text"], b["text"]),
                    f"{a['grade'] or ''}학년 {a['semester'] or ''}학기 {a['subject'] or ''}".strip(),
                    render.diff_html(b["text"], a["text"]),
                    f"{b['grade'] or ''}학년 {b['semester'] or ''}학기 {b['subject'] or ''}".strip(),
                    f["reason"],
                ]
            )
        st.html(
            render.table_html(
                ["반", "번호", "성명", "구분", "기재 A", "위치 A", "기재 B", "위치 B", "사유"],
                rows,
                raw_columns={4, 6},
            )
        )
    else:
        st.success("중복으로 기재된 책이 없습니다.")
