import Foundation
import Testing
import XiezuoDomain
import ZIPFoundation

@testable import XiezuoFormats

/// Files made to hurt whoever reads them: each was once able to crash the server or blow up its memory.
@Suite struct HostileInputTests {
    func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)-\(name)")
    }

    /// One zip member produced lazily (so a test can describe hundreds of megabytes without holding them).
    func zip(at url: URL, _ members: [(String, Int, (Int, Int) -> Data)]) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, size, chunk) in members {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { p, n in
                chunk(Int(p), min(n, size - Int(p)))
            }
        }
    }

    @Test func twoMillionEmptyCommentsAreSkippedWithoutRecursion() throws {
        // The scanner used to call itself once per comment: 2,000,000 of them overflowed the stack.
        for unit in ["<!---->", "<?a?>"] {
            let xml = "<worksheet><sheetData>" + String(repeating: unit, count: 2_000_000) + "</sheetData></worksheet>"
            let data = Data(xml.utf8)
            var sent = false
            var scanner = XMLScanner(maxText: 1 << 20) {
                if sent { return nil }
                sent = true
                return data
            }
            var names: [String] = []
            while let e = try scanner.next() {
                if case .start(let n, _, _) = e { names.append(n) }
            }
            #expect(names == ["worksheet", "sheetData"])
        }
    }

    @Test func deepNestingIsRefusedWithAClearError() throws {
        let xml = String(repeating: "<a>", count: 10_000)
        let data = Data(xml.utf8)
        var sent = false
        var scanner = XMLScanner(maxText: 1 << 20) {
            if sent { return nil }
            sent = true
            return data
        }
        #expect(throws: XMLScanner.Failure.tooDeep(XMLScanner.maxDepth)) { while try scanner.next() != nil {} }
        // Office's own depth passes.
        let fine = Data((String(repeating: "<a>", count: 50) + String(repeating: "</a>", count: 50)).utf8)
        sent = false
        var ok = XMLScanner(maxText: 1 << 20) {
            if sent { return nil }
            sent = true
            return fine
        }
        var n = 0
        while try ok.next() != nil { n += 1 }
        #expect(n == 100)
    }

    @Test func aDocxWhoseTitlePartLiesAboutItsSizeIsRefused() throws {
        // docProps/core.xml declares 100 bytes but inflates to 24 MB: the old reader trusted the header and kept it all.
        let url = temp("core.docx")
        defer { try? FileManager.default.removeItem(at: url) }
        let big = 24 << 20
        try zip(
            at: url,
            [
                exact("word/document.xml", "<w:document><w:p><w:t>正文</w:t></w:p></w:document>"),
                ("docProps/core.xml", big, lazyRepeat(" ", total: big)),
            ])
        var data = try Data(contentsOf: url)
        patchDeclaredSize(&data, member: "docProps/core.xml", to: 100)
        #expect(throws: DocumentText.Failure.tooLarge(1)) { try DocumentText.extract(data, filename: "报告.docx") }
    }

    @Test func aDocxFarLargerUnpackedThanItsRatioAllowsIsRefused() throws {
        let url = temp("bomb.docx")
        defer { try? FileManager.default.removeItem(at: url) }
        let big = 200 << 20
        try zip(at: url, [("word/document.xml", big, lazyRepeat("<w:p/>", total: big))])
        let data = try Data(contentsOf: url)
        #expect(data.count < 1 << 20)
        #expect(throws: DocumentText.Failure.self) { try DocumentText.extract(data, filename: "bomb.docx") }
    }

    @Test func aSheetThatInflatesHundredsOfTimesItsSizeIsRefusedInTheUsersLanguage() throws {
        let url = temp("bomb.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let big = 300 << 20
        try zip(at: url, [("xl/worksheets/sheet1.xml", big, lazyRepeat("<row/>", total: big))])
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! NSNumber
        #expect(size.intValue < 2 << 20)
        let budget = InflateBudget(compressedSize: size.int64Value, absolute: SheetFiles.Limits().maxInflated)
        do {
            _ = try SheetFiles.open(url)
            Issue.record("the bomb was read")
        } catch let e as SheetFileError {
            #expect(e == SheetFileError("archive.inflate", String(budget.limit >> 20)))
            #expect(e.message(.zh).contains("压缩炸弹"))
            #expect(e.message(.en).contains("zip bomb"))
        }
    }

    @Test func sharedStringsPastTheirCapAreRefusedBeforeTheyFillMemory() throws {
        let url = temp("strings.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let big = 8 << 20
        try zip(
            at: url,
            [
                exact("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>"),
                ("xl/sharedStrings.xml", big, lazyRepeat("<si><t>某</t></si>", total: big)),
            ])
        var limits = SheetFiles.Limits()
        limits.maxSharedStrings = 1 << 20
        #expect(throws: SheetFileError("sheet.too_big", "1")) { _ = try XLSXSheetReader(url: url, limits: limits) }
    }

    @Test func aZipWhoseDirectoryPointsPastItsEndIsADamagedFileNotACrash() throws {
        // Found by fuzz-docx: ZIPFoundation's in-memory reader trapped on it.
        let url = Bundle.module.url(forResource: "Fixtures/directory-past-end", withExtension: "docx")!
        let data = try Data(contentsOf: url)
        #expect(throws: DocumentText.Failure.self) { try DocumentText.extract(data, filename: "x.docx") }
    }

    @Test func aCompressedStreamThatNeverEndsIsRefusedNotWaitedFor() throws {
        // Found by fuzz-xlsx: 366 bytes whose deflate stream runs past the member; ZIPFoundation's reader looped forever.
        let url = Bundle.module.url(forResource: "Fixtures/deflate-never-ends", withExtension: "xlsx")!
        #expect(throws: SheetFileError.self) { _ = try self.all(url) }
    }

    func all(_ url: URL) throws -> Int {
        var r = try SheetFiles.open(url)
        var n = 0
        while try r.next() != nil { n += 1 }
        return n
    }

    @Test func temporaryFilesArePrivateAndGoneAfterReading() throws {
        let url = temp("p.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let s = try XLSXSheetStream(name: "劳务", header: ["身份证号码"])
        s.append([.text("520203199001011238")])
        try FileManager.default.copyItem(at: try s.finish(), to: url)
        var dir: URL?
        do {
            let reader = try XLSXSheetReader(url: url)
            dir = reader.tempDirectory
            let attrs = try FileManager.default.attributesOfItem(atPath: reader.tempDirectory.path)
            #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o700)
            let sheet = reader.tempDirectory.appendingPathComponent("sheet.xml")
            #expect((try FileManager.default.attributesOfItem(atPath: sheet.path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            _ = try reader.next()
        }
        #expect(dir != nil && !FileManager.default.fileExists(atPath: dir!.path))
        // A reading that fails half-way leaves nothing either (in a work directory of its own, so the tests that run
        // beside this one do not count).
        let work = temp("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let broken = temp("broken.xlsx")
        defer { try? FileManager.default.removeItem(at: broken) }
        try zip(at: broken, [("xl/worksheets/sheet1.xml", 30 << 20, lazyRepeat("<row/>", total: 30 << 20))])
        var limits = SheetFiles.Limits()
        limits.maxUnpackedSheet = 1 << 20
        limits.workDirectory = work
        #expect(throws: SheetFileError.self) { _ = try XLSXSheetReader(url: broken, limits: limits) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    }

    @Test func formulaLikeCellsAreGuardedAndTheGuardComesOffAgain() {
        for s in ["=HYPERLINK(\"http://x\",\"点我\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"] {
            #expect(FormulaGuard.escape(s) == "'" + s)
            #expect(FormulaGuard.unescape(FormulaGuard.escape(s)) == s)
        }
        for s in ["-12.5", "+3", "-1,234.00", "白茶（礼盒装）", "\t520203199001011238", "'引号开头", "", "a=b"] {
            #expect(FormulaGuard.escape(s) == s)
            #expect(FormulaGuard.unescape(s) == s)
        }
    }
}

/// A small member with exactly this text.
func exact(_ path: String, _ text: String) -> (String, Int, (Int, Int) -> Data) {
    let d = Data(text.utf8)
    return (path, d.count, { p, n in d.subdata(in: p..<(p + n)) })
}

/// `unit` repeated to `total` bytes, produced a chunk at a time.
func lazyRepeat(_ unit: String, total: Int) -> (Int, Int) -> Data {
    let u = Array(unit.utf8)
    return { p, n in
        var out = [UInt8]()
        out.reserveCapacity(n)
        for i in p..<(p + n) { out.append(u[i % u.count]) }
        return Data(out)
    }
}

/// Rewrites the uncompressed size a member declares, in its local header and in the central directory, as a
/// hostile file does.
func patchDeclaredSize(_ data: inout Data, member: String, to size: UInt32) {
    let name = Data(member.utf8)
    let le = withUnsafeBytes(of: size.littleEndian) { Data($0) }
    var i = data.startIndex
    while let r = data.range(of: name, in: i..<data.endIndex) {
        // local header: signature at name-30, size at +22; central: signature at name-46, size at +24
        if r.lowerBound >= 30, data[(r.lowerBound - 30)..<(r.lowerBound - 26)] == Data([0x50, 0x4B, 0x03, 0x04]) {
            data.replaceSubrange((r.lowerBound - 30 + 22)..<(r.lowerBound - 30 + 26), with: le)
        } else if r.lowerBound >= 46, data[(r.lowerBound - 46)..<(r.lowerBound - 42)] == Data([0x50, 0x4B, 0x01, 0x02]) {
            data.replaceSubrange((r.lowerBound - 46 + 24)..<(r.lowerBound - 46 + 28), with: le)
        }
        i = r.upperBound
    }
}
