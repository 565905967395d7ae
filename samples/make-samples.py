#!/usr/bin/env python3
"""Writes the bundled sample portals (samples/www/HOST/...) and their
registry (samples/schools.csv).  Deterministic; run it again after editing.
The demo serves www/ with the loopback test server, choosing the site by
the Host header, so the host names never need DNS."""
import os, shutil, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
WWW = os.path.join(HERE, "www")

ITEMS = {
    "quality_commitment": "Cam kết chất lượng giáo dục",
    "quality_actual": "Chất lượng giáo dục thực tế",
    "facilities": "Công khai điều kiện cơ sở vật chất",
    "staff": "Đội ngũ nhà giáo, cán bộ quản lý và nhân viên",
    "finance_revenue_expenditure": "Công khai thu chi tài chính",
}
SLUG = {
    "quality_commitment": "cam-ket-chat-luong",
    "quality_actual": "chat-luong-thuc-te",
    "facilities": "co-so-vat-chat",
    "staff": "doi-ngu",
    "finance_revenue_expenditure": "thu-chi-tai-chinh",
}

def page(title, body, school, menu_label="Công khai", charset="utf-8"):
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}"><title>{title}</title>
<meta name="description" content="Cổng thông tin điện tử {school}">
<style>body{{font-family:sans-serif}} .sidebar{{float:right;width:30%}}</style>
<script>var counter = 1;</script></head>
<body>
<div class="header"><h2 class="site-name">{school}</h2></div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu/">Giới thiệu</a></li>
<li><a href="/tin-tuc/">Tin tức</a></li><li><a href="/cong-khai/">{menu_label}</a></li>
<li><a href="/lien-he/">Liên hệ</a></li></ul>
<div class="sidebar"><h3>Tin mới</h3><ul><li><a href="/tin-tuc/le-khai-giang/">Lễ khai giảng năm học 2017-2018</a></li>
<li>Thông báo tuyển sinh năm học 2018-2019</li></ul></div>
<div class="content">{body}</div>
<div class="footer">© {school} · Địa chỉ: TP. Hồ Chí Minh</div>
</body></html>
"""

def item_page(school, label, year, caps=False):
    title = f"{label} năm học {year}"
    if caps:
        title = title.upper()
    body = f"""<p class="date">Thứ Sáu, 15/09/2017 08:15</p><h1>{title}</h1>
<p>(Kèm theo Thông tư số 09/2009/TT-BGDĐT ngày 07/5/2009 của Bộ Giáo dục và Đào tạo)</p>
<table><tr><th>STT</th><th>Nội dung</th><th>Số lượng</th></tr>
<tr><td>1</td><td>Số phòng học</td><td>24</td></tr><tr><td>2</td><td>Số học sinh</td><td>812</td></tr></table>
<p>TP. Hồ Chí Minh, ngày 15 tháng 9 năm 2017<br>HIỆU TRƯỞNG</p>
<p><a href="/files/{year}-bieu-mau.pdf">Tải văn bản (PDF)</a></p>"""
    return page(title, body, school)

def write(host, path, text, encoding="utf-8"):
    full = os.path.join(WWW, host, path.lstrip("/"))
    if full.endswith("/"):
        full += "index.html"
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(text.encode(encoding) if isinstance(text, str) else text)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

def site(host, school, items, extras=(), nfd=False, caps=False, robots="User-agent: *\nDisallow: /quan-tri/\n"):
    """items: {item_id: year or None (missing) or ('pdf', year)}"""
    norm = (lambda s: unicodedata.normalize("NFD", s)) if nfd else (lambda s: s)
    links, pdf_links = [], []
    for item, year in items.items():
        if year is None:
            continue
        if isinstance(year, tuple):
            pdf_links.append(f'<li><a href="/files/{SLUG[item]}-{year[1]}.pdf">{ITEMS[item]} năm học {year[1]}.pdf</a></li>')
            write(host, f"/files/{SLUG[item]}-{year[1]}.pdf", PDF)
            continue
        links.append(f'<li><a href="/cong-khai/{SLUG[item]}/">{ITEMS[item]} năm học {year}</a></li>')
        write(host, f"/cong-khai/{SLUG[item]}/", norm(item_page(school, ITEMS[item], year, caps)))
        write(host, f"/files/{year}-bieu-mau.pdf", PDF)
    menu = "CÔNG KHAI" if caps else "Công khai"
    write(host, "/cong-khai/", norm(page("Ba công khai", "<h1>Ba công khai</h1><h3>Năm học 2017-2018</h3><ul>" + "".join(links + pdf_links) + "</ul>", school, menu)))
    write(host, "/", norm(page(school, f"<h1>{school}</h1><p>Chào mừng quý phụ huynh.</p><p><a href=\"/tin-tuc/le-khai-giang/\">Lễ khai giảng năm học 2017-2018</a></p>", school, menu)))
    write(host, "/gioi-thieu/", norm(page("Giới thiệu", "<h1>Giới thiệu</h1><p>Trường được thành lập năm 1990.</p>", school, menu)))
    write(host, "/lien-he/", norm(page("Liên hệ", "<h1>Liên hệ</h1><p>Điện thoại: 028 3822 0000</p>", school, menu)))
    write(host, "/tin-tuc/", norm(page("Tin tức", "<h1>Tin tức</h1><ul><li><a href=\"/tin-tuc/le-khai-giang/\">Lễ khai giảng năm học 2017-2018</a> 05/09/2017</li></ul>", school, menu)))
    write(host, "/tin-tuc/le-khai-giang/", norm(page("Lễ khai giảng năm học 2017-2018", "<h1>Lễ khai giảng năm học 2017-2018</h1><p>Ngày đăng: 05/09/2017</p><p>Sáng nay toàn trường tổ chức lễ khai giảng.</p>", school, menu)))
    write(host, "/robots.txt", robots)
    write(host, "/quan-tri/", page("Đăng nhập quản trị", "<h1>Đăng nhập</h1>", school))
    for path, text in extras:
        write(host, path, norm(text) if isinstance(text, str) else text)

def main():
    if os.path.isdir(WWW):
        shutil.rmtree(WWW)
    all_current = {k: "2017-2018" for k in ITEMS}
    site("thcsnguyendu.hcm.edu.vn", "Trường THCS Nguyễn Du", all_current)
    site("mnhoasen5.q1.hcm.edu.vn", "Trường Mầm non Hoa Sen 5",
         {"quality_commitment": "2017-2018", "quality_actual": "2016-2017",
          "facilities": "2017-2018", "staff": None, "finance_revenue_expenditure": None},
         extras=[("/gioi-thieu/doi-ngu-giao-vien/", page("Đội ngũ giáo viên", "<h1>Đội ngũ giáo viên</h1><p>Cô Lan, cô Mai, cô Hoa.</p>", "Trường Mầm non Hoa Sen 5")),
                 ("/cong-khai/ke-hoach/", page("Kế hoạch thực hiện công khai năm học 2017-2018", "<h1>Kế hoạch thực hiện công khai năm học 2017-2018</h1>", "Trường Mầm non Hoa Sen 5"))])
    site("thlevansi.hcm.edu.vn", "Trường Tiểu học Lê Văn Sĩ",
         {"quality_commitment": "2017-2018", "quality_actual": "2017 - 2018",
          "facilities": "2017–2018", "staff": "2017-2018",
          "finance_revenue_expenditure": ("pdf", "2017-2018")}, nfd=True, caps=True)
    site("thpt-anlac.edu.vn", "Trường THPT An Lạc",
         {"quality_commitment": "2015-2016", "quality_actual": "2015-2016",
          "facilities": "2015-2016", "staff": "2015-2016", "finance_revenue_expenditure": "2015-2016"})
    with open(os.path.join(HERE, "schools.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\ufeffschool_id,name,unit,level,ownership,portal_url\r\n")
        f.write("79-Q01-THCS-0001,Trường THCS Nguyễn Du,Quận 1,thcs,cong_lap,http://thcsnguyendu.hcm.edu.vn:{port}/\r\n")
        f.write("79-Q01-MN-0002,Trường Mầm non Hoa Sen 5,Quận 1,mn,cong_lap,http://mnhoasen5.q1.hcm.edu.vn:{port}/\r\n")
        f.write("79-Q03-TH-0003,Trường Tiểu học Lê Văn Sĩ,Quận 3,th,cong_lap,http://thlevansi.hcm.edu.vn:{port}/\r\n")
        f.write("79-Q06-THPT-0004,\"Trường THPT An Lạc, cơ sở 2\",Quận 6,thpt,ngoai_cong_lap,http://thpt-anlac.edu.vn:{port}/\r\n")
        f.write("79-Q06-TH-0005,Trường Tiểu học Bình Tiên,Quận 6,th+thcs,cong_lap,http://thbinhtien.hcm.edu.vn:{deadport}/\r\n")
        f.write("79-Q03-MN-0006,Trường Mầm non Sơn Ca,Quận 3,mn,ngoai_cong_lap,\r\n")

main()
