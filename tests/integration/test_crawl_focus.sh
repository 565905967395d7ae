#!/usr/bin/env bash
# Focused crawl: a site with 3,000 news posts (300 list pages of 10) whose
# "Công khai" menu link comes after 200 news links on the home page (and
# after the news links on every other page), under a URL with no keyword
# in it.  With --max-pages 100 a breadth-first crawl never reaches it;
# the crawler's priority frontier must, and the audit must then find all
# five disclosure items of 2017-2018.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=focus.hcm.edu.vn
d=$WORK/www/$host
python3 - "$d" "$PA_SOURCE/samples/www/thcsnguyendu.hcm.edu.vn/cong-khai" <<'PY'
import os, re, sys
d, sample = sys.argv[1], sys.argv[2]
os.makedirs(f"{d}/tin-tuc", exist_ok=True)
os.makedirs(f"{d}/chuyen-muc/7", exist_ok=True)
POSTS, PER = 3000, 10
LISTS = POSTS // PER

def menu():
    # Last in page order, as on many school portals (footer menu).
    return ('<ul class="menu"><li><a href="/">Trang chủ</a></li>'
            '<li><a href="/tin-tuc/trang-1.html">Tin tức</a></li>'
            '<li><a href="/chuyen-muc/7/">Công khai</a></li></ul>')

def page(title, content):
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body><div class="content"><h1>{title}</h1>'
            f'{content}</div>{menu()}</body></html>\n')

def post_title(n):
    return f"Hoạt động ngoại khóa của học sinh, bài số {n}"

for n in range(1, POSTS + 1):
    related = "".join(f'<li><a href="/tin-tuc/bai-{m}.html">{post_title(m)}</a></li>'
                      for m in (n + 1, n + 2, n + 3) if m <= POSTS)
    with open(f"{d}/tin-tuc/bai-{n}.html", "w", encoding="utf-8") as f:
        f.write(page(post_title(n), f"<p>Ngày {1 + n % 28}/10/2017: nội dung bài số {n}.</p>"
                                    f"<h3>Tin liên quan</h3><ul>{related}</ul>"))
for k in range(1, LISTS + 1):
    items = "".join(f'<li><a href="/tin-tuc/bai-{n}.html">{post_title(n)}</a></li>'
                    for n in range((k - 1) * PER + 1, k * PER + 1))
    nums = "".join(f'<a href="/tin-tuc/trang-{j}.html">{j}</a> '
                   for j in range(max(1, k - 3), min(LISTS, k + 3) + 1))
    with open(f"{d}/tin-tuc/trang-{k}.html", "w", encoding="utf-8") as f:
        f.write(page(f"Tin tức - trang {k}", f"<ul>{items}</ul><p>{nums}</p>"))
latest = "".join(f'<li><a href="/tin-tuc/bai-{n}.html">{post_title(n)}</a></li>' for n in range(1, 201))
with open(f"{d}/index.html", "w", encoding="utf-8") as f:
    f.write(page("Trường THCS Hòa Bình", f"<h3>Tin mới</h3><ul>{latest}</ul>"))

# The five items: the content of the sample school's pages, under URLs
# without keywords; only the anchor text says what they are.
items = ["cam-ket-chat-luong", "chat-luong-thuc-te", "co-so-vat-chat", "doi-ngu", "thu-chi-tai-chinh"]
links = ""
for i, name in enumerate(items, 1):
    html = open(f"{sample}/{name}/index.html", encoding="utf-8").read()
    content = re.search(r'<div class="content">(.*?)</div>\s*<div class="footer">', html, re.S).group(1)
    content = content.replace('<p><a href="/files/2017-2018-bieu-mau.pdf">Tải văn bản (PDF)</a></p>', "")
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    with open(f"{d}/chuyen-muc/7/bai-{i}.html", "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
                f'<title>{title}</title></head><body><div class="content">{content}</div>'
                f'{menu()}</body></html>\n')
    links += f'<li><a href="/chuyen-muc/7/bai-{i}.html">{title}</a></li>'
with open(f"{d}/chuyen-muc/7/index.html", "w", encoding="utf-8") as f:
    f.write(page("Ba công khai", f"<h3>Năm học 2017-2018</h3><ul>{links}</ul>"))
with open(f"{d}/robots.txt", "w") as f:
    f.write("User-agent: *\nAllow: /\n")
PY
n=$(find "$d" -name '*.html' | wc -l)
[ "$n" -ge 3306 ] || fail "generated only $n pages"
ok "generated a site of $n pages"
for i in 1 2 3 4 5; do grep -q '<h1>' "$d/chuyen-muc/7/bai-$i.html" || fail "item page $i has no heading"; done

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nFC-1,Trường THCS Hòa Bình,Quận 1,thcs,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --max-pages 100 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
ok "crawl finished in $elapsed_ms ms"

sql() { sqlite3 "$db" "$1"; }
# The test means something only if breadth-first order cannot get there:
# the Công khai link is link number > 100 of the home page.
ord=$(sql "SELECT MIN(l.ord) FROM links l JOIN pages p ON p.id = l.page_id
           WHERE p.requested_url = 'http://$host:$TS_PORT/' AND l.url GLOB '*/chuyen-muc/7/'")
[ -n "$ord" ] && [ "$ord" -ge 100 ] || fail "the Công khai link is link $ord of the home page, expected >= 100"
ok "the Công khai link is link $ord of the home page"

stored=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='FC-1'")
[ "$stored" -le 100 ] || fail "$stored pages stored with --max-pages 100"
ok "$stored pages stored (--max-pages 100)"
site_pages=$(sql "SELECT pages FROM sites WHERE school_id='FC-1'")
[ "$site_pages" -le 100 ] || fail "site records $site_pages pages"
# (Besides robots.txt and the sitemap, the one probe for "not found".)
fetched=$(awk -F'\t' 'NF >= 11 && $4 == "GET" && $5 != "/robots.txt" && $5 != "/sitemap.xml" &&
  $5 !~ /^\/khong-ton-tai-/' "$TS_LOG" | wc -l)
[ "$fetched" -le 100 ] || fail "$fetched pages requested with --max-pages 100"
ok "$fetched pages requested"
for i in 1 2 3 4 5; do
  st=$(sql "SELECT status FROM pages WHERE requested_url GLOB '*/chuyen-muc/7/bai-$i.html'")
  assert_eq "$st" 200 "item page $i fetched"
done

"$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-15 --quiet >"$WORK/audit.out"
sql "SELECT item || ' ' || verdict || ' ' || COALESCE(url, '') FROM findings WHERE school_id='FC-1' ORDER BY ord" >"$WORK/findings.txt"
for item in quality_commitment quality_actual facilities staff finance_revenue_expenditure; do
  v=$(sql "SELECT verdict FROM findings WHERE school_id='FC-1' AND item='$item'
           AND run_id = (SELECT MAX(id) FROM runs WHERE kind='audit')")
  [ "$v" = pass ] || { ts__show "$WORK/findings.txt"; fail "$item: verdict '$v', expected pass"; }
  ok "$item: pass"
done
