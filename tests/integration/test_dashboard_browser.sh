#!/usr/bin/env bash
# The dashboard (`portal-audit serve`, docs/DASHBOARD.md) in real headless
# Chromium driven by Selenium (dashboard_browser.py): each role logs in and
# browses, a unit officer decides a review, a school user opens an appeal
# that the officer accepts, the school user requests a re-check that the
# worker runs against the loopback portal, and the result lands.  A school
# whose registry name and crawled titles carry <script> and <img onerror>
# markup is shown as text on every page, nothing injected.
# Skipped (exit 77) only when chromium, chromedriver or python3-selenium is
# missing; scripts/setup installs them, so the suite runs it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dashboard_lib.sh"

chromium=$(command -v chromium || command -v chromium-browser || true)
driver=$(command -v chromedriver || true)
[ -z "$driver" ] && [ -x /usr/lib/chromium/chromedriver ] && driver=/usr/lib/chromium/chromedriver
py=
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import selenium' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$chromium" ] || [ -z "$driver" ] || [ -z "$py" ]; then
    echo "SKIP: needs chromium, chromedriver and python3-selenium (scripts/setup installs them)"
    exit 77
fi
export CHROMIUM=$chromium CHROMEDRIVER=$driver
ts_mkwork

# The sample portals plus a hostile copy of one: titles and headings with
# markup as text (escaped in the page) and raw.
DASH_WWW=$WORK/www
cp -r "$PA_SOURCE/samples/www" "$DASH_WWW"
site=$DASH_WWW/thcsxss.hcm.edu.vn
cp -r "$PA_SOURCE/samples/www/thcsnguyendu.hcm.edu.vn" "$site"
python3 - "$site" <<'PY'
import glob, sys
esc_script = "&lt;script&gt;document.title='PWNED'&lt;/script&gt;"
esc_img = "&lt;img src=x onerror=document.title='PWNED'&gt;"
rep = {
    "Cam kết chất lượng giáo dục năm học 2017-2018": esc_script + " Cam kết chất lượng giáo dục năm học 2017-2018",
    "Công khai điều kiện cơ sở vật chất năm học 2017-2018": esc_img + " Công khai điều kiện cơ sở vật chất năm học 2017-2018",
    "Chất lượng giáo dục thực tế năm học 2017-2018":
        "<img src=x onerror=document.title='PWNED'> Chất lượng giáo dục thực tế năm học 2017-2018",
    "Công khai thu chi tài chính năm học 2017-2018":
        "<script>document.title='PWNED'</script> Công khai thu chi tài chính năm học 2017-2018",
}
for f in glob.glob(sys.argv[1] + "/**/*.html", recursive=True):
    s = open(f, encoding="utf-8").read()
    for a, b in rep.items():
        s = s.replace(a, b)
    open(f, "w", encoding="utf-8").write(s)
PY
export DASH_WWW
db=$WORK/t.db
dash_store "$db" "79-Q01-THCS-0099,\"Trường THCS <img src=x onerror=document.title='PWNED'> Thử Nghiệm\",Quận 1,thcs,cong_lap,http://thcsxss.hcm.edu.vn:PORT/"

# The re-check worker crawls with the CLI's guard: loopback allowed here.
dash_serve "$db" "$WORK/serve.log" --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0
"$py" "$(dirname "$0")/dashboard_browser.py" "$DASH_URL" "$db" "$WORK" \
    "$DASH_WWW/thcsnguyendu.hcm.edu.vn" || {
    tail -20 "$WORK/serve.log" >&2
    fail "the dashboard in Chromium (above)"
}
