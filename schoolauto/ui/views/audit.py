"""생활기록부 점검: length, forbidden entries and copies, with the offending span highlighted."""

from __future__ import annotations

import streamlit as st

from schoolauto.ui import common, jobs, render

LABELS = {"inputs": "생활기록부 파일", "checks": "점검 항목", "year": "학년도"}
CHECK_KO = dict(jobs.audit_checks())
SHOW_AT_MOST = 300

st.title("생활기록부 점검")
st.write(
    "세부능력 및 특기사항, 행동특성 및 종합의견, 창의적 체험활동 특기사항에서 NEIS 글자 수(바이트) 초과, "
    "기재 금지 내용, 여러 학생에게 복사된 문장을 찾습니다."
)

input_paths = common.table_inputs(LABELS["inputs"], "audit", "audit")
c1, c2 = st.columns([3, 1])
with c1:
    checks = st.multiselect(
        LABELS["checks"],
        list(CHECK_KO),
        default=list(CHECK_KO),
        format_func=lambda k: CHECK_KO.get(k, k),
        key="audit_checks",
    )
with c2:
    year = st.number_input(LABELS["year"], min_value=2000, max_value=2100, value=2026, key="audit_year")

if st.button("점검 시작", type="primary", key="audit_run"):
    st.session_state.pop("result_audit", None)

    def run() -> object:
        paths = input_paths()
        with st.spinner("점검하는 중…"):
            return jobs.audit(paths, checks=checks, year=int(year))

    result = common.run_job(run, LABELS)
    if result is not None:
        st.session_state["result_audit"] = result

result = st.session_state.get("result_audit")
if result is not None:
    doc = result.to_json()
    findings = doc.get("findings", [])
    by_check = {c: sum(1 for f in findings if f.get("check") == c) for c in CHECK_KO}
    cols = st.columns(len(by_check) + 1)
    cols[0].metric("찾은 곳", f"{len(findings)}건")
    for col, (c, n) in zip(cols[1:], by_check.items(), strict=True):
        col.metric(CHECK_KO[c], f"{n}건")
    st.markdown(f"점검 결과: 찾은 곳 **{len(findings)}**건")
    common.download_buttons(jobs.downloads(result), "생활기록부점검", "audit_dl")
    if findings:
        f1, f2 = st.columns(2)
        with f1:
            only = st.multiselect(
                "점검 항목",
                list(CHECK_KO),
                format_func=lambda k: CHECK_KO.get(k, k),
                key="audit_f_check",
                placeholder="모두",
            )
        with f2:
            who = st.text_input("학생 (이름 또는 학번 일부)", key="audit_f_student")
        shown = [
            f
            for f in findings
            if (not only or f.get("check") in only)
            and (
                not who.strip()
                or who.strip() in str((f.get("student") or {}).get("name") or "")
                or who.strip() in str((f.get("student") or {}).get("id") or "")
            )
        ]
        rows = []
        for f in shown[:SHOW_AT_MOST]:
            s = f.get("student") or {}
            text = f.get("text") or ""
            rows.append(
                [
                    s.get("class"),
                    s.get("number"),
                    s.get("name"),
                    CHECK_KO.get(f.get("check", ""), f.get("check")),
                    f.get("field"),
                    render.span_html(text, f.get("start"), f.get("end")),
                    f.get("message"),
                ]
            )
        st.caption(f"{len(shown)}건 표시 (빨간 글자: 문제가 된 부분)")
        st.html(
            render.table_html(["반", "번호", "성명", "점검", "항목", "내용", "설명"], rows, raw_columns={5})
        )
        if len(shown) > SHOW_AT_MOST:
            st.caption(f"앞의 {SHOW_AT_MOST}건만 보여 줍니다. 모두 보려면 엑셀 보고서를 받으세요.")
    else:
        st.success("찾은 문제가 없습니다.")
