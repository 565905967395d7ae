#!/usr/bin/env bash
# posting_activity on a default (focused) crawl: a site with 60 posts dated
# in the 2017-2018 school year over 6 news list pages of 10 ("Tin tức",
# /tin-tuc/trang-N.html) passes (>= 40 posts) from the lists alone, and
# the crawl fetches the list pages but not the posts (<= 15 pages).  The
# same site with 20 posts (2 list pages) is stale.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www

# make_site HOST NPOSTS
make_site() {
  local d=$www/$1 n=$2 pages i p k day list
  mkdir -p "$d/tin-tuc" "$d/cong-khai"
  pages=$(((n + 9) / 10))
  menu='<div id="menu"><a href="/">Trang chủ</a> <a href="/gioi-thieu.html">Giới thiệu</a>
<a href="/tin-tuc.html">Tin tức - Sự kiện</a> <a href="/cong-khai.html">Công khai</a>
<a href="/lien-he.html">Liên hệ</a></div>'
  printf '<html><head><title>Trang chủ</title></head><body>%s<div id="content">Chào mừng</div></body></html>\n' \
    "$menu" >"$d/index.html"
  for f in gioi-thieu lien-he; do
    printf '<html><head><title>%s</title></head><body>%s<h1>%s</h1></body></html>\n' "$f" "$menu" "$f" >"$d/$f.html"
  done
  printf '<html><head><title>Công khai</title></head><body>%s<h1>Công khai năm học 2017-2018</h1>
<a href="/cong-khai/cam-ket.html">Cam kết chất lượng giáo dục năm học 2017-2018</a></body></html>\n' \
    "$menu" >"$d/cong-khai.html"
  printf '<html><head><title>Cam kết chất lượng giáo dục năm học 2017-2018</title></head><body>%s
<h1>Cam kết chất lượng giáo dục năm học 2017-2018</h1></body></html>\n' "$menu" >"$d/cong-khai/cam-ket.html"
  for ((p = 1; p <= pages; p++)); do
    list=
    for ((k = 0; k < 10; k++)); do
      i=$(((p - 1) * 10 + k + 1))
      [ "$i" -le "$n" ] || break
      day=$(((i - 1) % 28 + 1))
      list+="<div class=\"news-item\"><a href=\"/tin-tuc/bai-viet-so-$i-$i.html\">Hoạt động của nhà trường số $i</a>"
      list+="<div class=\"date\">$(printf '%02d' $day)/$(printf '%02d' $(((i - 1) / 28 + 9)))/2017</div><p>Tóm tắt bài $i ...</p></div>"
      printf '<html><head><title>Bài %s</title></head><body>%s<h1>Hoạt động của nhà trường số %s</h1>
<p>Ngày đăng: 01/10/2017</p></body></html>\n' $i "$menu" $i >"$d/tin-tuc/bai-viet-so-$i-$i.html"
    done
    nav='<div class="pagination">'
    for ((k = 1; k <= pages; k++)); do
      [ "$k" -eq 1 ] && nav+='<a href="/tin-tuc.html">1</a> ' || nav+="<a href=\"/tin-tuc/trang-$k.html\">$k</a> "
    done
    [ "$p" -lt "$pages" ] && nav+="<a href=\"/tin-tuc/trang-$((p + 1)).html\">Trang sau »</a>"
    nav+='</div>'
    f=$d/tin-tuc.html
    [ "$p" -gt 1 ] && f=$d/tin-tuc/trang-$p.html
    printf '<html><head><title>Tin tức</title></head><body>%s<div id="content"><h1>Tin tức - Sự kiện</h1>%s%s</div></body></html>\n' \
      "$menu" "$list" "$nav" >"$f"
  done
  printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
}
make_site many.hcm.edu.vn 60
make_site few.hcm.edu.vn 20

ts_start "$www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nPO-M,Many,Quận 1,th,cong_lap,http://many.hcm.edu.vn:%s/\nPO-F,Few,Quận 1,th,cong_lap,http://few.hcm.edu.vn:%s/\n' \
  "$TS_PORT" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl --resolve "many.hcm.edu.vn:$TS_PORT:127.0.0.1" \
  --resolve "few.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed (rc $?)"
"$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-15 --quiet >"$WORK/audit.out"
sql() { sqlite3 "$db" "$1"; }

n=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='PO-M'")
[ "$n" -le 15 ] || { sql "SELECT requested_url FROM pages WHERE school_id='PO-M'"; fail "many: $n pages fetched, want <= 15"; }
ok "many: $n pages fetched"
lists=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='PO-M' AND (requested_url LIKE '%/tin-tuc.html' OR requested_url LIKE '%/tin-tuc/trang-%')")
assert_eq "$lists" "6" "many: every news list page fetched"
posts=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='PO-M' AND requested_url LIKE '%/bai-viet-so-%'")
[ "$posts" -le 1 ] || fail "many: $posts posts fetched, the lists should do"
ok "many: $posts post pages fetched"

verdict() {
  sql "SELECT verdict || ' | ' || note FROM findings WHERE school_id='$1' AND item='posting_activity'
       AND run_id = (SELECT MAX(id) FROM runs WHERE kind='audit')"
}
v=$(verdict PO-M)
case "$v" in pass*"60 posts"*"from 6 news list pages"*) ok "many: $v" ;; *) fail "many: posting_activity '$v', want pass with 60 posts from 6 list pages" ;; esac
v=$(verdict PO-F)
case "$v" in stale*"20 posts"*) ok "few: $v" ;; *) fail "few: posting_activity '$v', want stale with 20 posts" ;; esac
