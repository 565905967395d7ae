#!/usr/bin/env bash
# windows-1258 pages arrive as NFC UTF-8.  windows-1258 writes tones as
# combining marks (ọ = o + 0xF2), so the crawler must convert and then
# compose.  Variants:
#   header.html    charset only in the HTTP header;
#   meta.html      only <meta charset="windows-1258">;
#   equiv.html     only <meta http-equiv="Content-Type" ...windows-1258>;
#   conflict.html  header windows-1258, <meta charset="utf-8"> (the header wins);
#   nolabel.html   no label, bytes not valid UTF-8 (fallback windows-1258);
#   broken.html    labelled UTF-8 with invalid bytes (replaced, no crash).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=cp1258.hcm.edu.vn
d=$WORK/www/$host
mkdir -p "$d"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
python3 - "$d" "$WORK/expected.tsv" <<'PY'
import sys, unicodedata
d, expected = sys.argv[1], sys.argv[2]
title = "Công khai tài chính năm học 2017-2018"
body = "Chất lượng giáo dục thực tế; đội ngũ nhà giáo, cán bộ quản lý và nhân viên; thu chi tài chính"

TONES = "\u0300\u0301\u0303\u0309\u0323"

def cp1258(s):
    """Encodes like Windows: precomposed where windows-1258 has the letter
    (ô, ă, ư, à...), else the base letter and a combining tone."""
    out = b""
    for c in unicodedata.normalize("NFC", s):
        try:
            out += c.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        dec = unicodedata.normalize("NFD", c)
        tones = "".join(m for m in dec if m in TONES)
        base = unicodedata.normalize("NFC", "".join(m for m in dec if m not in TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out

t, b = cp1258(title), cp1258(body)
assert b"\xf2" in t + b, "fixture must use a combining tone"
try:
    (t + b).decode("utf-8")
    raise SystemExit("fixture bytes are valid UTF-8; the fallback test needs invalid ones")
except UnicodeDecodeError:
    pass
pages = {
    "header.html": b"",
    "meta.html": b'<meta charset="windows-1258">',
    "equiv.html": b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">',
    "conflict.html": b'<meta charset="utf-8">',
    "nolabel.html": b"",
}
for name, meta in pages.items():
    with open(f"{d}/{name}", "wb") as f:
        f.write(b"<html><head>" + meta + b"<title>" + t + b"</title></head><body><h1>" + t +
                b"</h1><p>" + b + b"</p></body></html>\n")
ctype = {"header.html": "text/html; charset=windows-1258", "conflict.html": "text/html; charset=windows-1258"}
for name in pages:
    with open(f"{d}/{name}.hdr", "w") as f:
        f.write("Content-Type: %s\n" % ctype.get(name, "text/html"))
# UTF-8 label, text with a stray 0xFF and a truncated sequence.
good = "Trường Tiểu học Hòa Bình".encode()
with open(f"{d}/broken.html", "wb") as f:
    f.write(b"<html><head><title>" + good + b"\xff" + b"</title></head><body><p>" + good + b"\xe1\xba" +
            b"</p></body></html>\n")
links = "".join(f'<a href="/{n}">{n}</a> ' for n in list(pages) + ["broken.html"])
with open(f"{d}/index.html", "w", encoding="utf-8") as f:
    f.write(f"<html><head><title>Trang chủ</title></head><body>{links}</body></html>\n")
nfc = unicodedata.normalize("NFC", title)
with open(expected, "w", encoding="utf-8") as f:
    f.write(nfc + "\n" + unicodedata.normalize("NFC", body) + "\n")
PY
title=$(sed -n 1p "$WORK/expected.tsv")
body=$(sed -n 2p "$WORK/expected.tsv")

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nCS-1,Charset,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out"

sql() { sqlite3 "$db" "$1"; }
for p in header meta equiv conflict nolabel; do
  got=$(sql "SELECT title FROM pages WHERE requested_url GLOB '*/$p.html'")
  assert_eq "$got" "$title" "$p: title is NFC UTF-8"
  txt=$(sql "SELECT text FROM pages WHERE requested_url GLOB '*/$p.html'")
  case $txt in *"$body"*) ok "$p: text is NFC UTF-8" ;; *) fail "$p: text '$txt' lacks '$body'" ;; esac
  h=$(sql "SELECT headings FROM pages WHERE requested_url GLOB '*/$p.html'")
  case $h in *"$title"*) ok "$p: heading is NFC UTF-8" ;; *) fail "$p: headings '$h' lack '$title'" ;; esac
  cs=$(sql "SELECT lower(COALESCE(charset, '')) FROM pages WHERE requested_url GLOB '*/$p.html'")
  case $cs in *1258*) ok "$p: charset recorded as $cs" ;; *) fail "$p: charset recorded as '$cs'" ;; esac
done
# Byte check, independent of the shell's locale: everything stored is
# valid UTF-8 and already NFC.
sqlite3 -separator $'\x1f' "$db" "SELECT requested_url, title, text, headings FROM pages" >"$WORK/stored.txt"
python3 - "$WORK/stored.txt" <<'PY' || fail "stored text is not valid NFC UTF-8"
import sys, unicodedata
raw = open(sys.argv[1], "rb").read()
s = raw.decode("utf-8")                     # raises on invalid UTF-8
bad = [l for l in s.splitlines() if unicodedata.normalize("NFC", l) != l]
if bad:
    sys.exit("not NFC: %r" % bad[:2])
if "\u0300" in s or "\u0323" in s:
    sys.exit("combining tone marks left in stored text")
PY
ok "every stored title, text and heading is valid NFC UTF-8"
got=$(sql "SELECT title FROM pages WHERE requested_url GLOB '*/broken.html'")
assert_eq "$got" "Trường Tiểu học Hòa Bình�" "broken UTF-8: invalid byte replaced by U+FFFD"
txt=$(sql "SELECT text FROM pages WHERE requested_url GLOB '*/broken.html'")
case $txt in *"Trường Tiểu học Hòa Bình"*) ok "broken UTF-8: valid text kept" ;; *) fail "broken UTF-8: text is '$txt'" ;; esac
