"""가상 자료: synthetic rosters and 독서활동상황 exports, to try the other pages."""

from __future__ import annotations

import streamlit as st

from schoolauto.ui import common, jobs

LABELS = {"students": "학생 수", "grades": "학년", "classes": "학년당 반 수", "seed": "난수 시드"}

st.title("가상 자료")
st.write(
    "다른 페이지를 시험해 볼 가상 명렬표와 독서활동상황 파일을 만듭니다. 이름과 연락처는 모두 가짜입니다."
)

st.subheader("가상 명렬표")
c1, c2, c3, c4, c5 = st.columns(5)
with c1:
    r_students = st.number_input("학생 수", min_value=1, max_value=5000, value=30, key="gen_r_students")
with c2:
    r_grades = st.multiselect(
        "학년", [1, 2, 3], default=[1], key="gen_r_grades", placeholder="학년을 고르세요"
    )
with c3:
    r_classes = st.number_input("학년당 반 수", min_value=1, max_value=30, value=1, key="gen_r_classes")
with c4:
    r_seed = st.number_input("난수 시드", min_value=0, value=0, key="gen_r_seed")
with c5:
    r_fmt = st.selectbox("형식", ["xlsx", "csv"], key="gen_r_fmt")
if st.button("명렬표 만들기", key="gen_roster"):
    made = common.run_job(
        lambda: jobs.generate_roster(
            students=int(r_students),
            grades=r_grades,
            classes=int(r_classes),
            seed=int(r_seed),
            fmt=str(r_fmt),
        ),
        LABELS,
    )
    if made is not None:
        st.session_state["result_gen_roster"] = made
made = st.session_state.get("result_gen_roster")
if made:
    st.success(f"만들었습니다: {made[0]}")
    st.download_button("명렬표 받기", made[1], file_name=made[0], key="gen_roster_dl", on_click="ignore")

st.subheader("가상 독서활동상황")
e1, e2, e3, e4, e5 = st.columns(5)
with e1:
    e_students = st.number_input("학생 수", min_value=1, max_value=5000, value=60, key="gen_e_students")
with e2:
    e_grade = st.selectbox("현재 학년", [1, 2, 3], index=2, key="gen_e_grade")
with e3:
    e_size = st.number_input("반당 학생 수", min_value=1, max_value=60, value=30, key="gen_e_size")
with e4:
    e_seed = st.number_input("난수 시드", min_value=0, value=0, key="gen_e_seed")
with e5:
    e_fmt = st.selectbox("형식", ["xlsx", "csv"], key="gen_e_fmt")
if st.button("독서활동상황 만들기", key="gen_exports"):
    archive = common.run_job(
        lambda: jobs.generate_exports(
            common.session_dir() / "generated",
            students=int(e_students),
            grade=int(e_grade),
            class_size=int(e_size),
            seed=int(e_seed),
            fmt=str(e_fmt),
        ),
        LABELS,
    )
    if archive is not None:
        st.session_state["result_gen_exports"] = archive
made = st.session_state.get("result_gen_exports")
if made:
    st.success(f"만들었습니다: {made[0]} (반별 파일과 정답 파일)")
    st.download_button(
        "ZIP 받기",
        made[1],
        file_name=made[0],
        mime="application/zip",
        key="gen_exports_dl",
        on_click="ignore",
    )
