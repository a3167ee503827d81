"""`schoolauto ui`: a local web page (Streamlit) for every job, for teachers who never open a terminal.

`app.py` is the Streamlit script; `views/` holds one page per job; `jobs.py` is the only module
that calls the library; `common.py` keeps uploads in a per-session temporary folder and signs
sessions in when the page is shared. Start it with `schoolauto ui`.
"""
