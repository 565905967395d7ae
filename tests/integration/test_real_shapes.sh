#!/usr/bin/env bash
# The shapes real portals give disclosures, through the real binary and
# the loopback test server: an undated post dated by "Ngày đăng", finance
# labelled by budget year, a combined post holding items as captions, a
# generic post whose file is named only by its file name, and a date in a
# legal citation that must not date the page.  Each check asserts the
# verdict, the evidence URL and the date source.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=thcsmau.hcm.edu.vn
www=$WORK/www/$host
mkdir -p "$www/cong-khai" "$www/upload"

page() { # page PATH TITLE MAIN [LINKS_HTML]
    mkdir -p "$(dirname "$www/$1")"
    cat >"$www/$1" <<HTML
<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>$2 - Trường THCS Mẫu</title></head>
<body><nav><a href="/">Trang chủ</a> <a href="/cong-khai/">Công khai</a></nav>
<aside>Tin mới: Lễ khai giảng năm học 2017-2018 · Thứ Ba, 05/09/2017</aside>
<main><article><h1>$2</h1>$3 ${4:-}</article></main><footer>Trường THCS Mẫu</footer></body></html>
HTML
}

page index.html "Trường THCS Mẫu" "<p>Chào mừng quý phụ huynh.</p>"
page cong-khai/index.html "Công khai" "<ul>
<li><a href=\"/cong-khai/cam-ket.html\">Thông báo cam kết chất lượng giáo dục</a></li>
<li><a href=\"/cong-khai/quyet-toan-2017.html\">Công khai quyết toán năm 2017</a></li>
<li><a href=\"/cong-khai/thong-bao-cong-khai-2017-2018.html\">Thông báo công khai năm học 2017-2018</a></li>
<li><a href=\"/cong-khai/ho-so-cong-khai.html\">Hồ sơ công khai</a></li></ul>"
page cong-khai/cam-ket.html "THÔNG BÁO CAM KẾT CHẤT LƯỢNG GIÁO DỤC" \
    "<p>Ngày đăng: Thứ Sáu, 15/09/2017 08:15</p><p>Thực hiện Thông tư 09/2009/TT-BGDĐT ngày 07/5/2009, trường thông báo cam kết chất lượng giáo dục như sau.</p>"
page cong-khai/quyet-toan-2017.html "Công khai quyết toán năm 2017" \
    "<p>Ngày đăng: 11/01/2018</p><p>THÔNG BÁO Công khai quyết toán thu, chi ngân sách nhà nước năm 2017</p>"
page cong-khai/thong-bao-cong-khai-2017-2018.html "Thông báo công khai năm học 2017-2018" \
    "<p>Ngày đăng: Thứ Năm, 22/02/2018 16:21</p><p>Trường thông báo công khai các nội dung năm học 2017-2018 như sau:</p>
<table><caption>Biểu mẫu 10. Công khai chất lượng giáo dục thực tế năm học 2016-2017</caption><tr><td>Tổng số học sinh</td><td>812</td></tr></table>
<table><caption>Biểu mẫu 12. Công khai thông tin về đội ngũ nhà giáo, cán bộ quản lý và nhân viên năm học 2017-2018</caption><tr><td>Tổng số</td><td>54</td></tr></table>"
page cong-khai/ho-so-cong-khai.html "Hồ sơ công khai" \
    "<p>Ngày đăng: 20/10/2017</p><p>Nhà trường công khai các hồ sơ sau:</p>" \
    "<p><a href=\"/upload/cong-khai-co-so-vat-chat-nam-hoc-2017-2018.pdf\">Tải file</a></p>"
printf '%%PDF-1.4\n%%%%EOF\n' >"$www/upload/cong-khai-co-so-vat-chat-nam-hoc-2017-2018.pdf"
printf 'User-agent: *\nDisallow: /quan-tri/\n' >"$www/robots.txt"

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\n79-Q01-THCS-0099,Trường THCS Mẫu,Quận 1,thcs,cong_lap,http://%s:%s/\n' \
    "$host" "$TS_PORT" >"$WORK/schools.csv"
echo "$host 127.0.0.1" >"$WORK/hosts"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
# A full crawl: this test is about the verdicts on these shapes, not about
# which of them the focused crawl reaches (the crawl's own tests).
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --focus off --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
pa report school 79-Q01-THCS-0099 --format json -o "$WORK/s.json"
python3 - "$WORK/s.json" "http://$host:$TS_PORT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
base = sys.argv[2]
v = {f["item"]: f for f in d["findings"]}
want = {
    # item: verdict, evidence path, date_source, date or period
    "quality_commitment": ("pass", "/cong-khai/cam-ket.html", "page", "2017-09-15"),
    "finance_revenue_expenditure": ("pass", "/cong-khai/quyet-toan-2017.html", "label", "2017"),
    "quality_actual": ("pass", "/cong-khai/thong-bao-cong-khai-2017-2018.html", "label", "2016-2017"),
    "staff": ("pass", "/cong-khai/thong-bao-cong-khai-2017-2018.html", "label", "2017-2018"),
    "facilities": ("pass", "/cong-khai/ho-so-cong-khai.html", "label", "2017-2018"),
}
fail = []
for item, (verdict, path, source, when) in want.items():
    f = v[item]
    got = (f["verdict"], f["url"], f["date_source"])
    if got != (verdict, base + path, source):
        fail.append(f"{item}: got {got}, want {(verdict, base + path, source)}")
    if when not in ((f["date"] or ""), (f["period_found"] or "")):
        fail.append(f"{item}: date {f['date']} period {f['period_found']}, want {when}")
if "Công khai thông tin về đội ngũ" not in (v["staff"]["evidence"] or ""):
    fail.append(f"staff evidence {v['staff']['evidence']}")
if fail:
    print("\n".join(fail)); sys.exit(1)
PY
ok "undated post, budget year, combined post, file name: verdicts, evidence URLs and date sources"
