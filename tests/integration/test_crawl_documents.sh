#!/usr/bin/env bash
# Attached documents are read: a post links a text PDF, a DOCX and an XLSX
# (served as application/octet-stream, as many portals do, so their type is
# sniffed), a scanned PDF without a text layer, a legacy .doc and a PDF
# that answers 404.  Each is stored as a page of its own with the
# extracted text (UTF-8 NFC, white space collapsed), its real media type
# and doc:status; the scan is "no_text", not a failure; documents do not
# use up --max-pages, and --max-docs caps them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
fx=${PA_FIXTURES:?}/docs
www=$WORK/www
d=$www/docs.hcm.edu.vn
mkdir -p "$d/upload"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
cat >"$d/index.html" <<'HTML'
<html><head><title>Trường Mầm non Vàng Anh</title></head><body>
<a href="/cong-khai/ho-so-cong-khai.html">Hồ sơ công khai năm học 2017-2018</a>
</body></html>
HTML
mkdir -p "$d/cong-khai"
cat >"$d/cong-khai/ho-so-cong-khai.html" <<'HTML'
<html><head><title>Hồ sơ công khai năm học 2017-2018</title></head><body>
<h1>Hồ sơ công khai năm học 2017-2018</h1>
<p><a href="/upload/co-so-vat-chat.pdf">Tải file</a></p>
<p><a href="/upload/cam-ket.docx">Xem tại đây</a></p>
<p><a href="/upload/doi-ngu.xlsx">Tải về</a></p>
<p><a href="/upload/du-toan-scan.pdf">Tải về</a></p>
<p><a href="/upload/cu.doc">Văn bản cũ</a></p>
<p><a href="/upload/mat.pdf">Tệp đã xoá</a></p>
</body></html>
HTML
cp "$fx/text.pdf" "$d/upload/co-so-vat-chat.pdf"
cp "$fx/text.docx" "$d/upload/cam-ket.docx"
cp "$fx/text.xlsx" "$d/upload/doi-ngu.xlsx"
cp "$fx/scan.pdf" "$d/upload/du-toan-scan.pdf"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Word file' >"$d/upload/cu.doc"

ts_start "$www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nD-1,Vàng Anh,Quận 8,mn,cong_lap,http://docs.hcm.edu.vn:%s/\n' \
  "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
crawl() {
  timeout 60 "$PORTAL_AUDIT" --db "$db" crawl --resolve "docs.hcm.edu.vn:$TS_PORT:127.0.0.1" \
    --allow-addr 127.0.0.1/32 --delay 0 --quiet --focus off "$@" >"$WORK/crawl.out" ||
    fail "crawl failed (rc $?)"
}
crawl --max-pages 2
sql() { sqlite3 "$db" "$1"; }
run=$(sql "SELECT MAX(id) FROM runs WHERE kind = 'crawl'")
col() { # col COLUMN PATH: a column of the newest crawl's page at PATH
  sql "SELECT $1 FROM pages WHERE run_id = $run AND requested_url GLOB '*docs.hcm.edu.vn:*$2'"
}
doc_status() { col metas "$1" | awk -F'\t' '$1 == "doc:status" {print $2}'; }

assert_eq "$(doc_status /upload/co-so-vat-chat.pdf)" ok "PDF: doc:status ok"
assert_eq "$(col content_type /upload/co-so-vat-chat.pdf)" application/pdf "PDF: type"
col main_text /upload/co-so-vat-chat.pdf >"$WORK/pdf.txt"
assert_contains "$WORK/pdf.txt" "Công khai thông tin cơ sở vật chất của cơ sở giáo dục mầm non, năm học 2017-2018" "PDF: Vietnamese text extracted"
assert_eq "$(col "(text = main_text AND error IS NULL) || '|' || status" /upload/co-so-vat-chat.pdf)" "1|200" \
  "PDF: text = main_text, no error"
assert_eq "$(col metas /upload/co-so-vat-chat.pdf | awk -F'\t' '$1 == "doc:pages" {print $2}')" 1 "PDF: doc:pages"
n=$(col "instr(main_text, char(10)) + instr(main_text, '  ')" /upload/co-so-vat-chat.pdf)
assert_eq "$n" 0 "PDF: white space collapsed"

assert_eq "$(doc_status /upload/cam-ket.docx)" ok "DOCX: doc:status ok"
assert_eq "$(col content_type /upload/cam-ket.docx)" \
  application/vnd.openxmlformats-officedocument.wordprocessingml.document "DOCX: type sniffed from octet-stream"
col main_text /upload/cam-ket.docx >"$WORK/docx.txt"
assert_contains "$WORK/docx.txt" "Cam kết chất lượng giáo dục của cơ sở giáo dục phổ thông, năm học 2017-2018" "DOCX: text extracted"

assert_eq "$(doc_status /upload/doi-ngu.xlsx)" ok "XLSX: doc:status ok"
assert_eq "$(col content_type /upload/doi-ngu.xlsx)" \
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet "XLSX: type sniffed"
col main_text /upload/doi-ngu.xlsx >"$WORK/xlsx.txt"
assert_contains "$WORK/xlsx.txt" "Công khai thông tin về đội ngũ nhà giáo, cán bộ quản lý và nhân viên" "XLSX: shared strings read"
assert_contains "$WORK/xlsx.txt" "Cán bộ quản lý 3 0 0 3" "XLSX: cells in row order, numbers kept"

assert_eq "$(doc_status /upload/du-toan-scan.pdf)" no_text "scanned PDF: doc:status no_text"
assert_eq "$(col "status || '|' || COALESCE(error, '') || '|' || main_text" /upload/du-toan-scan.pdf)" "200||" \
  "scanned PDF: fetched, no error, no text"
assert_eq "$(doc_status /upload/cu.doc)" unsupported "DOC: unsupported"
assert_eq "$(col content_type /upload/cu.doc)" application/msword "DOC: type sniffed"
assert_eq "$(col "status || '|' || COALESCE(metas, '')" /upload/mat.pdf)" "404|" "missing PDF: a 404, no doc:status"

# Documents are not pages for --max-pages 2 (home and post were both read).
assert_eq "$(sql "SELECT COUNT(*) FROM pages WHERE run_id = $run")" 8 "2 pages and 6 documents stored"
assert_eq "$(sql "SELECT COUNT(*) FROM pages WHERE run_id = $run AND title IS NULL AND main_text LIKE '%VÀNG ANH%' AND requested_url GLOB '*.pdf'")" 1 \
  "a PDF without title metadata has a NULL title"

crawl --max-docs 2
run=$(sql "SELECT MAX(id) FROM runs WHERE kind = 'crawl'")
assert_eq "$(sql "SELECT COUNT(*) FROM pages WHERE run_id = $run AND requested_url GLOB '*/upload/*'")" 2 "--max-docs 2: two documents fetched"
