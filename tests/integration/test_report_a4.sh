#!/usr/bin/env bash
# The school report printed on A4 portrait: nothing cut off and nothing
# shrunk to fit.  Measured in headless Chromium: with the report's print
# rules applied on screen at the width between the page margins (210 mm -
# 2 × 12 mm = 703 px), no element reaches past the right edge and the page
# does not scroll sideways; then --print-to-pdf gives A4 pages (pdfinfo).
# The reports are those of a school with stale evidence (long URLs and
# notes) and of an unreachable school.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork

chromium_need pdfinfo

samples_start
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
pa report school 79-Q06-THPT-0004 --format html -o "$WORK/stale.html" 2>/dev/null
pa report school 79-Q06-TH-0005 --format html -o "$WORK/dead.html" 2>/dev/null

# Printed on A4 portrait nothing is cut off or shrunk: with the print rules
# applied on screen at the width between the page margins (210 mm - 2 × 12
# mm = 703 px), no element reaches past the right edge; then the PDF is A4.
for page in stale dead; do
    python3 - "$WORK/$page.html" "$WORK/$page-a4.html" <<'PY'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
assert "@page{size:A4 portrait" in src and "@media print{" in src, "no A4 print stylesheet"
src = src.replace("@media print{", "@media all{")
script = """<script>
window.addEventListener('load', function () {
  var W = document.documentElement.clientWidth, worst = 0, who = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    var over = Math.ceil(r.right - W);
    if (over > 0) { worst = Math.max(worst, over); if (who.length < 5) who.push(e.tagName + '.' + e.className); }
  });
  var out = document.createElement('pre');
  out.id = 'measure';
  out.textContent = 'width=' + W + ' scroll=' + document.documentElement.scrollWidth + ' over=' + worst + ' at=' + who.join(',');
  document.body.appendChild(out);
});
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(src.replace("</body>", script + "</body>"))
PY
    browser "$WORK/$page-a4.dom" --hide-scrollbars --window-size=703,1000 --virtual-time-budget=5000 \
        --dump-dom "file://$WORK/$page-a4.html"
    m=$(grep -o 'width=[0-9]* scroll=[0-9]* over=[0-9]* at=[^<]*' "$WORK/$page-a4.dom" || true)
    [ -n "$m" ] || fail "$page: no measurement in the DOM"
    case $m in
        "width=703 scroll=703 over=0 at=") ok "$page.html on A4: nothing past the margin ($m)" ;;
        *) fail "$page.html on A4: content cut off or squeezed: $m" ;;
    esac
    browser "$WORK/$page.pdf.out" --no-pdf-header-footer --print-to-pdf="$WORK/$page.pdf" "file://$WORK/$page.html"
    size=$(pdfinfo "$WORK/$page.pdf" | grep '^Page size:')
    case $size in *"(A4)"*) ok "$page.pdf: $size" ;; *) fail "$page.pdf: $size, want A4" ;; esac
done

