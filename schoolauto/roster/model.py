"""The student record and the synthetic roster generator (seeded, so a roster is reproducible)."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields

from ..errors import UsageError

GENDERS = ("남", "여")
LEVELS = ("상", "중", "하")
# Rough shares of MBTI types among Korean teenagers in published surveys; only realism matters here.
MBTI_WEIGHTS = {
    "ISTJ": 8,
    "ISFJ": 8,
    "INFJ": 4,
    "INTJ": 4,
    "ISTP": 6,
    "ISFP": 8,
    "INFP": 9,
    "INTP": 5,
    "ESTP": 5,
    "ESFP": 7,
    "ENFP": 10,
    "ENTP": 5,
    "ESTJ": 6,
    "ESFJ": 7,
    "ENFJ": 4,
    "ENTJ": 4,
}
SPECIAL_SHARE = 0.02  # share of students in a special class (특수학급)

# Korean headers, in file order, and the RosterStudent field each one holds.
HEADERS: dict[str, str] = {
    "학번": "student_id",
    "학년": "grade",
    "반": "klass",
    "번호": "number",
    "성명": "name",
    "성별": "gender",
    "MBTI": "mbti",
    "수준": "level",
    "성적": "score",
    "이전반": "previous_class",
    "특수학급": "special",
    "연락처": "phone",
    "이메일": "email",
}


def make_student_id(grade: int, klass: int, number: int) -> str:
    """학번 in the usual grade-class-number form: (1, 3, 12) -> '10312'; (1, 10, 12) -> '11012'."""
    if not (1 <= grade <= 9 and 1 <= klass <= 99 and 1 <= number <= 99):
        raise UsageError(
            f"학번을 만들 수 없습니다: {grade}학년 {klass}반 {number}번 (학년 1-9, 반·번호 1-99)"
        )
    return f"{grade}{klass:02d}{number:02d}"


def level_of(score: float) -> str:
    """수준 from a score: 상 from 80, 중 from 60, 하 below."""
    return "상" if score >= 80 else "중" if score >= 60 else "하"


@dataclass
class RosterStudent:
    """One student, with the attributes group formation and class assignment look at."""

    student_id: str
    grade: int
    klass: int
    number: int
    name: str
    gender: str
    mbti: str
    level: str
    score: float
    previous_class: int | None
    special: bool
    phone: str
    email: str

    def as_row(self) -> dict[str, object]:
        """Values by Korean header (booleans as 'Y'/'', missing previous class as '')."""
        out: dict[str, object] = {}
        for header, attr in HEADERS.items():
            v = getattr(self, attr)
            if attr == "special":
                v = "Y" if v else ""
            elif v is None:
                v = ""
            out[header] = v
        return out


STUDENT_FIELDS = tuple(f.name for f in fields(RosterStudent))


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def generate_roster(
    n_students: int | None = None,
    *,
    grades: tuple[int, ...] | list[int] = (1,),
    classes: int | None = None,
    per_class: int | None = None,
    seed: int = 0,
) -> list[RosterStudent]:
    """A synthetic but realistic roster: the same seed gives the identical roster.

    With `n_students`, that many students are spread evenly over `grades` x `classes` (one class by
    default); otherwise every class gets `per_class` students (25 by default). Names come from faker's
    ko_KR lists, which are short enough that same-name students (동명이인) occur now and then, as in
    real schools. Every phone number and e-mail address is fake (010-…, example.* domains).
    """
    from faker import Faker

    grades = tuple(grades)
    if not grades:
        raise UsageError("학년을 하나 이상 주세요", field="grades")
    if any(not 1 <= g <= 9 for g in grades) or len(set(grades)) != len(grades):
        raise UsageError(
            f"학년이 올바르지 않습니다: {', '.join(map(str, grades))} (1-9, 중복 없이)", field="grades"
        )
    n_classes = 1 if classes is None else classes
    if not 1 <= n_classes <= 99:
        raise UsageError(f"반 수가 올바르지 않습니다: {n_classes} (1-99)", field="classes")
    if n_students is not None and per_class is not None:
        raise UsageError("학생 수와 반당 학생 수는 함께 줄 수 없습니다", field="per_class")
    if n_students is None:
        size = 25 if per_class is None else per_class
        if not 1 <= size <= 99:
            raise UsageError(f"반당 학생 수가 올바르지 않습니다: {size} (1-99)", field="per_class")
        sizes = [size] * (len(grades) * n_classes)
    else:
        if n_students < 1:
            raise UsageError(f"학생 수가 올바르지 않습니다: {n_students} (1 이상)", field="students")
        sizes = _split(n_students, len(grades) * n_classes)
        if max(sizes) > 99:
            raise UsageError(
                f"한 반에 {max(sizes)}명은 너무 많습니다: 반 수를 늘리세요 (번호는 99까지)", field="classes"
            )

    rng = random.Random(seed)
    fake = Faker("ko_KR")
    fake.seed_instance(seed)
    mbti_types = list(MBTI_WEIGHTS)
    mbti_weights = list(MBTI_WEIGHTS.values())
    students: list[RosterStudent] = []
    k = 0
    for grade in grades:
        for klass in range(1, n_classes + 1):
            size = sizes[k]
            k += 1
            batch = []
            for _ in range(size):
                gender = GENDERS[rng.random() < 0.49]
                first = fake.first_name_male() if gender == "남" else fake.first_name_female()
                name = fake.last_name() + first
                score = round(min(100.0, max(0.0, rng.gauss(68, 16))), 1)
                batch.append((name, gender, score))
            # Numbers follow name order (가나다순), as schools usually number a class.
            batch.sort(key=lambda t: t[0])
            for number, (name, gender, score) in enumerate(batch, start=1):
                previous = rng.randint(1, n_classes) if grade > 1 else None
                phone = f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"
                local = fake.user_name()
                email = (
                    f"{local}{rng.randint(1, 99)}@{rng.choice(('example.com', 'example.org', 'example.net'))}"
                )
                students.append(
                    RosterStudent(
                        student_id=make_student_id(grade, klass, number),
                        grade=grade,
                        klass=klass,
                        number=number,
                        name=name,
                        gender=gender,
                        mbti=rng.choices(mbti_types, mbti_weights)[0],
                        level=level_of(score),
                        score=score,
                        previous_class=previous,
                        special=rng.random() < SPECIAL_SHARE,
                        phone=phone,
                        email=email,
                    )
                )
    return students
