import Foundation
import Testing
import XiezuoDomain
import ZIPFoundation

@testable import XiezuoFormats

@Suite struct SheetReaderTests {
    func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sheet-test-\(UUID().uuidString)-\(name)")
    }

    func all(_ url: URL) throws -> [(Int, [SheetCell])] {
        var r = try SheetFiles.open(url)
        var out: [(Int, [SheetCell])] = []
        while let row = try r.next() { out.append((row.row, row.cells)) }
        return out
    }

    /// A workbook of hand-written parts: what other programs put in an XLSX, not what our writer does.
    func workbook(sheet: String, sharedStrings: String? = nil, at url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        var parts: [(String, String)] = [
            (
                "xl/workbook.xml",
                "<?xml version=\"1.0\"?><workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"台账\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>"
            ),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId7\" Target=\"worksheets/data.xml\"/></Relationships>"),
            ("xl/worksheets/data.xml", sheet),
        ]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
        for (path, text) in parts {
            let d = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate) { p, n in
                d.subdata(in: Int(p)..<Int(p) + n)
            }
        }
    }

    @Test func sharedStringsInlineNumbersAndGaps() throws {
        let url = temp("a.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try workbook(
            sheet: """
                <?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="urn:main"><x:sheetData>
                <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>
                <x:row r="3"><x:c r="B3" t="s"><x:v>1</x:v></x:c><x:c r="D3"><x:v>45447</x:v></x:c><x:c r="E3" t="inlineStr"><x:is><x:t>a&amp;b &#x4E2D;</x:t></x:is></x:c></x:row>
                <x:row r="4" spans="1:5"/>
                </x:sheetData></x:worksheet>
                """, sharedStrings: "<sst><si><t>消费协作台账</t></si><si><r><t>刺</t></r><r><t>梨</t></r><rPh><t>ci li</t></rPh></si></sst>", at: url)
        let rows = try all(url)
        #expect(rows.map(\.0) == [1, 3, 4])
        #expect(rows[0].1 == [SheetCell("消费协作台账")])
        #expect(rows[1].1 == [SheetCell(""), SheetCell("刺梨"), SheetCell(""), SheetCell("45447", numeric: true), SheetCell("a&b 中")])
        #expect(rows[2].1.isEmpty)
    }

    @Test func ourStreamedExportReadsBack() throws {
        let s = try XLSXSheetStream(name: "劳务", header: ["姓名", "身份证号码", "月工资（元）"])
        for i in 0..<3000 { s.append([.text("张\(i)"), .text("52020319900101123\(i % 10)"), .number("\(3000 + i).5")]) }
        let url = try s.finish()
        let rows = try all(url)
        #expect(rows.count == 3001)
        #expect(rows[0].1.map(\.text) == ["姓名", "身份证号码", "月工资（元）"])
        #expect(rows[2999].1 == [SheetCell("张2998"), SheetCell("520203199001011238"), SheetCell("5998.5", numeric: true)])
    }

    @Test func csvQuotesBOMAndGBK() throws {
        let url = temp("a.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array("产品,金额\r\n\"刺梨, 汁\",\"1,234\"\r\n\"多\n行\",\"说\"\"明\"\n".utf8)).write(to: url)
        #expect(try all(url).map { $0.1.map(\.text) } == [["产品", "金额"], ["刺梨, 汁", "1,234"], ["多\n行", "说\"明"]])
        // GBK bytes of 产品,金额 as older Excel saves "CSV" on Chinese Windows.
        try Data([0xB2, 0xFA, 0xC6, 0xB7, 0x2C, 0xBD, 0xF0, 0xB6, 0xEE, 0x0D, 0x0A]).write(to: url)
        #expect(try all(url).first?.1.map(\.text) == ["产品", "金额"])
    }

    @Test func brokenFilesGiveClearErrors() throws {
        let url = temp("b.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        // Not a zip at all, but starting like one.
        try Data("PK\u{3}\u{4}this is not really a zip".utf8).write(to: url)
        #expect(throws: SheetFileError("sheet.not_zip")) { try all(url) }
        // A real workbook cut in half.
        let s = try XLSXSheetStream(name: "x", header: ["a"])
        for i in 0..<20000 { s.append([.text("行\(i) \(UUID().uuidString)")]) }
        let whole = try Data(contentsOf: try s.finish())
        try whole.prefix(whole.count / 2).write(to: url)
        #expect(throws: SheetFileError.self) { try all(url) }
        try FileManager.default.removeItem(at: url)
        // The billion laughs: entities that expand exponentially. Refused at the declaration.
        try workbook(
            sheet: """
                <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
                <worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>
                """, at: url)
        #expect(throws: SheetFileError("sheet.doctype")) { try all(url) }
        // A sheet whose XML stops inside sheetData.
        try? FileManager.default.removeItem(at: url)
        try workbook(sheet: "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>半", at: url)
        #expect(throws: SheetFileError.self) { try all(url) }
    }

    @Test func aFortyMegabyteCellIsRefusedWithoutReadingItWhole() throws {
        let url = temp("big.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try Archive(url: url, accessMode: .create)
        let head = Data("<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>".utf8)
        let tail = Data("</t></is></c></row></sheetData></worksheet>".utf8)
        let middle = 40 << 20  // under the inflate floor, so the cell limit is what refuses it
        let total = head.count + middle + tail.count
        let filler = Data(repeating: UInt8(ascii: "a"), count: 1 << 16)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(total), compressionMethod: .deflate) { p, n in
            let p = Int(p)
            if p < head.count { return head.subdata(in: p..<min(head.count, p + n)) }
            if p >= head.count + middle {
                let q = p - head.count - middle
                return tail.subdata(in: q..<min(tail.count, q + n))
            }
            return filler.prefix(min(n, head.count + middle - p))
        }
        #expect(throws: SheetFileError("sheet.cell_too_long", String(1 << 20))) { try all(url) }
    }
}
