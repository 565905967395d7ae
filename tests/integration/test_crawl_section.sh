#!/usr/bin/env bash
# A disclosure section as real portals keep it: a list of posts, 10 a
# page, newest first, over 12 pages ("1 2 3 … Trang sau »"), mostly weekly
# menus, meal photos and notices.  The item post is on page 3, a generic
# post "Hồ sơ công khai năm học 2017-2018" (its items only as attachments
# "Tải file") on page 4; pages 6 to 12 hold posts of 2015, older than the
# start of the school year before the audited one (1 August 2016): of
# those only the pages are fetched, for the items they list (a stale
# "Công khai tài chính năm học 2014-2015" on page 9), not their other
# posts.  The crawl must find the three posts, fetch no more than
# CRAWL_SECTION_MINOR (3) menus or photos, and those the newest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=section.hcm.edu.vn
d=$WORK/www/$host
python3 - "$d" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(f"{d}/cong-khai", exist_ok=True)
os.makedirs(f"{d}/upload", exist_ok=True)

def page(title, content):
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<title>{title} - Trường Tiểu học Hòa Bình</title></head><body>'
            '<div id="header"><h2>TRƯỜNG TIỂU HỌC HÒA BÌNH</h2></div>'
            '<div id="nav"><ul class="menu"><li><a href="/">Trang chủ</a></li>'
            '<li><a href="/gioi-thieu.html">Giới thiệu</a></li>'
            '<li><a href="/cong-khai/">Công khai</a></li></ul></div>'
            f'<div id="content"><h1>{title}</h1>{content}</div>'
            '<div id="footer"><a href="/lien-he.html">Liên hệ</a></div></body></html>\n')

# 70 posts, newest first: (slug, title, date)
posts = []
week = 40
for k in range(120):
    day = 30 - (k % 28)
    if k < 50:
        month, year = 5 - k // 12, 2018
    else:
        month, year = 12 - (k - 50) // 6, 2015
    date = f"{day:02d}/{month:02d}/{year}"
    if k == 24:
        posts.append(("cong-khai-co-so-vat-chat-nam-hoc-2017-2018",
                      "Công khai cơ sở vật chất năm học 2017-2018", date))
    elif k == 85:
        posts.append(("cong-khai-tai-chinh-nam-hoc-2014-2015",
                      "Công khai tài chính năm học 2014-2015", date))
    elif k == 33:
        posts.append(("ho-so-cong-khai-nam-hoc-2017-2018",
                      "Hồ sơ công khai năm học 2017-2018", date))
    elif k % 3 == 0:
        posts.append((f"thuc-don-tuan-{week}", f"Thực đơn tuần {week} (từ {date})", date))
        week -= 1
    elif k % 3 == 1:
        posts.append((f"hinh-anh-bua-an-{k}", f"Hình ảnh bữa ăn bán trú ngày {date}", date))
    else:
        posts.append((f"thong-bao-{k}", f"Thông báo về việc họp phụ huynh đợt {k}", date))
PAGES = 12
for n in range(1, PAGES + 1):
    items = "".join(f'<div class="news-item"><a href="/cong-khai/{s}.html"><img src="/i.png" alt=""></a>'
                    f'<a class="title" href="/cong-khai/{s}.html">{t}</a>'
                    f'<div class="date">Ngày đăng: {dt}</div></div>'
                    for s, t, dt in posts[(n - 1) * 10:n * 10])
    nums = "".join(f'<a href="/cong-khai/trang-{j}.html">{j}</a>' if j > 1 else
                   '<a href="/cong-khai/">1</a>' for j in range(1, min(PAGES, n + 2) + 1) if j != n)
    nxt = f'<a href="/cong-khai/trang-{n + 1}.html">Trang sau &raquo;</a>' if n < PAGES else ""
    name = f"{d}/cong-khai/index.html" if n == 1 else f"{d}/cong-khai/trang-{n}.html"
    with open(name, "w", encoding="utf-8") as f:
        f.write(page("Công khai", f'{items}<div class="pagination">{nums}{nxt}</div>'))
for s, t, dt in posts:
    body = f"<p>Ngày đăng: {dt}</p><p>Nội dung: {t}.</p>"
    if s.startswith("ho-so"):
        body += ('<p>Biểu mẫu 09: <a href="/upload/bm09-2017.pdf">Tải file</a></p>'
                 '<p><a href="/upload/bieu-mau-12-doi-ngu-nha-giao-nam-hoc-2017-2018.pdf">Xem tại đây</a></p>')
    with open(f"{d}/cong-khai/{s}.html", "w", encoding="utf-8") as f:
        f.write(page(t, body))
for name in ("gioi-thieu", "lien-he"):
    with open(f"{d}/{name}.html", "w", encoding="utf-8") as f:
        f.write(page(name, "<p>Trang thông tin.</p>"))
with open(f"{d}/index.html", "w", encoding="utf-8") as f:
    f.write(page("Trang chủ", "<p>Chào mừng.</p>"))
with open(f"{d}/robots.txt", "w") as f:
    f.write("User-agent: *\nAllow: /\n")
PY
ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nSC-1,Trường Tiểu học Hòa Bình,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
sql() { sqlite3 "$db" "$1"; }
status_of() { sql "SELECT status FROM pages WHERE requested_url = 'http://$host:$TS_PORT$1'"; }
requested() { awk -F'\t' -v p="$1" '$4 == "GET" && $5 == p' "$TS_LOG" | wc -l; }

assert_eq "$(status_of /cong-khai/trang-3.html)" 200 "page 3 of the section fetched"
assert_eq "$(status_of /cong-khai/cong-khai-co-so-vat-chat-nam-hoc-2017-2018.html)" 200 \
  "the item post on page 3 fetched"
assert_eq "$(status_of /cong-khai/ho-so-cong-khai-nam-hoc-2017-2018.html)" 200 \
  "the generic post on page 4 fetched"
att=$(sql "SELECT COUNT(*) FROM links l JOIN pages p ON p.id = l.page_id
           WHERE p.requested_url GLOB '*/ho-so-cong-khai-nam-hoc-2017-2018.html'
             AND (l.text = 'Tải file' OR l.text = 'Xem tại đây') AND l.url GLOB '*/upload/*.pdf'")
assert_eq "$att" 2 "its attachment links stored with their texts"
assert_eq "$(requested /cong-khai/trang-9.html)" 1 "page 9 fetched, older than 1 August 2016"
assert_eq "$(status_of /cong-khai/cong-khai-tai-chinh-nam-hoc-2014-2015.html)" 200 \
  "the stale item on page 9 fetched"
old=$(awk -F'\t' '$4 == "GET" && $5 ~ /thong-bao-([5-9][0-9]|1[0-9][0-9])\.html/' "$TS_LOG" | wc -l)
assert_eq "$old" 0 "no notice of the 2015 pages fetched"
minor=$(awk -F'\t' '$4 == "GET" && ($5 ~ /thuc-don|hinh-anh/)' "$TS_LOG" | wc -l)
assert_eq "$minor" 3 "three menus or meal photos fetched"
assert_eq "$(requested /cong-khai/thuc-don-tuan-40.html)" 1 "the newest menu among them"
total=$(awk -F'\t' '$4 == "GET"' "$TS_LOG" | wc -l)
[ "$total" -le 40 ] || fail "$total requests for a site of 136 pages"
ok "$total requests (the section budget holds)"

# The same crawl twice fetches the same pages, whatever the timing.
"$PORTAL_AUDIT" --db "$WORK/t2.db" schools import "$WORK/schools.csv" >/dev/null
timeout 25 "$PORTAL_AUDIT" --db "$WORK/t2.db" crawl --resolve "$host:$TS_PORT:127.0.0.1" \
  --allow-addr 127.0.0.1/32 --delay 0 --quiet --period 2017-2018 --threads 2 >/dev/null
a=$(sql "SELECT requested_url FROM pages ORDER BY 1" | md5sum)
b=$(sqlite3 "$WORK/t2.db" "SELECT requested_url FROM pages ORDER BY 1" | md5sum)
assert_eq "$b" "$a" "a second crawl fetches the same pages"
