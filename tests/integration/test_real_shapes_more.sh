#!/usr/bin/env bash
# More shapes real portals give disclosures, through the default focused
# crawl and the audit, one school (one host) each on one test server:
# - gp: a generic post "Hồ sơ công khai năm học 2017-2018" whose items are
#   only attachments (text PDF, DOCX, XLSX) behind "Tải file", "Xem tại
#   đây", "Tải về": each item passes with the post as evidence URL;
# - scan: a scanned PDF (no text layer) behind "Tải về" on a disclosure
#   post is the only publication of the other items: review, not missing;
# - pg: a paginated disclosure section whose item post is on page 3;
# - rb: robots.txt disallows the Công khai section: review "bị chặn bởi
#   robots.txt", never missing (yearly_section, the section's yearly
#   parts, included);
# - pk: a parked portal (every URL the same "Tên miền đã hết hạn"):
#   portal_reachable fails with reason parked, items unreachable;
# - sf: a soft-404 site: a menu link to an item answers 200 "Không tìm
#   thấy trang": missing;
# - mn: TT 09/2024, weekly menus on pages 2 and 3 of the section: found.
# Each check asserts the verdict, the evidence URL and the date source.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
fx=${PA_FIXTURES:?}/docs
python3 - "$WORK/www" <<'PY'
import os, sys
root = sys.argv[1]

def page(title, content, school="Trường THCS Mẫu"):
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<title>{title} - {school}</title></head><body>'
            f'<div id="header"><h2>{school.upper()}</h2></div>'
            '<div id="nav"><ul class="menu"><li><a href="/">Trang chủ</a></li>'
            '<li><a href="/gioi-thieu.html">Giới thiệu</a></li>'
            '<li><a href="/cong-khai/">Công khai</a></li></ul></div>'
            f'<div id="content"><h1>{title}</h1>{content}</div>'
            '<div id="footer"><a href="/lien-he.html">Liên hệ</a></div></body></html>\n')

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

def basics(d, school="Trường THCS Mẫu", robots="User-agent: *\nAllow: /\n"):
    write(f"{d}/index.html", page(school, "<p>Chào mừng quý phụ huynh.</p>", school))
    write(f"{d}/gioi-thieu.html", page("Giới thiệu", "<p>Lịch sử nhà trường.</p>", school))
    write(f"{d}/lien-he.html", page("Liên hệ", "<p>Điện thoại: 028 3822 0000.</p>", school))
    write(f"{d}/robots.txt", robots)

COMMITMENT = ("cam-ket-chat-luong-giao-duc-nam-hoc-2017-2018", "Cam kết chất lượng giáo dục năm học 2017-2018")

def listing(d, *posts):
    """The Công khai page listing these posts (slug, title); the quality
    commitment post, when listed, is written too."""
    items = "".join(f'<li><a href="/cong-khai/{s}.html">{t}</a></li>' for s, t in posts)
    write(f"{d}/cong-khai/index.html", page("Công khai", f"<ul>{items}</ul>"))
    if COMMITMENT in posts:
        write(f"{d}/cong-khai/{COMMITMENT[0]}.html",
              page(COMMITMENT[1], "<p>Ngày đăng: 15/09/2017</p><p>Biểu mẫu 09.</p>"))

def section(d, posts, school, per=10):
    """A list of posts (slug, title, date), newest first, per a page, with
    numbered pages and "Trang sau"."""
    pages = (len(posts) + per - 1) // per
    for n in range(1, pages + 1):
        items = "".join(f'<div class="news-item"><a class="title" href="/cong-khai/{s}.html">{t}</a>'
                        f'<div class="date">Ngày đăng: {dt}</div></div>'
                        for s, t, dt in posts[(n - 1) * per:n * per])
        nums = "".join(f'<a href="/cong-khai/trang-{j}.html">{j}</a>' if j > 1 else
                       '<a href="/cong-khai/">1</a>' for j in range(1, pages + 1) if j != n)
        nxt = f'<a href="/cong-khai/trang-{n + 1}.html">Trang sau &raquo;</a>' if n < pages else ""
        name = f"{d}/cong-khai/index.html" if n == 1 else f"{d}/cong-khai/trang-{n}.html"
        write(name, page("Công khai", f'{items}<div class="pagination">{nums}{nxt}</div>', school))
    for s, t, dt in posts:
        write(f"{d}/cong-khai/{s}.html", page(t, f"<p>Ngày đăng: {dt}</p><p>{t}.</p>", school))

# 1. A generic post whose items are only attachments.
d = f"{root}/gp.hcm.edu.vn"
basics(d)
listing(d, ("ho-so-cong-khai-nam-hoc-2017-2018", "Hồ sơ công khai năm học 2017-2018"))
write(f"{d}/cong-khai/ho-so-cong-khai-nam-hoc-2017-2018.html", page("Hồ sơ công khai năm học 2017-2018",
      '<p>Ngày đăng: 20/10/2017</p><p>Nhà trường công khai các hồ sơ sau:</p>'
      '<p><a href="/upload/tl-01.pdf">Tải file</a></p>'
      '<p><a href="/upload/tl-02.docx">Xem tại đây</a></p>'
      '<p><a href="/upload/tl-03.xlsx">Tải về</a></p>'))

# 2. A scanned PDF behind a generic link; one item published as text.
d = f"{root}/scan.hcm.edu.vn"
basics(d)
listing(d, COMMITMENT, ("thong-tin-cong-khai", "Thông tin công khai của nhà trường"))
write(f"{d}/cong-khai/thong-tin-cong-khai.html", page("Thông tin công khai của nhà trường",
      '<p>Ngày đăng: 02/11/2017</p><p>Nhà trường công khai thông tin:</p>'
      '<p><a href="/upload/scan-0012.pdf">Tải về</a></p>'))

# 3. A paginated section: the item post on page 3.
d = f"{root}/pg.hcm.edu.vn"
basics(d)
posts = []
for k in range(30):
    day, month = 28 - (k % 27), 5 - k // 10
    date = f"{day:02d}/{month:02d}/2018"
    if k == 24:
        posts.append(("cong-khai-doi-ngu-nha-giao", "Công khai thông tin về đội ngũ nhà giáo, cán bộ quản lý và nhân viên", date))
    elif k % 2:
        posts.append((f"thong-bao-{k}", f"Thông báo về việc họp phụ huynh đợt {k}", date))
    else:
        posts.append((f"tin-hoat-dong-{k}", f"Hội thi giáo viên dạy giỏi cấp trường đợt {k}", date))
section(d, posts, "Trường THCS Mẫu")

# 4. robots.txt disallows the Công khai section.
d = f"{root}/rb.hcm.edu.vn"
basics(d, robots="User-agent: *\nDisallow: /cong-khai/\n")
listing(d, COMMITMENT)

# 5. A parked portal: every URL, robots.txt too, the same placeholder.
write(f"{root}/pk.hcm.edu.vn/_any.html",
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tên miền đã hết hạn</title>'
      '</head><body><h1>Tên miền đã hết hạn</h1><p>Website tạm ngưng hoạt động. Vui lòng liên hệ '
      'nhà cung cấp để gia hạn.</p></body></html>\n')

# 6. A soft-404 site: the menu link to the staff item answers 200 "Không
#    tìm thấy trang" (every unknown URL does).
d = f"{root}/sf.hcm.edu.vn"
basics(d)
listing(d, COMMITMENT, ("doi-ngu-nha-giao-nam-hoc-2017-2018",
                        "Công khai đội ngũ nhà giáo, cán bộ quản lý và nhân viên năm học 2017-2018"))
write(f"{d}/_any.html", page("Không tìm thấy trang", "<p>Trang bạn tìm không tồn tại hoặc đã bị xoá.</p>"))

# 7. TT 09/2024: weekly menus on pages 2 and 3 of the section, behind a
#    page of notices.
d = f"{root}/mn.hcm.edu.vn"
school = "Trường Mầm non Hoa Sen"
basics(d, school)
posts = [(f"thong-bao-{k}", f"Thông báo về việc họp phụ huynh lớp {k}", f"{20 - k:02d}/11/2025") for k in range(10)]
posts += [(f"tin-{k}", f"Bé vui hội trăng rằm lớp {k}", "15/11/2025") for k in range(3)]
for w, (fr, to, posted) in enumerate([("17/11/2025", "21/11/2025", "14/11/2025"),
                                       ("10/11/2025", "14/11/2025", "07/11/2025"),
                                       ("03/11/2025", "07/11/2025", "31/10/2025")]):
    posts.append((f"thuc-don-tuan-{w}", f"Thực đơn tuần từ {fr} đến {to}", posted))
posts += [(f"tin-cu-{k}", f"Bé tham quan nông trại lớp {k}", "10/10/2025") for k in range(10)]
section(d, posts, school)
PY
d=$WORK/www
mkdir -p "$d/gp.hcm.edu.vn/upload" "$d/scan.hcm.edu.vn/upload"
cp "$fx/text.pdf" "$d/gp.hcm.edu.vn/upload/tl-01.pdf"
cp "$fx/text.docx" "$d/gp.hcm.edu.vn/upload/tl-02.docx"
cp "$fx/text.xlsx" "$d/gp.hcm.edu.vn/upload/tl-03.xlsx"
cp "$fx/scan.pdf" "$d/scan.hcm.edu.vn/upload/scan-0012.pdf"

ts_start "$WORK/www" 127.0.0.1
hosts=(gp scan pg rb pk sf mn)
{
  echo 'school_id,name,unit,level,ownership,portal_url'
  for h in "${hosts[@]}"; do
    level=thcs
    [ "$h" = mn ] && level=mn
    echo "RS-$h,Trường $h,Quận 1,$level,cong_lap,http://$h.hcm.edu.vn:$TS_PORT/"
  done
} >"$WORK/schools.csv"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
resolve=()
for h in "${hosts[@]}"; do resolve+=(--resolve "$h.hcm.edu.vn:$TS_PORT:127.0.0.1"); done
# The default focused crawl: these shapes must be reached by it.
timeout 60 "$PORTAL_AUDIT" --db "$db" crawl "${resolve[@]}" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet >/dev/null
sql() { sqlite3 -separator '|' "$db" "$1"; }
run=$(sql "SELECT MAX(id) FROM runs WHERE kind = 'audit'")
base() { echo "http://$1.hcm.edu.vn:$TS_PORT"; }
# finding HOST ITEM: verdict|url|date_source of the newest audit
finding() {
  sql "SELECT verdict || '|' || COALESCE(url, '') || '|' || COALESCE(date_source, '')
       FROM findings WHERE run_id = $run AND school_id = 'RS-$1' AND item = '$2'"
}
note() { sql "SELECT COALESCE(note, '') FROM findings WHERE run_id = $run AND school_id = 'RS-$1' AND item = '$2'"; }

# 1. Generic post, items only as attachments behind generic link texts.
post=$(base gp)/cong-khai/ho-so-cong-khai-nam-hoc-2017-2018.html
for item in facilities quality_commitment staff; do
  assert_eq "$(finding gp $item)" "pass|$post|document" "gp: $item passes by its attachment, the post as evidence, dated by the document"
done
note gp staff >"$WORK/note.txt"
assert_contains "$WORK/note.txt" "/upload/tl-03.xlsx" "gp: the note names the XLSX that holds staff"

# 2. A scanned PDF behind "Tải về": the items nothing else publishes are
#    review, with the post as evidence; the one published as text passes.
assert_eq "$(finding scan quality_commitment)" \
  "pass|$(base scan)/cong-khai/cam-ket-chat-luong-giao-duc-nam-hoc-2017-2018.html|label" "scan: the text item passes"
assert_eq "$(finding scan facilities)" "review|$(base scan)/cong-khai/thong-tin-cong-khai.html|" \
  "scan: facilities review, the post holding the scan as evidence, no date"
note scan facilities >"$WORK/note.txt"
assert_contains "$WORK/note.txt" "tài liệu scan không có lớp chữ" "scan: the note says why"
assert_eq "$(sql "SELECT COUNT(*) FROM findings WHERE run_id = $run AND school_id = 'RS-scan' AND verdict = 'missing'")" 0 \
  "scan: no item missing"

# 3. The item post on page 3 of the section, dated by its post date.
assert_eq "$(finding pg staff)" "pass|$(base pg)/cong-khai/cong-khai-doi-ngu-nha-giao.html|page" \
  "pg: staff found on page 3 of the section, dated by its post"

# 4. robots.txt: review with the blocked URL, never missing.
f=$(finding rb quality_commitment)
case $f in
  "review|$(base rb)/cong-khai/"*"|") ok "rb: quality_commitment review, a blocked URL as evidence, no date" ;;
  *) fail "rb: quality_commitment is '$f'" ;;
esac
note rb quality_commitment >"$WORK/note.txt"
assert_contains "$WORK/note.txt" "bị chặn bởi robots.txt" "rb: the note names robots.txt"
assert_eq "$(sql "SELECT COUNT(*) FROM findings WHERE run_id = $run AND school_id = 'RS-rb' AND verdict = 'missing'")" 0 \
  "rb: no item missing"

# 5. Parked: portal_reachable fails with reason parked; items unreachable.
assert_eq "$(sql "SELECT reachable || ' ' || reason FROM scores WHERE run_id = $run AND school_id = 'RS-pk'")" "0 parked" \
  "pk: not reachable, reason parked"
assert_eq "$(finding pk portal_reachable)|$(note pk portal_reachable)" "unreachable|||parked" \
  "pk: portal_reachable fails with reason parked"
assert_eq "$(finding pk staff)" "unreachable||" "pk: staff not assessable, no evidence, no date"
assert_eq "$(sql "SELECT COUNT(*) FROM findings WHERE run_id = $run AND school_id = 'RS-pk'
                  AND verdict NOT IN ('unreachable') AND item <> 'portal_reachable'")" 0 "pk: every item unreachable"

# 6. Soft 404: the dead menu link publishes nothing.
assert_eq "$(sql "SELECT status || ' ' || (metas LIKE '%soft404%') FROM pages
                  WHERE requested_url = '$(base sf)/cong-khai/doi-ngu-nha-giao-nam-hoc-2017-2018.html'")" "404 1" \
  "sf: the dead menu link is stored as a soft 404"
assert_eq "$(finding sf staff)" "missing||" "sf: staff behind a soft 404 is missing, no evidence, no date"
assert_eq "$(finding sf quality_commitment)" \
  "pass|$(base sf)/cong-khai/cam-ket-chat-luong-giao-duc-nam-hoc-2017-2018.html|label" "sf: the real item page passes"

# 7. TT 09/2024: the newest weekly menu, on page 2 of the section.
pa audit --school RS-mn --period 2025-2026 --as-of 2025-11-20 --quiet >/dev/null
run=$(sql "SELECT MAX(id) FROM runs WHERE kind = 'audit'")
assert_eq "$(finding mn mn_weekly_plan_menu)" "pass|$(base mn)/cong-khai/thuc-don-tuan-0.html|title" \
  "mn: the newest weekly menu (page 2) is current, dated by the week in its title"
assert_eq "$(sql "SELECT date FROM findings WHERE run_id = $run AND school_id = 'RS-mn' AND item = 'mn_weekly_plan_menu'")" \
  2025-11-17 "mn: dated by the first day of the week"
