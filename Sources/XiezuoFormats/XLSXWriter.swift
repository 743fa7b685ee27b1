import Foundation
import ZIPFoundation

/// A minimal writer of Office Open XML workbooks: sheets of text and number cells, a bold header row, frozen below
/// it. Strings are inline (no shared-string table) and every part is written in a fixed order with a fixed timestamp,
/// so the same sheets always give the same bytes.
public struct XLSXWriter: Sendable {
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(String)  // already formatted as a decimal number, e.g. "1234.56"
        case empty
    }
    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[Cell]]
        public init(name: String, header: [String], rows: [[Cell]]) {
            self.name = name
            self.header = header
            self.rows = rows
        }
    }

    public var sheets: [Sheet] = []
    public init(sheets: [Sheet] = []) { self.sheets = sheets }

    /// 2000-01-01, the timestamp of every entry.
    static let fixedDate = Date(timeIntervalSince1970: 946_684_800)

    public func data() throws -> Data { try Self.pack(parts()) }

    /// A workbook's parts zipped in the order given, each with the fixed timestamp: the same parts, the same bytes.
    static func pack(_ parts: [(String, String)]) throws -> Data {
        let dir = try PrivateFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("book.xlsx")
        let archive = try Archive(url: file, accessMode: .create)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: Self.fixedDate,
                compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try Data(contentsOf: file)
    }

    func parts() -> [(String, String)] {
        let xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        var out: [(String, String)] = []
        var types = xmlHead + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        types += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        types +=
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        for i in sheets.indices {
            types +=
                "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        types += "</Types>"
        out.append(("[Content_Types].xml", types))
        out.append(
            (
                "_rels/.rels",
                xmlHead
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ))
        var wb =
            xmlHead
            + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        var rels = xmlHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for (i, s) in sheets.enumerated() {
            wb += "<sheet name=\"\(Self.escape(Self.sheetName(s.name)))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            rels +=
                "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        wb += "</sheets></workbook>"
        rels +=
            "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"
        out.append(("xl/workbook.xml", wb))
        out.append(("xl/_rels/workbook.xml.rels", rels))
        out.append(
            (
                "xl/styles.xml",
                xmlHead
                    + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"3\"><xf/><xf fontId=\"1\" applyFont=\"1\"/><xf numFmtId=\"49\" applyNumberFormat=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
            ))
        for (i, s) in sheets.enumerated() { out.append(("xl/worksheets/sheet\(i + 1).xml", sheetXML(s))) }
        return out
    }

    func sheetXML(_ s: Sheet) -> String {
        var x =
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        x +=
            "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        x += Self.colsXML(Self.widths(s))
        x += "<sheetData>"
        x += Self.rowXML(1, s.header.map { .text($0) }, header: true)
        for (i, r) in s.rows.enumerated() { x += Self.rowXML(i + 2, r, header: false) }
        return x + "</sheetData></worksheet>"
    }

    /// One row of a sheet. Text cells use the "@" (text) format so codes and ID numbers stay text when edited.
    static func rowXML(_ n: Int, _ cells: [Cell], header: Bool) -> String {
        var x = "<row r=\"\(n)\">"
        for (c, cell) in cells.enumerated() {
            let ref = column(c) + String(n)
            switch cell {
            case .empty: break
            case .text(let t): x += "<c r=\"\(ref)\" t=\"inlineStr\" s=\"\(header ? 1 : 2)\"><is><t xml:space=\"preserve\">\(escape(t))</t></is></c>"
            case .number(let v): x += "<c r=\"\(ref)\"><v>\(v)</v></c>"
            }
        }
        return x + "</row>"
    }

    /// Each column as wide as its widest cell (a Chinese character counts two), between 8 and 60.
    static func widths(_ s: Sheet) -> [Int] {
        var w = s.header.map(displayWidth)
        for r in s.rows {
            for (i, c) in r.enumerated() {
                let n: Int
                switch c {
                case .text(let t): n = displayWidth(t)
                case .number(let v): n = v.count
                case .empty: n = 0
                }
                if i < w.count { w[i] = max(w[i], n) } else { w.append(n) }
            }
        }
        return w.map { min(60, max(8, $0 + 2)) }
    }

    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }

    static func colsXML(_ widths: [Int]) -> String {
        guard !widths.isEmpty else { return "" }
        return "<cols>"
            + widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }
            .joined()
            + "</cols>"
    }

    /// A, B, … Z, AA, AB …
    static func column(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    /// Sheet names: at most 31 characters, none of []:*?/\.
    static func sheetName(_ name: String) -> String {
        String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
    }

    static func escape(_ s: String) -> String { escapeXML(s) }
}

/// Escapes text for XML and HTML element content and attribute values, and drops the control characters XML 1.0
/// forbids (tab, line feed and carriage return stay).
public func escapeXML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(c)
        default: if c.value >= 0x20 { out.unicodeScalars.append(c) }
        }
    }
    return out
}

/// One sheet written a row at a time to a temporary file and packed into a workbook at the end, so an export of
/// hundreds of thousands of rows never holds the sheet in memory. Same parts, styles and fixed timestamps as
/// `XLSXWriter`.
public final class XLSXSheetStream {
    let name: String
    let header: [String]
    let directory: URL
    let sheetFile: URL
    let out: FileHandle
    var rowNumber = 1
    var pending = ""

    public init(name: String, header: [String]) throws {
        self.name = name
        self.header = header
        directory = try PrivateFiles.directory()
        sheetFile = directory.appendingPathComponent("sheet.xml")
        try PrivateFiles.create(sheetFile)
        out = try FileHandle(forWritingTo: sheetFile)
        var x =
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        x +=
            "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        // Rows arrive one at a time: the columns are sized from their headers (ledger exports' values are short).
        x += XLSXWriter.colsXML(header.map { min(60, max(12, XLSXWriter.displayWidth($0) + 4)) })
        x += "<sheetData>"
        pending = x
        append(header.map { .text($0) }, headerStyle: true)
    }

    deinit {
        try? out.close()
        try? FileManager.default.removeItem(at: directory)
    }

    public func append(_ cells: [XLSXWriter.Cell], headerStyle: Bool = false) {
        pending += XLSXWriter.rowXML(rowNumber, cells, header: headerStyle)
        rowNumber += 1
        if pending.utf8.count > 1 << 18 { flush() }
    }

    func flush() {
        try? out.write(contentsOf: Data(pending.utf8))
        pending = ""
    }

    /// Packs the workbook and returns its bytes' location (inside a temporary folder removed with this object).
    public func finish() throws -> URL {
        pending += "</sheetData></worksheet>"
        flush()
        try out.synchronize()
        let file = directory.appendingPathComponent("book.xlsx")
        let archive = try Archive(url: file, accessMode: .create)
        let sheetPath = "xl/worksheets/sheet1.xml"
        for (path, text) in XLSXWriter(sheets: [.init(name: name, header: header, rows: [])]).parts() {
            if path == sheetPath {
                let reader = try FileHandle(forReadingFrom: sheetFile)
                defer { try? reader.close() }
                let size = Int64(try FileManager.default.attributesOfItem(atPath: sheetFile.path)[.size] as? NSNumber ?? 0)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: size, modificationDate: XLSXWriter.fixedDate,
                    compressionMethod: .deflate
                ) { position, chunk in
                    try reader.seek(toOffset: UInt64(position))
                    return try reader.read(upToCount: chunk) ?? Data()
                }
                continue
            }
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: XLSXWriter.fixedDate,
                compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return file
    }
}
