"""The Streamlit script `schoolauto ui` runs: sign-in (when shared), then the pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from schoolauto.ui import common

HERE = Path(__file__).resolve().parent

PAGES = [
    ("views/duplicates.py", "독서활동 중복 검사", "duplicates"),
    ("views/audit.py", "생활기록부 점검", "audit"),
    ("views/groups.py", "모둠·반편성", "groups"),
    ("views/lms.py", "LMS 미제출", "lms"),
    ("views/generate.py", "가상 자료", "generate"),
]


def main() -> None:
    common.warm_up()
    st.set_page_config(page_title="schoolauto", layout="wide")
    if not common.signed_in():
        return
    common.session_dir()  # touch: keeps this session's folder alive while it is used
    common.sweep()
    pages = [
        st.Page(str(HERE / path), title=title, url_path=slug, default=(i == 0))
        for i, (path, title, slug) in enumerate(PAGES)
    ]
    nav = st.navigation(pages)
    with st.sidebar:
        st.caption("올린 파일은 이 창을 닫거나 오래 쓰지 않으면 지워집니다. 결과는 받은 파일에만 남습니다.")
    nav.run()


main()
