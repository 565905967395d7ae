"""Writes hostile documents into OUT for test_crawl_hostile_documents.sh.

    mkhostile.py OUT FIXTURES_DOCS

bomb-stream.pdf  one page whose content stream inflates to 400 MB of text
                 operators (1.2 MB on disk)
bomb-pages.pdf   a page tree claiming two billion pages, one page named
                 200,000 times
loop.pdf         cyclic references: a Pages node that is its own kid, a
                 stream whose /Length is itself, an xref /Prev loop
bomb.docx        a zip bomb: word/document.xml of 300 MB deflated to ~1 MB
truncated.pdf    the first KiB of tests/fixtures/docs/text.pdf
truncated.docx   the first half of tests/fixtures/docs/text.docx
"""
import sys, zlib, zipfile

out = sys.argv[1]
fx = sys.argv[2]

def pdf(objs, root=1, extra_trailer=b""):
    """A PDF from a list of object bodies (1-based), with a correct xref."""
    b = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(b))
        b += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(b)
    b += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        b += b"%010d 00000 n \n" % o
    b += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, extra_trailer, x)
    return bytes(b)

font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

# 1. A giant stream: a few hundred KiB that inflate to 400 MB of text
#    operators on one page.
c = zlib.compressobj(9)
parts = [c.compress(b"BT /F1 12 Tf 72 700 Td\n")]
chunk = b"(Cong khai tai chinh nam hoc 2017-2018) Tj 0 -1 Td\n" * 20000
for _ in range(400 * 1024 * 1024 // len(chunk)):
    parts.append(c.compress(chunk))
parts.append(c.compress(b"ET\n") + c.flush())
stream = b"".join(parts)
open(f"{out}/bomb-stream.pdf", "wb").write(pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    font]))

# 2. A huge page tree: /Count claims two billion pages, /Kids names the
#    same page 200,000 times.
kids = b"[" + b"3 0 R " * 200000 + b"]"
open(f"{out}/bomb-pages.pdf", "wb").write(pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids " + kids + b" /Count 2000000000 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 700 Td (Trang mot) Tj ET\n\nendstream",
    font]))

# 3. Loops: a Pages node that is its own kid and parent, a content stream
#    whose /Length is itself, an xref /Prev that points back at itself.
p = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Parent 2 0 R /Count 3 >>",
    b"<< /Type /Page /Parent 3 0 R /Kids [2 0 R] /Contents 4 0 R >>",
    b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"])
sx = p.rindex(b"startxref\n") + 10
xref_at = int(p[sx:p.index(b"\n", sx)])
p = p.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % xref_at)
open(f"{out}/loop.pdf", "wb").write(p)

# 4. A zip bomb: a 300 MB document.xml deflated to a few hundred KiB.
with zipfile.ZipFile(f"{out}/bomb.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    with z.open("word/document.xml", "w", force_zip64=True) as w:
        w.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
        para = b"<w:p><w:r><w:t>Cong khai</w:t></w:r></w:p>" * 25000
        for _ in range(300 * 1024 * 1024 // len(para)):
            w.write(para)
        w.write(b"</w:body></w:document>")

# 5. Truncated files: the first KiB of a PDF, half of a DOCX.
open(f"{out}/truncated.pdf", "wb").write(open(f"{fx}/text.pdf", "rb").read()[:1024])
d = open(f"{fx}/text.docx", "rb").read()
open(f"{out}/truncated.docx", "wb").write(d[:len(d) // 2])
