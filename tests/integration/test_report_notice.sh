#!/usr/bin/env bash
# report notice: one letter (công văn) per school with a missing or stale
# item, none for a school without one or one that could not be reached;
# --school and --unit select, --deadline is stated, bad input exits 2.
# Each letter printed by headless Chromium (--print-to-pdf) is A4 and at
# most two pages, counted with pdfinfo, including a school whose empty
# portal misses every item of the TT 09/2024 rule set.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork

chromium_need pdfinfo

www=$WORK/www
cp -r "$PA_SOURCE/samples/www" "$www"
mkdir -p "$www/thtrong.hcm.edu.vn"
cat >"$www/thtrong.hcm.edu.vn/index.html" <<'HTML'
<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trường Tiểu học và THCS Trống</title></head>
<body><h1>Trường Tiểu học và THCS Trống</h1><p>Chào mừng quý phụ huynh.</p></body></html>
HTML
ts_start "$www" 127.0.0.1
dead=$(free_port)
sed -e "s/{port}/$TS_PORT/g" -e "s/{deadport}/$dead/g" "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
printf '79-P01-TH-0100,Trường Tiểu học và THCS Trống,Phường Bến Thành,th+thcs,cong_lap,http://thtrong.hcm.edu.vn:%s/\n' \
    "$TS_PORT" >>"$WORK/schools.csv"
grep -oE 'https?://[^:/]+' "$WORK/schools.csv" | sed 's|https\?://||' | sort -u |
    awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2024-2025 --as-of 2025-05-15 --quiet

pa report notice --deadline 2025-06-30 -o "$WORK/letters" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "report notice failed"; }
assert_contains "$WORK/err" "letters to $WORK/letters" "report notice says where it wrote"
empty=$WORK/letters/cong-van-79-P01-TH-0100.html
[ -s "$empty" ] || fail "no letter for the school with an empty portal"
[ ! -e "$WORK/letters/cong-van-79-Q06-TH-0005.html" ] || fail "a letter for an unreachable school"
[ ! -e "$WORK/letters/cong-van-79-Q03-MN-0006.html" ] || fail "a letter for a school without a portal"
ok "letters only for reachable schools with missing or stale items"
items=$(grep -c '<tr><td class="n">' "$empty")
[ "$items" -ge 15 ] || fail "the empty portal's letter lists only $items items"
ok "the empty portal's letter lists $items items"
assert_contains "$empty" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "national motto in the header"
assert_contains "$empty" "Số: ………/………" "number placeholder"
assert_contains "$empty" "ngày …… tháng …… năm 20……" "date placeholder"
assert_contains "$empty" "Kính gửi: Hiệu trưởng Trường Tiểu học và THCS Trống" "addressed to the school"
assert_contains "$empty" "Khoản 2 Điều 4 Thông tư 09/2024/TT-BGDĐT: công khai" "each item states the rule's requirement with its article"
assert_contains "$empty" "Đăng trang Thông tin chung trong chuyên mục Công khai" "each item gives the rule's remedy"
assert_contains "$empty" "Cách rà soát: Chương trình đã đọc" "the letter says where the program looked"
assert_contains "$empty" "<b>trước ngày 30/06/2025</b>" "the deadline"
assert_contains "$empty" "Nơi nhận:" "the addressees block"
assert_contains "$empty" "(Ký, ghi rõ họ tên và đóng dấu)" "the signature block"
assert_contains "$empty" "@page{size:A4 portrait" "an A4 print stylesheet"

# Selection and bad input.
pa report notice --school 79-P01-TH-0100 -o "$WORK/one" 2>/dev/null
[ "$(ls "$WORK/one")" = cong-van-79-P01-TH-0100.html ] || fail "--school wrote $(ls "$WORK/one")"
assert_contains "$WORK/one/cong-van-79-P01-TH-0100.html" "trước ngày …… tháng" "no --deadline: a blank to fill in"
pa report notice --unit 'Quận 1' -o "$WORK/q1" 2>/dev/null
ls "$WORK/q1" | grep -qv -- '-Q01-' && fail "--unit 'Quận 1' wrote another unit's letter"
ok "--school and --unit select the letters"
rc=0; pa report notice --deadline 2025-13-01 -o "$WORK/bad" 2>/dev/null || rc=$?
assert_eq "$rc" 2 "a bad --deadline exits 2"
rc=0; pa report notice 2>/dev/null || rc=$?
assert_eq "$rc" 2 "report notice without -o DIR exits 2"
rc=0; pa report city --deadline 2025-06-30 2>/dev/null || rc=$?
assert_eq "$rc" 2 "--deadline outside report notice exits 2"

# Printed: A4, at most two pages each.
for letter in "$WORK"/letters/*.html; do
    pdf=${letter%.html}.pdf
    browser "$WORK/chromium.out" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$letter"
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    size=$(pdfinfo "$pdf" | grep '^Page size:')
    case $size in *"(A4)"*) ;; *) fail "$(basename "$pdf"): $size, want A4" ;; esac
    [ -n "$pages" ] && [ "$pages" -ge 1 ] && [ "$pages" -le 2 ] ||
        fail "$(basename "$pdf") has ${pages:-no} pages, want 1 or 2"
    ok "$(basename "$pdf"): A4, $pages page(s)"
done
