"""모둠·반편성: roster, columns to balance (with weights), rules, solve with a progress line, move by hand."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from schoolauto.ui import common, jobs

LABELS = {
    "roster": "명렬표",
    "inputs": "명렬표",
    "id": "학번 열",
    "groups": "모둠 수",
    "size": "모둠 크기",
    "balance": "고르게 할 열",
    "numeric": "평균을 맞출 수치 열",
    "similar": "비슷하게 모을 열",
    "no_alone": "혼자 두지 않을 값",
    "constraints": "제약",
    "time_limit": "제한 시간",
    "seed": "난수 시드",
    "method": "방법",
}
RULE_KINDS = ["분리", "함께", "고정"]

st.title("모둠·반편성")
st.write(
    "명렬표의 학생을 모둠(또는 반)으로 나눕니다. 고르게 할 열을 고르면 최적의 배정을 찾고, 최적인지 알려 줍니다."
)

upload = st.file_uploader(
    "명렬표 (xlsx, xls, csv)", type=common.TABLE_TYPES, key="grp_file", help=common.upload_help()
)
local_path = ""
if common.local_mode():
    local_path = st.text_input("또는 이 컴퓨터의 명렬표 파일 경로", key="grp_path")
id_column = st.text_input(LABELS["id"], value="학번", key="grp_id")


def roster_path() -> Path | None:
    """The roster in the session folder (saved once per upload), or the local path."""
    if upload is not None:
        stamp = (upload.name, upload.size)
        saved = st.session_state.get("grp_saved")
        if not saved or saved[0] != stamp or not Path(saved[1]).exists():
            path = common.save_uploads([upload], "roster")[0]
            st.session_state["grp_saved"] = (stamp, str(path))
        return Path(st.session_state["grp_saved"][1])
    if local_path.strip():
        return Path(local_path.strip())
    return None


path = common.run_job(roster_path, LABELS)
columns: list[str] = []
if path is not None:
    columns = common.run_job(lambda: jobs.roster_columns(path, id_column=id_column), LABELS) or []

if columns:
    st.subheader("무엇을 고르게 할까요")
    c1, c2, c3 = st.columns(3)
    default_balance = [c for c in ("성별",) if c in columns]
    with c1:
        balance = st.multiselect(
            LABELS["balance"],
            columns,
            default=default_balance,
            key="grp_balance",
            placeholder="열을 고르세요",
        )
    with c2:
        numeric = st.multiselect(
            LABELS["numeric"], [c for c in columns if c not in balance], key="grp_numeric", placeholder="없음"
        )
    with c3:
        similar = st.multiselect(
            LABELS["similar"],
            [c for c in columns if c not in balance and c not in numeric],
            key="grp_similar",
            placeholder="없음",
        )
    chosen = [*balance, *numeric, *similar]
    weights: dict[str, float] = {}
    if chosen:
        st.caption("가중치: 더 중요하게 고를 열은 크게 (기본 1)")
        edited = st.data_editor(
            pd.DataFrame({"열": chosen, "가중치": [1.0] * len(chosen)}),
            key=f"grp_weights_{'|'.join(chosen)}",
            hide_index=True,
            disabled=["열"],
            column_config={"가중치": st.column_config.NumberColumn(min_value=0.01, step=0.5)},
        )
        weights = {str(r["열"]): float(r["가중치"] or 1.0) for _, r in edited.iterrows()}

    st.subheader("모둠 수와 규칙")
    s1, s2, s3 = st.columns(3)
    with s1:
        by = st.radio("나누는 기준", ["모둠 수", "모둠 크기"], horizontal=True, key="grp_by")
    with s2:
        count = st.number_input(by, min_value=1, value=6 if by == "모둠 수" else 4, step=1, key="grp_count")
    with s3:
        no_alone = st.text_input(LABELS["no_alone"] + " (예: 성별=여)", key="grp_no_alone")
    names_apart = st.checkbox("동명이인은 다른 모둠에", key="grp_names_apart", value=False)
    st.caption(
        "분리·함께·고정 규칙: 표에 적거나 규칙 파일(유형, 학번, 모둠 열)을 올리세요. 학번은 쉼표로 구분합니다."
    )
    rules = st.data_editor(
        pd.DataFrame({"유형": pd.Series([], dtype="str"), "학번": pd.Series([], dtype="str"), "모둠": pd.Series([], dtype="str")}),
        num_rows="dynamic",
        key="grp_rules",
        hide_index=True,
        column_config={"유형": st.column_config.SelectboxColumn(options=RULE_KINDS, required=True)},
    )  # fmt: skip
    rules_file = st.file_uploader("규칙 파일 (선택)", type=common.TABLE_TYPES, key="grp_rules_file")
    r1, r2, r3 = st.columns(3)
    with r1:
        method = st.selectbox(LABELS["method"], jobs.group_methods(), key="grp_method")
    with r2:
        time_limit = st.number_input(
            LABELS["time_limit"] + " (초)", min_value=1.0, max_value=3600.0, value=30.0, key="grp_time"
        )
    with r3:
        seed = st.number_input(LABELS["seed"], min_value=0, value=0, step=1, key="grp_seed")

    def weighted(names: list[str]) -> list[tuple[str, float]]:
        return [(n, weights.get(n, 1.0)) for n in names]

    def rules_path() -> Path | None:
        if rules_file is not None:
            return common.save_uploads([rules_file], "rules")[0]
        rows = [r for _, r in rules.iterrows() if str(r.get("학번") or "").strip()]
        if not rows:
            return None
        target = common.session_dir() / "rules" / "규칙.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["유형", id_column, "모둠"])
            for r in rows:
                w.writerow([r.get("유형") or "", r.get("학번") or "", r.get("모둠") or ""])
        return target

    if st.button("편성 시작", type="primary", key="grp_run"):
        st.session_state.pop("result_groups", None)
        st.session_state.pop("grp_manual", None)
        box: dict[str, Any] = {}
        latest = jobs.Progress()

        def on_progress(p: jobs.Progress) -> None:
            latest.objective, latest.bound, latest.gap, latest.stage = p.objective, p.bound, p.gap, p.stage

        def solve(constraints: Path | None) -> None:
            try:
                box["result"] = jobs.assign_groups(
                    path,  # type: ignore[arg-type]
                    id_column=id_column,
                    groups=int(count) if by == "모둠 수" else None,
                    size=int(count) if by == "모둠 크기" else None,
                    balance=weighted(balance),
                    numeric=weighted(numeric),
                    similar=weighted(similar),
                    no_alone=no_alone,
                    names_apart=names_apart,
                    constraints_path=constraints,
                    method=str(method),
                    seed=int(seed),
                    time_limit=float(time_limit),
                    progress=on_progress,
                )
            except BaseException as exc:  # noqa: BLE001 - handed back to the page thread
                box["error"] = exc

        def run() -> Any:
            constraints = rules_path()
            worker = threading.Thread(target=solve, args=(constraints,), daemon=True)
            t0 = time.monotonic()
            worker.start()
            line = st.empty()
            while worker.is_alive():
                parts = [f"풀이 중… 경과 {time.monotonic() - t0:.0f}초 / 제한 {time_limit:.0f}초"]
                if latest.stage:
                    parts.append(str(latest.stage))
                if latest.objective is not None:
                    parts.append(f"목적값 {latest.objective:.4f}")
                if latest.bound is not None:
                    parts.append(f"하한 {latest.bound:.4f}")
                if latest.gap is not None:
                    parts.append(f"간격 {latest.gap * 100:.2f}%")
                line.info(", ".join(parts))
                worker.join(0.5)
            line.empty()
            if "error" in box:
                raise box["error"]
            return box["result"]

        result = common.run_job(run, LABELS)
        if result is not None:
            st.session_state["result_groups"] = result
            st.session_state["grp_run_id"] = st.session_state.get("grp_run_id", 0) + 1

solved = st.session_state.get("result_groups")
if solved is not None:
    manual = st.session_state.get("grp_manual")
    current = jobs.rescore(solved, manual) if manual else solved
    problem = current.problem
    G = problem.n_groups
    st.subheader("결과")
    st.markdown(f"**{jobs.group_status(current)}** · 학생 {problem.n}명 → {G}모둠")
    if manual:
        st.info("손으로 옮긴 배정입니다: 아래 수치는 옮긴 뒤의 것입니다.")
    checks = jobs.constraint_rows(current)
    failed = [c for c in checks if c["지켜짐"] != "예"]
    if failed:
        st.error(f"지켜지지 않은 제약이 {len(failed)}개 있습니다")
    else:
        st.success("모든 제약을 지켰습니다")
    grid = jobs.group_summary(current)
    st.markdown("**모둠별 인원과 표준편차**")
    st.dataframe(
        pd.DataFrame(grid[1:], columns=[str(h) for h in grid[0]], dtype=object).astype(str), hide_index=True
    )
    counts = current.evaluation.counts
    if counts:
        st.markdown("**열마다 모둠별 인원**")
        cols = st.columns(min(3, len(counts)))
        for i, (attr, vals) in enumerate(counts.items()):
            with cols[i % len(cols)]:
                st.caption(attr)
                chart = pd.DataFrame(vals, index=[f"{g + 1}모둠" for g in range(G)])
                st.bar_chart(chart, stack=False, height=220)
    st.markdown("**제약 확인**")
    st.dataframe(pd.DataFrame(checks), hide_index=True)

    table = current.to_frame()
    st.markdown("**모둠별 명단**")
    tabs = st.tabs([f"{g + 1}모둠" for g in range(G)])
    for g, tab in enumerate(tabs):
        with tab:
            st.dataframe(table[table["모둠"] == g + 1], hide_index=True)

    st.markdown("**손으로 옮기기**")
    labels = [f"{sid} {problem.names[i]}" if problem.names else sid for i, sid in enumerate(problem.ids)]
    m1, m2, m3, m4 = st.columns([3, 1, 1, 1])
    with m1:
        who = st.selectbox("학생", range(problem.n), format_func=lambda i: labels[i], key="grp_move_who")
    with m2:
        to = st.selectbox("옮길 모둠", range(1, G + 1), key="grp_move_to")
    with m3:
        st.write("")
        if st.button("옮기기", key="grp_move"):
            assignment = list(current.assignment)
            assignment[int(who)] = int(to) - 1
            st.session_state["grp_manual"] = assignment
            st.rerun()
    with m4:
        st.write("")
        if manual and st.button("처음 결과로", key="grp_reset"):
            st.session_state.pop("grp_manual", None)
            st.rerun()
    common.download_buttons(jobs.downloads(current), "모둠편성", "grp_dl")
