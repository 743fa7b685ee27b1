import Foundation
import Testing
import ZIPFoundation

@testable import XiezuoFormats

/// Builds a .docx in memory: the parts Word writes that matter here, with the given document XML.
func makeDocx(_ documentXML: String, title: String? = nil, extra: [(String, Data)] = []) throws -> Data {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xz-docx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("t.docx")
    let archive = try Archive(url: url, accessMode: .create)
    var parts: [(String, Data)] = [("[Content_Types].xml", Data("<Types/>".utf8)), ("word/document.xml", Data(documentXML.utf8))]
    if let title { parts.append(("docProps/core.xml", Data("<cp:coreProperties><dc:title>\(title)</dc:title></cp:coreProperties>".utf8))) }
    for (path, data) in parts + extra {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
            data.subdata(in: Int(pos)..<Int(pos) + size)
        }
    }
    return try Data(contentsOf: url)
}

func wordXML(_ paragraphs: [String]) -> String {
    "<?xml version=\"1.0\"?><w:document><w:body>" + paragraphs.map { "<w:p><w:r><w:t xml:space=\"preserve\">\($0)</w:t></w:r></w:p>" }.joined()
        + "</w:body></w:document>"
}

@Suite struct DocumentTextTests {
    @Test func docxParagraphsRunsTabsAndReferences() throws {
        let xml =
            "<w:document><w:body><w:p><w:r><w:t>粤黔协作</w:t></w:r><w:r><w:tab/><w:t>联席会议</w:t></w:r></w:p>"
            + "<w:p><w:r><w:t>A &amp; B &#20013;</w:t><w:br/><w:t>第二行</w:t></w:r></w:p><w:p/></w:body></w:document>"
        let r = try DocumentText.extract(try makeDocx(xml, title: "会议纪要"), filename: "纪要.docx")
        #expect(r.format == "docx" && r.title == "会议纪要")
        #expect(r.text == "粤黔协作\t联席会议\nA & B 中\n第二行\n")
    }

    @Test func docxEntityDeclarationsAreNotExpanded() throws {
        // A "billion laughs" declaration: read as text, never expanded.
        let bomb =
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + "<w:document><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
        let r = try DocumentText.extract(try makeDocx(bomb), filename: "b.docx")
        #expect(r.text.count < 20)
    }

    @Test func brokenAndOversizedDocxAreClearErrors() throws {
        let good = try makeDocx(wordXML(["一段文字"]))
        #expect(throws: DocumentText.Failure.self) { try DocumentText.extract(good.prefix(good.count / 2), filename: "half.docx") }
        #expect(throws: DocumentText.Failure.damaged("not a zip archive")) {
            try DocumentText.extract(Data("PK\u{3}\u{4}garbage".utf8), filename: "x.docx")
        }
        let noDocument = try makeDocx("", extra: []).count > 0
        #expect(noDocument)
        // More document XML than the limit: refused while unpacking.
        let huge = String(repeating: "<w:p/>", count: DocumentText.maxUnpacked / 6 + 10)
        #expect(throws: DocumentText.Failure.tooLarge(DocumentText.maxUnpacked >> 20)) {
            try DocumentText.extract(try makeDocx("<w:document>" + huge + "</w:document>"), filename: "big.docx")
        }
        #expect(throws: DocumentText.Failure.unsupported(".doc")) {
            try DocumentText.extract(Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0]), filename: "old.doc")
        }
    }

    @Test func htmlTextAsABrowserShowsIt() throws {
        let html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>粤黔协作 &amp; 联席会议</title>
            <style>p { color: red }</style><script>var x = "<p>不是正文</p>";</script></head>
            <body><!-- 注释 --><h1>标题</h1><p>第一段，
            续行。</p><div>第二段&nbsp;&#x4E2D;&#25991;</div><ul><li>甲</li><li>乙</li></ul></body></html>
            """
        let r = try DocumentText.extract(Data(html.utf8), filename: "page.html")
        #expect(r.format == "html" && r.title == "粤黔协作 & 联席会议")
        #expect(r.text == "标题\n第一段， 续行。\n第二段 中文\n甲\n乙")
    }

    @Test func legacyEncodingsAreRead() throws {
        // "协作" in GBK, declared by the page.
        let gbkPage =
            Data("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>".utf8)
            + Data([0xD0, 0xAD, 0xD7, 0xF7]) + Data("</p></body></html>".utf8)
        #expect(try DocumentText.extract(gbkPage, filename: "gbk.htm").text == "协作")
        // Undeclared GBK plain text, and UTF-16 with its byte-order mark.
        #expect(try DocumentText.extract(Data([0xD6, 0xD0, 0x0A]), filename: "a.txt").text == "中\n")
        let utf16 = Data([0xFF, 0xFE]) + "会议".data(using: .utf16LittleEndian)!
        #expect(try DocumentText.extract(utf16, filename: "u.txt").text == "会议")
        #expect(throws: DocumentText.Failure.notText) { try DocumentText.extract(Data([0x81, 0x20, 0xFF, 0x00]), filename: "bin.txt") }
    }
}
