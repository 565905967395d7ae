#!/usr/bin/env bash
# robots.txt disallows the whole disclosure section (Disallow: /cong-khai):
# the polite crawler never requests it, and records each disallowed link
# it would have queued as a page row (status 0, error "robots", no model),
# once, at most 100 a site, so the audit can say "bị chặn bởi robots.txt"
# with those URLs.  The home page links 150 posts of the section; the menu
# and the sitemap link some of them again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=rbsec.hcm.edu.vn
d=$WORK/www/$host
python3 - "$d" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(f"{d}/cong-khai", exist_ok=True)

def page(title, content):
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body><div id="nav"><ul class="menu">'
            '<li><a href="/">Trang chủ</a></li><li><a href="/cong-khai/">Công khai</a></li>'
            '<li><a href="/cong-khai/cam-ket-chat-luong.html">Cam kết chất lượng giáo dục</a></li>'
            '<li><a href="/gioi-thieu.html">Giới thiệu</a></li></ul></div>'
            f'<div id="content"><h1>{title}</h1>{content}</div></body></html>\n')

posts = "".join(f'<li><a href="/cong-khai/bai-{i}.html">Công khai thông tin số {i}</a></li>'
                for i in range(1, 151))
with open(f"{d}/index.html", "w", encoding="utf-8") as f:
    f.write(page("Trường THCS Hòa Bình", f"<ul>{posts}</ul>"))
with open(f"{d}/gioi-thieu.html", "w", encoding="utf-8") as f:
    f.write(page("Giới thiệu", "<p>Lịch sử.</p>"))
for name in ["index", "cam-ket-chat-luong"] + [f"bai-{i}" for i in range(1, 151)]:
    with open(f"{d}/cong-khai/{name}.html", "w", encoding="utf-8") as f:
        f.write(page("Công khai", "<p>Nội dung công khai.</p>"))
with open(f"{d}/robots.txt", "w") as f:
    f.write("User-agent: *\nDisallow: /cong-khai\nSitemap: /sitemap.xml\n")
with open(f"{d}/sitemap.xml", "w") as f:
    f.write('<?xml version="1.0"?><urlset>' +
            "".join(f"<url><loc>/cong-khai/bai-{i}.html</loc></url>" for i in (1, 2, 3)) +
            "<url><loc>/gioi-thieu.html</loc></url></urlset>")
PY
ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nRS-1,Trường THCS Hòa Bình,Quận 1,thcs,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
sql() { sqlite3 "$db" "$1"; }

n=$(awk -F'\t' '$4 == "GET" && $5 ~ /^\/cong-khai/' "$TS_LOG" | wc -l)
assert_eq "$n" 0 "nothing under /cong-khai requested"
rows=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='RS-1' AND status=0 AND error='robots'")
assert_eq "$rows" 100 "100 disallowed URLs recorded (the cap), of 152"
for u in /cong-khai/ /cong-khai/cam-ket-chat-luong.html /cong-khai/bai-1.html; do
  r=$(sql "SELECT status || ' ' || error || ' ' || COALESCE(title, '-') || ' ' || COALESCE(links, '-')
           FROM pages WHERE requested_url = 'http://$host:$TS_PORT$u'")
  assert_eq "$r" "0 robots - -" "$u recorded: status 0, error robots, no model"
done
dup=$(sql "SELECT COUNT(*) - COUNT(DISTINCT requested_url) FROM pages WHERE school_id='RS-1'")
assert_eq "$dup" 0 "each URL recorded once (menu, home and sitemap links alike)"
other=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='RS-1' AND error='robots'
             AND requested_url NOT GLOB '*/cong-khai*'")
assert_eq "$other" 0 "only disallowed URLs recorded"
assert_eq "$(sql "SELECT reachable || ' ' || errors FROM sites WHERE school_id='RS-1'")" "1 0" \
  "the site is reachable and the rows are not errors"
assert_contains "$WORK/crawl.out" "errors=0 " "the crawl summary counts no error"
# The anchor text stays with the linking page's links.
t=$(sql "SELECT l.text FROM links l JOIN pages p ON p.id = l.page_id
         WHERE p.requested_url = 'http://$host:$TS_PORT/' AND l.url GLOB '*/cong-khai/cam-ket-chat-luong.html'
         LIMIT 1")
assert_eq "$t" "Cam kết chất lượng giáo dục" "the anchor text of a blocked link is on the linking page"
