#!/usr/bin/env bash
# Pages that answer 200 but are not there.
# - soft.hcm.edu.vn answers every unknown URL 200 with a full page of the
#   site that names no error (only the probe shows what it is); a menu link to
#   an item is dead there, and one page says "Không tìm thấy trang".  Both
#   are stored as 404 (meta http:status 200, soft404 1); real pages stay 200.
# - parked.hcm.edu.vn answers every URL (robots.txt too) with the same
#   small placeholder "Tên miền đã hết hạn": the site fails with reason
#   "parked", exactly as a connection failure would.
# - tiny.hcm.edu.vn is a real one-page portal whose unknown URLs are 404:
#   reachable.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
python3 - "$WORK/www" <<'PY'
import os, sys
root = sys.argv[1]

def page(title, content):
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body>'
            '<div id="nav"><ul class="menu"><li><a href="/">Trang chủ</a></li>'
            '<li><a href="/gioi-thieu.html">Giới thiệu</a></li>'
            '<li><a href="/cong-khai/">Công khai</a></li>'
            '<li><a href="/cong-khai/doi-ngu-nha-giao.html">Đội ngũ nhà giáo</a></li></ul></div>'
            f'<div id="content"><h1>{title}</h1>{content}</div></body></html>\n')

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

d = f"{root}/soft.hcm.edu.vn"
write(f"{d}/index.html", page("Trường THCS Hòa Bình", "<p>Chào mừng.</p>"))
write(f"{d}/gioi-thieu.html", page("Giới thiệu", "<p>Lịch sử nhà trường.</p>"))
write(f"{d}/cong-khai/index.html", page("Công khai",
      '<ul><li><a href="/cong-khai/cam-ket-chat-luong.html">Cam kết chất lượng giáo dục</a></li>'
      '<li><a href="/cong-khai/co-so-vat-chat.html">Công khai cơ sở vật chất</a></li></ul>'))
write(f"{d}/cong-khai/cam-ket-chat-luong.html",
      page("Cam kết chất lượng giáo dục năm học 2017-2018", "<p>Biểu mẫu 09.</p>"))
write(f"{d}/cong-khai/co-so-vat-chat.html",
      page("Không tìm thấy trang", "<p>Bài viết đã được chuyển đi.</p>"))
# Every other URL: this page of the site (the testserver serves _any.html
# for a URL without a file).
write(f"{d}/_any.html", page("Trường THCS Hòa Bình", "<p>Rất tiếc, đường dẫn bạn truy cập đã thay đổi.</p>"
                        "<p>Mời quay lại trang chủ.</p>"))
write(f"{d}/robots.txt", "User-agent: *\nAllow: /\n")

p = f"{root}/parked.hcm.edu.vn"
write(f"{p}/_any.html", '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tên miền đã hết hạn</title>'
      '</head><body><h1>Tên miền đã hết hạn</h1><p>Website tạm ngưng hoạt động. Vui lòng liên hệ '
      'nhà cung cấp để gia hạn.</p></body></html>\n')

t = f"{root}/tiny.hcm.edu.vn"
write(f"{t}/index.html", '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trường Mầm non Sen'
      '</title></head><body><h1>Trường Mầm non Sen</h1><p>Trang đang xây dựng.</p></body></html>\n')
PY
ts_start "$WORK/www" 127.0.0.1
{
  echo 'school_id,name,unit,level,ownership,portal_url'
  for s in soft parked tiny; do echo "NF-$s,Trường $s,Quận 1,thcs,cong_lap,http://$s.hcm.edu.vn:$TS_PORT/"; done
} >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
resolve=()
for s in soft parked tiny; do resolve+=(--resolve "$s.hcm.edu.vn:$TS_PORT:127.0.0.1"); done
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl "${resolve[@]}" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
sql() { sqlite3 "$db" "$1"; }
row() { sql "SELECT status || '|' || COALESCE(metas, '') FROM pages WHERE requested_url = 'http://soft.hcm.edu.vn:$TS_PORT$1'"; }

probes=$(awk -F'\t' '$4 == "GET" && $6 ~ /^soft/ && $5 ~ /^\/khong-ton-tai-/' "$TS_LOG" | wc -l)
assert_eq "$probes" 1 "soft: one probe for what a missing page looks like"
dead=$(row /cong-khai/doi-ngu-nha-giao.html)
case $dead in
  404*"http:status"$'\t'"200"*"soft404"$'\t'"1"*) ok "dead menu link answered 200 by the site's page: stored 404 with its metas" ;;
  *) fail "dead menu link stored as '$dead'" ;;
esac
said=$(row /cong-khai/co-so-vat-chat.html)
case $said in
  404*soft404*) ok "a page titled 'Không tìm thấy trang' stored 404" ;;
  *) fail "'Không tìm thấy trang' stored as '$said'" ;;
esac
assert_eq "$(row /cong-khai/cam-ket-chat-luong.html | cut -d'|' -f1)" 200 "a real item page stays 200"
assert_eq "$(row / | cut -d'|' -f1)" 200 "the home page stays 200"
assert_eq "$(sql "SELECT reachable || ' ' || COALESCE(reason, '') FROM sites WHERE school_id='NF-soft'")" "1 " \
  "soft: the site is reachable"

assert_eq "$(sql "SELECT reachable || ' ' || reason FROM sites WHERE school_id='NF-parked'")" "0 parked" \
  "parked: the site failed with reason parked"
preq=$(awk -F'\t' '$4 == "GET" && $6 ~ /^parked/' "$TS_LOG" | wc -l)
[ "$preq" -le 4 ] || fail "parked: $preq requests"
ok "parked: $preq requests (robots.txt, home, probe, sitemap at most)"
assert_eq "$(sql "SELECT reachable FROM sites WHERE school_id='NF-tiny'")" 1 \
  "a small real portal whose unknown URLs are 404 is reachable"

# The audit's existing path: portal_reachable fails with that reason and
# the school is not assessed.
"$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-15 --quiet >/dev/null
assert_eq "$(sql "SELECT reachable || ' ' || reason FROM scores WHERE school_id='NF-parked'")" "0 parked" \
  "the audit records the parked portal as not assessable, reason parked"
"$PORTAL_AUDIT" --db "$db" report school NF-parked --format text >"$WORK/report.txt"
assert_contains "$WORK/report.txt" "tên miền đã hết hạn hoặc cổng thông tin tạm ngưng hoạt động" \
  "the school report says why in Vietnamese"
