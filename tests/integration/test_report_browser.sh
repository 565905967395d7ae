#!/usr/bin/env bash
# The HTML reports opened in a real browser (headless Chromium).  A fixture
# portal whose titles, headings and link texts carry
#   <script>document.title='PWNED'</script>  and
#   <img src=x onerror=document.title='PWNED'>
# as text (HTML-escaped in the page, so the crawler extracts them as text)
# and raw (as markup) is crawled and audited; the school, city, ranking,
# adoption and compare reports are dumped through --dump-dom: no injected
# element, and the title unchanged.  Then a screenshot of the sample
# school's report is saved in the build directory and its path printed.
# Chromium missing is a failure: scripts/setup installs it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork

chromium_need

www=$WORK/www
cp -r "$PA_SOURCE/samples/www" "$www"
site=$www/thcsxss.hcm.edu.vn
cp -r "$PA_SOURCE/samples/www/thcsnguyendu.hcm.edu.vn" "$site"
python3 - "$site" <<'PY'
import glob, sys
esc_script = "&lt;script&gt;document.title='PWNED'&lt;/script&gt;"
esc_img = "&lt;img src=x onerror=document.title='PWNED'&gt;"
raw_img = "<img src=x onerror=document.title='PWNED'>"
raw_script = "<script>document.title='PWNED'</script>"
rep = {
    # As text: the crawler reads these characters, the report must show them.
    "Cam kết chất lượng giáo dục năm học 2017-2018": esc_script + " Cam kết chất lượng giáo dục năm học 2017-2018",
    "Công khai điều kiện cơ sở vật chất năm học 2017-2018": esc_img + " Công khai điều kiện cơ sở vật chất năm học 2017-2018",
    # Raw: markup in the crawled page (text inside <title>, elements elsewhere).
    "Chất lượng giáo dục thực tế năm học 2017-2018": raw_img + " Chất lượng giáo dục thực tế năm học 2017-2018",
    "Công khai thu chi tài chính năm học 2017-2018": raw_script + " Công khai thu chi tài chính năm học 2017-2018",
}
for f in glob.glob(sys.argv[1] + "/**/*.html", recursive=True):
    s = open(f, encoding="utf-8").read()
    for a, b in rep.items():
        s = s.replace(a, b)
    open(f, "w", encoding="utf-8").write(s)
PY
ts_start "$www" 127.0.0.1
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s/{port}/$TS_PORT/g" -e "s/{deadport}/$dead/g" "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
printf '79-Q01-THCS-0099,Trường THCS Thử Nghiệm,Quận 1,thcs,cong_lap,http://thcsxss.hcm.edu.vn:%s/\n' \
    "$TS_PORT" >>"$WORK/schools.csv"
grep -oE 'https?://[^:/]+' "$WORK/schools.csv" | sed 's|https\?://||' | sort -u |
    awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet

pa report school 79-Q01-THCS-0099 --format json -o "$WORK/xss.json" 2>/dev/null
assert_contains "$WORK/xss.json" "<script>document.title='PWNED'</script> Cam kết" \
    "the escaped <script> title reached a finding as text"
assert_contains "$WORK/xss.json" "<img src=x onerror=document.title='PWNED'> Công khai" \
    "the escaped <img> heading reached a finding as text"

pa report school 79-Q01-THCS-0099 --format html -o "$WORK/school-xss.html" 2>/dev/null
pa report city --format html -o "$WORK/city.html" 2>/dev/null
pa report ranking --format html -o "$WORK/ranking.html" 2>/dev/null
pa report unit 'Quận 1' --format html -o "$WORK/unit.html" 2>/dev/null
pa report adoption --format html -o "$WORK/adoption.html" 2>/dev/null
pa report school 79-Q01-THCS-0099 --compare 2 --format html -o "$WORK/compare.html" 2>/dev/null
pa report notice --school 79-Q01-THCS-0099 -o "$WORK/letters" 2>/dev/null
cp "$WORK/letters/cong-van-79-Q01-THCS-0099.html" "$WORK/letter.html"
assert_contains "$WORK/city.html" '<table class="grid">' "the city report has the school × item grid"
assert_contains "$WORK/school-xss.html" "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" \
    "the report shows the payload as escaped text"

for page in school-xss city ranking unit adoption compare letter; do
    browser "$WORK/$page.dom" --dump-dom "file://$WORK/$page.html"
    python3 - "$WORK/$page.html" "$WORK/$page.dom" <<'PY' || fail "$page.html: injected markup ran or the title changed"
import html, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
dom = open(sys.argv[2], encoding="utf-8").read()
errs = []
if "<html" not in dom or "</body>" not in dom:
    errs.append("no DOM was dumped")
for tag in ("script", "img", "iframe", "object", "embed"):
    if re.search(r"<%s\b" % tag, dom, re.I):
        errs.append(f"the DOM has a <{tag}> element")
# Event-handler attributes on real elements: look only inside tags.
for m in re.finditer(r"<[a-zA-Z][^<>]*>", dom):
    if re.search(r"\son\w+\s*=", m.group(0), re.I):
        errs.append(f"event handler attribute in {m.group(0)[:80]}")
t_src = re.search(r"<title>(.*?)</title>", src, re.S).group(1)
t_dom = re.search(r"<title>(.*?)</title>", dom, re.S)
if not t_dom:
    errs.append("the DOM has no title")
elif html.unescape(t_dom.group(1)) != html.unescape(t_src) or "PWNED" == html.unescape(t_dom.group(1)).strip():
    errs.append(f"title changed: {t_dom.group(1)!r} (was {t_src!r})")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
    ok "$page.html: no injected element, title unchanged"
done
assert_contains "$WORK/school-xss.dom" "&lt;img src=x onerror=document.title='PWNED'&gt;" \
    "the browser shows the <img> payload as text"

# A screenshot of the sample school report, kept for people to look at.
pa report school 79-Q01-MN-0002 --format html -o "$WORK/school.html" 2>/dev/null
shot=$PWD/report-screenshot.png
rm -f "$shot"
browser "$WORK/shot.out" --screenshot="$shot" --window-size=1280,2000 "file://$WORK/school.html"
[ -f "$shot" ] || fail "no screenshot at $shot"
size=$(stat -c %s "$shot")
[ "$size" -gt 10240 ] || fail "screenshot $shot is only $size bytes"
head -c 8 "$shot" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || fail "$shot is not a PNG"
ok "screenshot of the school report: $shot ($size bytes)"
