#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (Fuzz/corpus/TARGET/): small valid inputs of each kind, written here by hand
with the standard library, so the fuzzers start from files shaped like real ones. Run again to regenerate."""
import io, os, zipfile

root = os.path.join(os.path.dirname(__file__), "..", "..", "Fuzz", "corpus")

def put(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

def zipped(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in parts:
            info = zipfile.ZipInfo(path, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()

sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>'
         '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>45352</v></c><c r="C2" t="str"><v>1,234.5</v></c></row>'
         '</sheetData></worksheet>')
shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
          '<si><t>县区</t></si><si><r><t>纳雍</t></r><r><t>县</t></r><rPh><t>ナ</t></rPh></si></sst>')
workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>')
rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
put("xlsx", "small.xlsx", zipped([("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
                                  ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)]))
put("xlsx", "no-strings.xlsx", zipped([("xl/worksheets/sheet1.xml", sheet)]))
put("xml", "sheet.xml", "\x05" + sheet)
put("xml", "strings.xml", "\x03" + shared + "<!-- 注释 --><?pi x?><![CDATA[a<b]]>&amp;&#x4E2D;&#25991;")

document = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>粤黔协作</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> 2024年 </w:t></w:r></w:p>'
            '<w:p><w:r><w:t>消费帮扶&amp;劳务协作</w:t><w:br/></w:r></w:p></w:body></w:document>')
core = '<cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>联席会议</dc:title></cp:coreProperties>'
put("docx", "small.docx", zipped([("word/document.xml", document), ("docProps/core.xml", core)]))

html = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>粤黔协作</title><style>p{}</style>'
        '<script>var a="<p>";</script></head><body><p>第一段&nbsp;文字&#x3001;</p><br><div>第二段<b>加粗</b></div>'
        '<table><tr><td>1</td><td>2</td></tr></table></body></html>')
put("html", "page.html", html)
put("html", "gbk.html", '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>'.encode()
    + "东西部协作".encode("gbk") + b"</body></html>")

put("csv", "utf8.csv", "\x00县区,日期,金额（元）\r\n纳雍县,2024/3/1,\"1,234.50\"\r\n合计,,1234.5\r\n")
put("csv", "gbk.csv", b"\x04" + "县区,日期\n纳雍县,2024年3月1日\n".encode("gbk"))
put("csv", "utf16.csv", b"\x02" + "县区\t日期\n纳雍县\t2024-3-1\n".encode("utf-16-le"))
put("csv", "formula.csv", "\x00名称,备注\n'=1+1,'@SUM(A1)\n")

put("multipart", "upload.txt", b"multipart/form-data; boundary=----B7x\n------B7x\r\n"
    b'Content-Disposition: form-data; name="_csrf"\r\n\r\nabc\r\n------B7x\r\n'
    b'Content-Disposition: form-data; name="file"; filename="\xe5\x8f\xb0\xe8\xb4\xa6.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
    b"PK\x03\x04data\r\n------B7x--\r\n")

put("cells", "labour.txt", "\x01纳雍县\t2024-03-01\t张三\t520525199001011234\t13800000000\t广州\t3500\n白云区\t2024年3月1日\t\t\t\t\t1.2万")
put("cells", "consumption.txt", "\x00纳雍县\t45352\t白茶（礼盒装）\t1,234.50\t是\n")

put("repair", "garbled.txt", "粤黔协作?gong gong)服务，2024年投入1,234万元，占比12.5%。“东西部协作”")
put("repair", "clean.txt", "东西部协作是党中央的重大决策。The ratio is 1,234.")
