"""Synthetic 세특·행특·창체 files for practising and measuring the audit, with a gold file.

Texts are built from hand-written clauses (data/audit_material.toml), combined so that no two long
sentences share more than two of their four clauses. Planted: texts over the byte limit by one byte,
over only because of line breaks, exactly at the limit; forbidden entries with particles; harmless
look-alikes; sentences copied into other students' texts with small edits. The gold file is written
next to the folder to check, never inside it.
"""

from __future__ import annotations

import csv
import io
import random
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import UsageError
from ...fileio import commit_files
from ..generate import gold_path
from ..reader import FIELD_AUTONOMY, FIELD_BEHAVIOUR, FIELD_CAREER, FIELD_CLUB, FIELD_SUBJECT
from .nbytes import neis_bytes

KIND_FIELDS = {
    "세특": [FIELD_SUBJECT],
    "행특": [FIELD_BEHAVIOUR],
    "창체": [FIELD_AUTONOMY, FIELD_CLUB, FIELD_CAREER],
}
SUBJECTS = ["국어", "수학", "영어", "통합사회", "통합과학", "한국사"]
AREA_LABELS = {FIELD_AUTONOMY: "자율·자치활동", FIELD_CLUB: "동아리활동", FIELD_CAREER: "진로활동"}
LIMITS = {
    FIELD_SUBJECT: 1500,
    FIELD_BEHAVIOUR: 1500,
    FIELD_AUTONOMY: 1500,
    FIELD_CLUB: 1500,
    FIELD_CAREER: 2100,
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
GIVEN = [
    "민준", "서연", "도윤", "하은", "시우", "지우", "예준", "서윤", "주원", "지아", "하준", "수아", "지호", "채원",
    "준서", "지민", "건우", "다은", "현우", "예은", "우진", "소율", "선우", "윤서", "연우", "가은", "유준", "예린",
    "정우", "수빈", "승우", "지유", "민재", "하린", "은우", "시은", "지훈", "유나", "태윤", "서현", "재윤", "민서",
]  # fmt: skip
EDITS = {
    "하였으며": "했으며", "하였고": "했고", "적극적으로": "능동적으로", "정리하였으며": "요약하였으며",
    "돋보임.": "두드러짐.", "친구들": "급우들", "꼼꼼하게": "세밀하게", "직접": "손수", "뛰어남": "우수함",
    "보여": "드러내", "조사": "탐색", "발표": "공유",
}  # fmt: skip


@dataclass
class GenerateRequest:
    out_dir: str | Path
    kind: str = "세특"
    students: int = 60
    class_size: int = 30
    formats: list[str] = field(default_factory=lambda: ["xlsx"])
    seed: int = 0
    overwrite: bool = False
    copy_rate: float = 0.03  # share of students whose sentence is pasted into others
    forbidden_rate: float = 0.08
    lookalike_rate: float = 0.08


@dataclass
class GenerateResult:
    folder: Path
    gold: Path
    files: list[Path]
    students: int
    texts: int
    over_limit: int
    forbidden: int
    lookalikes: int
    copy_pairs: int


def material() -> dict[str, Any]:
    data = resources.files("schoolauto.records").joinpath("data", "audit_material.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


class _Sentences:
    """Long sentences from four clause lists; any two share at most two clauses."""

    def __init__(self, mat: dict[str, Any], rng: random.Random) -> None:
        self.a, self.b, self.c, self.d = mat["a"], mat["b"], mat["c"], mat["d"]
        n = min(len(self.a), len(self.b), len(self.c), len(self.d))
        self.n = n
        self.rng = rng
        self.order = [(i, j, k) for i in range(n) for j in range(n) for k in range(n)]
        rng.shuffle(self.order)
        self.pos = 0

    def next(self) -> str:
        if self.pos >= len(self.order):
            self.rng.shuffle(self.order)
            self.pos = 0  # more sentences than combinations: repeats become possible
        i, j, k = self.order[self.pos]
        self.pos += 1
        m = (i + j + k) % self.n
        return f"{self.a[i]} {self.b[j]} {self.c[k]} {self.d[m]}"


def _edit(sentence: str, rng: random.Random) -> str:
    """A pasted sentence with one or two small edits: an ending, a word, a space."""
    out = sentence
    keys = [k for k in EDITS if k in out]
    rng.shuffle(keys)
    for k in keys[: rng.randint(1, 2)]:
        out = out.replace(k, EDITS[k], 1)
    spaces = [m.start() for m in re.finditer(" ", out)]
    if spaces and rng.random() < 0.5:
        p = rng.choice(spaces)
        out = out[:p] + out[p + 1 :]
    return out


def _fill_exact(text: str, target: int, fillers: list[str], rng: random.Random) -> str | None:
    """`text` plus one or two number fillers so that it counts exactly `target` bytes."""
    base = neis_bytes(text)
    options = []
    for f in fillers:
        for digits in range(1, 4):
            n = str(rng.randint(10 ** (digits - 1) if digits > 1 else 2, 10**digits - 1))
            options.append(f.replace("{n}", n))
    rng.shuffle(options)
    for o1 in options:
        b1 = neis_bytes(o1)
        if base + b1 == target:
            return text + o1
        for o2 in options:
            if base + b1 + neis_bytes(o2) == target:
                return text + o1 + o2
    return None


def generate(request: GenerateRequest) -> GenerateResult:
    if request.kind not in KIND_FIELDS:
        raise UsageError(f"자료 종류는 {', '.join(KIND_FIELDS)} 중 하나여야 합니다", field="kind")
    if request.students < 2:
        raise UsageError("학생 수는 2 이상이어야 합니다", field="students")
    if request.class_size < 1:
        raise UsageError("반당 학생 수는 1 이상이어야 합니다", field="class_size")
    formats = [f for f in request.formats if f]
    if not formats or any(f not in ("xlsx", "csv") for f in formats):
        raise UsageError("파일 형식은 xlsx, csv 또는 xlsx,csv 여야 합니다", field="format")
    out = Path(request.out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError("출력 폴더 자리에 파일이 있습니다", path=out, field="out_dir")
    rng = random.Random(request.seed)
    mat = material()
    gen = _Sentences(mat, rng)
    fields = KIND_FIELDS[request.kind]
    students = []
    for s in range(request.students):
        klass, number = s // request.class_size + 1, s % request.class_size + 1
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        students.append((f"1{klass:02d}{number:02d}", klass, number, name))
    # texts[(student index, field, subject)] = list of sentences
    texts: dict[tuple[int, str, str | None], list[str]] = {}
    for si in range(len(students)):
        for fld in fields:
            subjects = rng.sample(SUBJECTS, 3) if fld == FIELD_SUBJECT else [None]
            for subj in subjects:
                sents = [gen.next() for _ in range(rng.randint(3, 4))]
                if rng.random() < 0.5:
                    sents.insert(rng.randrange(len(sents) + 1), rng.choice(mat["short"]))
                texts[(si, fld, subj)] = sents
    gold: list[list[Any]] = []
    # planted rows hold only if their sentences survive trimming to the byte limit
    pending: list[tuple[list[tuple[tuple[int, str, str | None], str]], list[Any]]] = []
    keys = list(texts)
    # copied sentences: a sentence of one student pasted (edited) into 1..5 (sometimes 11) others
    used: set[tuple[int, str, str | None]] = set()
    for key in rng.sample(keys, max(1, int(len(keys) * request.copy_rate))):
        si, fld, subj = key
        if key in used:
            continue
        src = next((x for x in texts[key] if len(x) > 40), None)
        if src is None:
            continue
        k = 11 if rng.random() < 0.1 else rng.randint(1, 5)
        targets = [t for t in keys if t[1] == fld and t[0] != si and t not in used]
        rng.shuffle(targets)
        chosen: list[tuple[int, str, str | None]] = []
        owners = {si}
        for t in targets:  # one text per student: the check compares different students
            if len(chosen) < k and t[0] not in owners:
                chosen.append(t)
                owners.add(t[0])
        group = [key, *chosen]
        used.update(group)
        named = rng.random() < 0.5
        sname = students[si][3]
        if named:
            texts[key][texts[key].index(src)] = src = f"{sname} 학생은 {src}"
        placed = {key: src}
        for t in chosen:
            copy = _edit(src, rng)
            if named:
                copy = copy.replace(sname, students[t[0]][3], 1)
            texts[t].insert(rng.randrange(len(texts[t]) + 1), copy)
            placed[t] = copy
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                a, b = group[x], group[y]
                row = ["copy", students[a[0]][0], a[1], a[2] or "", students[b[0]][0], "", ""]
                pending.append(([(a, placed[a]), (b, placed[b])], row))
    # forbidden entries and look-alikes
    forbidden = lookalikes = 0
    rules = list(mat["forbidden"].items())
    for key in keys:
        r = rng.random()
        if r < request.forbidden_rate:
            rule, pool = rules[forbidden % len(rules)]
            raw = rng.choice(pool)
            span = raw[raw.index("[[") + 2 : raw.index("]]")]
            sentence = raw.replace("[[", "").replace("]]", "")
            texts[key].insert(rng.randrange(len(texts[key]) + 1), sentence)
            row = ["forbidden", students[key[0]][0], key[1], key[2] or "", "", rule, span]
            pending.append(([(key, sentence)], row))
            forbidden += 1
        elif r < request.forbidden_rate + request.lookalike_rate:
            texts[key].insert(rng.randrange(len(texts[key]) + 1), rng.choice(mat["lookalikes"]))
            lookalikes += 1
    # byte limits: some over by one, some over only because of line breaks, some exactly at the limit
    final: dict[tuple[int, str, str | None], str] = {}
    over = 0
    plans = ["over1", "breaks", "exact"]
    for n, key in enumerate(keys):
        body = " ".join(texts[key])
        limit = LIMITS[key[1]]
        plan = plans[n % 3] if rng.random() < 0.06 else None
        if plan is None:
            while neis_bytes(body) > limit:
                body = body[: body.rstrip(".").rfind(". ") + 1] or body[: limit // 3]
            final[key] = body
            continue
        gap_target = limit + 1 if plan == "over1" else limit - 1 if plan == "breaks" else limit
        while neis_bytes(body) > gap_target - 25:
            body = body[: body.rstrip(".").rfind(". ") + 1]
        while True:
            more = body + " " + gen.next()
            if neis_bytes(more) > gap_target - 25:
                break
            body = more
        for short in rng.sample(mat["short"], len(mat["short"])):
            if neis_bytes(body) + neis_bytes(short) + 1 <= gap_target - 70:
                body += " " + short
        filled = _fill_exact(body, gap_target, mat["fillers"], rng)
        if filled is None:
            final[key] = body
            continue
        if plan == "breaks":
            cuts = [m.end() for m in re.finditer(r"\. ", filled)][:2]
            if len(cuts) < 2:
                final[key] = body
                continue
            filled = filled[: cuts[0] - 1] + "\n" + filled[cuts[0] : cuts[1] - 1] + "\n" + filled[cuts[1] :]
            # each break replaced a 1-byte space and counts 2: +2 bytes in all
        final[key] = filled
        nbytes = neis_bytes(filled)
        if nbytes > limit:
            over += 1
            gold.append(["length", students[key[0]][0], key[1], key[2] or "", "", str(nbytes), str(limit)])
        else:
            gold.append(["at_limit", students[key[0]][0], key[1], key[2] or "", "", str(nbytes), str(limit)])
    kept = [row for need, row in pending if all(sentence in final[k] for k, sentence in need)]
    copy_pairs = sum(1 for row in kept if row[0] == "copy")
    forbidden = sum(1 for row in kept if row[0] == "forbidden")
    gold = kept + gold
    files = _write_files(out, request, students, final, formats)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(
        ["check", "student_id", "field", "subject", "other_student_id", "rule_or_bytes", "span_or_limit"]
    )
    w.writerows(gold)
    gold_file = gold_path(out)
    folder = out
    for p in {p.parent for p, _ in files} | {out}:
        p.mkdir(parents=True, exist_ok=True)
    commit_files(
        [(p, data) for p, data in files] + [(gold_file, buf.getvalue().encode("utf-8-sig"))],
        overwrite=request.overwrite,
    )
    return GenerateResult(
        folder=folder,
        gold=gold_file,
        files=[p for p, _ in files],
        students=len(students),
        texts=len(final),
        over_limit=over,
        forbidden=forbidden,
        lookalikes=lookalikes,
        copy_pairs=copy_pairs,
    )


def _write_files(
    out: Path,
    request: GenerateRequest,
    students: list[tuple[str, int, int, str]],
    final: dict[tuple[int, str, str | None], str],
    formats: list[str],
) -> list[tuple[Path, bytes]]:
    from openpyxl import Workbook

    folder = out
    by_class: dict[int, list[tuple[tuple[int, str, str | None], str]]] = {}
    for key, text in final.items():
        by_class.setdefault(students[key[0]][1], []).append((key, text))
    files = []
    for klass, items in sorted(by_class.items()):
        wide = request.kind == "창체" and klass % 2 == 0
        if request.kind == "세특":
            header = ["학번", "번호", "성명", "과목", "세부능력 및 특기사항"]
        elif request.kind == "행특":
            header = ["학번", "번호", "성명", "행동특성 및 종합의견"]
        elif wide:
            header = ["학번", "번호", "성명", *[AREA_LABELS[f] for f in KIND_FIELDS["창체"]]]
        else:
            header = ["학번", "번호", "성명", "영역", "특기사항"]
        rows: list[list[Any]] = []
        if wide:
            per: dict[int, dict[str, str]] = {}
            for (si, fld, _), text in items:
                per.setdefault(si, {})[fld] = text
            for si, areas in per.items():
                sid, _, number, name = students[si]
                rows.append([sid, number, name, *[areas.get(f, "") for f in KIND_FIELDS["창체"]]])
        else:
            for (si, fld, subj), text in items:
                sid, _, number, name = students[si]
                mid = (
                    [subj] if request.kind == "세특" else [AREA_LABELS[fld]] if request.kind == "창체" else []
                )
                rows.append([sid, number, name, *mid, text])
        title = f"2026학년도 1학년 {klass}반 {request.kind}"
        base = f"1학년_{klass}반_{request.kind}"
        if "xlsx" in formats:
            wb = Workbook()
            ws = wb.active
            ws.append([title])
            ws.append([])
            ws.append(header)
            for r in rows:
                ws.append(r)
            bio = io.BytesIO()
            wb.save(bio)
            files.append((folder / f"{base}.xlsx", bio.getvalue()))
        if "csv" in formats:
            buf = io.StringIO(newline="")
            w = csv.writer(buf)
            w.writerow([title])
            w.writerow(header)
            w.writerows(rows)
            # one copy of each class per folder: with both formats the CSV copies go beside it
            csv_folder = out.parent / f"{out.name}_csv" if "xlsx" in formats else folder
            files.append((csv_folder / f"{base}.csv", buf.getvalue().encode("utf-8-sig")))
    return files
