#!/usr/bin/env bash
# The demo command (README): installs schoolauto into its own venv and runs the main job on synthetic
# data — a school's NEIS 독서활동상황 exports with retyped duplicates — writing the reports to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/python.sh
[ -x .venv-demo/bin/python ] || "$PY" -m venv .venv-demo
.venv-demo/bin/python -m pip install --quiet --disable-pip-version-check .
SA=.venv-demo/bin/schoolauto

OUT="demo-out/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "== 1. 가상 독서활동상황 내보내기 파일 만들기 (3학년 120명, xlsx + CP949 csv)"
$SA records generate --students 120 --out-dir "$OUT/exports" --format xlsx,csv --seed 1
echo "== 2. 독서활동 중복 도서 검사 (기본 방법)"
# the same classes were written as xlsx and as csv: check one copy, or every book would be doubled
$SA records duplicates "$OUT"/exports/*.xlsx --school "한빛고등학교" \
  --out "$OUT/독서활동_중복검사.xlsx" --json "$OUT/독서활동_중복검사.json" --csv "$OUT/독서활동_중복검사.csv"
echo "== 3. 같은 자료를 발표의 형태소 비율 방법으로 (비교용)"
$SA records duplicates "$OUT"/exports/*.xlsx --method ratio --json "$OUT/형태소비율_결과.json"
if $SA groups --help >/dev/null 2>&1 && $SA roster --help >/dev/null 2>&1; then
  echo "== 4. 가상 명렬표로 모둠 편성 (30명 → 6모둠, 성별·수준 균형)"
  $SA roster generate --students 30 --seed 1 --out "$OUT/명렬표.xlsx"
  $SA groups assign "$OUT/명렬표.xlsx" --groups 6 --balance 성별,수준 --seed 1 \
    --out "$OUT/모둠편성.xlsx" --json "$OUT/모둠편성.json" || echo "(모둠 편성 데모를 건너뜁니다)"
fi
echo "== 5. 생활기록부 점검: 가상 세특으로 바이트 초과·기재 금지·같은 문장 찾기"
$SA records generate --kind 세특 --students 120 --out-dir "$OUT/세특" --seed 1
$SA records audit "$OUT/세특" --year 2026 \
  --out "$OUT/생활기록부_점검.xlsx" --json "$OUT/생활기록부_점검.json" --csv "$OUT/생활기록부_점검.csv"
echo
echo "결과 폴더: $OUT"
ls -1 "$OUT"
