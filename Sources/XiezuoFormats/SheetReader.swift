import Foundation
import XiezuoDomain

/// Why a sheet file cannot be read, said so that the user knows what to do.
public struct SheetFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String  // message key in the string tables
    public var detail: String
    public init(_ key: String, _ detail: String = "") {
        self.key = key
        self.detail = detail
    }
    public var description: String { "\(key) \(detail)" }
    public func message(_ lang: Language) -> String { Strings.text(key, lang, [detail]) }
}

/// The rows of a sheet, one at a time: its own row number and its cells by column (blank cells as empty text).
public protocol SheetRows {
    mutating func next() throws -> (row: Int, cells: [SheetCell])?
    /// How far through the file, 0…1, for progress bars.
    var fraction: Double { get }
}

public enum SheetFormat: String, Sendable { case xlsx, csv }

public enum SheetFiles {
    /// Limits that keep a hostile or broken file from exhausting the machine.
    public struct Limits: Sendable {
        public var maxUnpackedSheet: Int64 = 4 << 30  // 4 GiB of sheet XML (500,000 rows take about 150 MB)
        public var maxSharedStrings: Int64 = 256 << 20  // held in memory: a 500,000-row sheet's take about 30 MB
        /// All members of one file together, whatever its compressed size allows (`InflateBudget`).
        public var maxInflated: Int64 = 5 << 30
        /// Where a workbook is unpacked while it is read (the system's temporary directory unless set).
        public var workDirectory: URL?
        public var maxCellText = 1 << 20  // Excel itself stops at 32,767 characters
        public init() {}
    }

    /// An Excel 97-2003 workbook begins with the compound-file signature.
    static func isLegacyWorkbook(_ head: Data) -> Bool { head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) }

    /// Opens a sheet file by its content (a zip is XLSX, anything else is read as CSV).
    /// `sheet`: which worksheet of a workbook, by its name or its position from 1 (the first when nil).
    public static func open(_ url: URL, limits: Limits = Limits(), sheet: String? = nil) throws -> any SheetRows {
        let head =
            (try? FileHandle(forReadingFrom: url)).flatMap { h in
                defer { try? h.close() }
                return try? h.read(upToCount: 4)
            } ?? Data()
        if head.starts(with: [0x50, 0x4B]) { return try XLSXSheetReader(url: url, limits: limits, sheet: sheet) }
        if isLegacyWorkbook(head) {
            // An Excel 97-2003 workbook: converted to .xlsx, which is read (into its own files) and then removed.
            let work = try PrivateFiles.directory(in: limits.workDirectory)
            defer { try? FileManager.default.removeItem(at: work) }
            return try XLSXSheetReader(url: try LegacyWorkbook.convert(url, into: work), limits: limits, sheet: sheet)
        }
        return try CSVSheetReader(url: url, limits: limits)
    }
}

/// Reads the first worksheet of an XLSX workbook as a stream. The worksheet is unpacked to a temporary file (with
/// its size capped) and scanned from there; only the shared-string table is held in memory, as Excel itself does.
public final class XLSXSheetReader: SheetRows {
    var scanner: XMLScanner
    let sharedStrings: [String]
    let handle: FileHandle
    let tempDirectory: URL
    let total: Double
    let maxCellText: Int
    var ended = false
    var fallbackRow = 0
    /// Cell styles that show a date, in a workbook that counts days from 1904 (Excel for Mac): their serials are
    /// moved to the 1900 count every reader of a date cell expects. Empty for the usual 1900 workbooks.
    var dateStyles1904: Set<Int> = []

    public init(url: URL, limits: SheetFiles.Limits = .init(), sheet: String? = nil) throws {
        let archive: ZipReader
        do { archive = try ZipReader(url: url) } catch ZipReader.Failure.notZip { throw SheetFileError("sheet.not_zip") } catch {
            throw SheetFileError("sheet.truncated")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)??.int64Value ?? 0
        let budget = InflateBudget(compressedSize: size, absolute: limits.maxInflated)
        let sheetPath: String?
        do { sheetPath = try Self.sheetPath(archive, budget: budget, choice: sheet) } catch let e as SheetFileError { throw e } catch {
            throw Self.translate(error)
        }
        guard let sheetPath, let sheetEntry = archive[sheetPath] else { throw SheetFileError("sheet.no_sheet") }
        do { dateStyles1904 = try Self.dateStyles1904(archive, budget: budget) } catch let e as InflateLimitExceeded { throw Self.translate(e) } catch
        {
            dateStyles1904 = []
        }
        tempDirectory = try PrivateFiles.directory(in: limits.workDirectory)
        maxCellText = limits.maxCellText
        do {
            if let ss = archive["xl/sharedStrings.xml"] {
                let file = tempDirectory.appendingPathComponent("strings.xml")
                try Self.unpack(archive, ss, to: file, cap: limits.maxSharedStrings, budget: budget)
                sharedStrings = try Self.readSharedStrings(file, maxText: limits.maxCellText)
                try? FileManager.default.removeItem(at: file)
            } else {
                sharedStrings = []
            }
            let file = tempDirectory.appendingPathComponent("sheet.xml")
            try Self.unpack(archive, sheetEntry, to: file, cap: limits.maxUnpackedSheet, budget: budget)
            handle = try FileHandle(forReadingFrom: file)
            total = Double((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)??.int64Value ?? 1)
            scanner = XMLScanner.reading(handle, maxText: limits.maxCellText)
        } catch {
            try? FileManager.default.removeItem(at: tempDirectory)
            throw Self.translate(error)
        }
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: tempDirectory)
    }

    public var fraction: Double { total > 0 ? min(1, Double((try? handle.offset()) ?? 0) / total) : 1 }

    static func translate(_ error: any Error) -> SheetFileError {
        if let e = error as? SheetFileError { return e }
        if let e = error as? ZipReader.Failure {
            if case .unsupported(let what) = e { return SheetFileError("sheet.malformed", what) }
            return SheetFileError("sheet.truncated")
        }
        if let e = error as? InflateLimitExceeded {
            return e.memberCap ? SheetFileError("sheet.too_big", String(e.megabytes)) : SheetFileError("archive.inflate", String(e.megabytes))
        }
        if let e = error as? XMLScanner.Failure {
            switch e {
            case .doctype: return SheetFileError("sheet.doctype")
            case .textTooLong(let n): return SheetFileError("sheet.cell_too_long", String(n))
            case .truncated: return SheetFileError("sheet.truncated")
            case .malformed(let what): return SheetFileError("sheet.malformed", what)
            case .tooDeep(let n): return SheetFileError("sheet.malformed", "nested deeper than \(n)")
            }
        }
        return SheetFileError("sheet.broken", String(describing: error).prefix(200).description)
    }

    /// Unpacks one entry to a private file, refusing more than `cap` bytes whatever the entry's header claims.
    static func unpack(_ archive: ZipReader, _ entry: ZipReader.Member, to file: URL, cap: Int64, budget: InflateBudget) throws {
        do {
            try archive.boundedCopy(entry, to: file, cap: cap, budget: budget)
        } catch let e as InflateLimitExceeded {
            throw translate(e)
        } catch {
            throw SheetFileError("sheet.truncated")
        }
    }

    /// The workbook's sheets in their order, by name and relationship id (workbook.xml).
    static func sheets(_ archive: ZipReader, budget: InflateBudget) throws -> [(name: String, relId: String?)] {
        guard let e = archive["xl/workbook.xml"] else { return [] }
        let wb: Data
        do { wb = try archive.boundedData(e, cap: 8 << 20, budget: budget) } catch let e as InflateLimitExceeded { throw e } catch { return [] }
        var sheets: [(name: String, relId: String?)] = []
        var s = XMLScanner(maxText: 1 << 20, read: Self.once(wb))
        while let e = try s.next() {
            if case .start("sheet", let a, _) = e { sheets.append((a["name"] ?? "", a["id"])) }
        }
        return sheets
    }

    /// The path of the workbook's sheet chosen by name or position (the first without a choice), through
    /// workbook.xml and its relationships; sheet1.xml otherwise. A choice that names no sheet is refused with the
    /// sheets there are.
    static func sheetPath(_ archive: ZipReader, budget: InflateBudget, choice: String?) throws -> String? {
        func small(_ path: String) throws -> Data? {
            guard let e = archive[path] else { return nil }
            do { return try archive.boundedData(e, cap: 8 << 20, budget: budget) } catch let e as InflateLimitExceeded { throw e } catch {
                return nil
            }
        }
        let sheets = try Self.sheets(archive, budget: budget)
        var relId = sheets.first?.relId
        if let choice = choice?.trimmingCharacters(in: .whitespaces), !choice.isEmpty {
            let picked =
                sheets.first { $0.name == choice } ?? Int(choice).flatMap { n in sheets.indices.contains(n - 1) ? sheets[n - 1] : nil }
            guard let picked else {
                throw SheetFileError("sheet.no_such_sheet", sheets.map(\.name).joined(separator: "、"))
            }
            relId = picked.relId
        }
        if let relId, let rels = try small("xl/_rels/workbook.xml.rels") {
            var s = XMLScanner(maxText: 1 << 20, read: Self.once(rels))
            while let e = try s.next() {
                if case .start("Relationship", let a, _) = e, a["Id"] == relId, var target = a["Target"] {
                    if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
                    return target
                }
            }
        }
        if archive["xl/worksheets/sheet1.xml"] != nil { return "xl/worksheets/sheet1.xml" }
        return archive.members.keys.filter { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }.sorted().first
    }

    /// The cell styles (indices into cellXfs) whose number format shows a date, if the workbook uses the 1904 date
    /// system; empty otherwise. A date format is one of Excel's built-in date formats (14-22, 27-36 and 50-58 in
    /// Chinese editions, 45-47) or a custom one with a year, month or day part outside quotes and brackets.
    static func dateStyles1904(_ archive: ZipReader, budget: InflateBudget) throws -> Set<Int> {
        func small(_ path: String) throws -> Data? {
            guard let e = archive[path] else { return nil }
            return try archive.boundedData(e, cap: 8 << 20, budget: budget)
        }
        guard let wb = try small("xl/workbook.xml") else { return [] }
        var uses1904 = false
        var s = XMLScanner(maxText: 1 << 20, read: Self.once(wb))
        while let e = try s.next() {
            if case .start("workbookPr", let a, _) = e, let v = a["date1904"] { uses1904 = v == "1" || v.lowercased() == "true" }
        }
        guard uses1904, let styles = try small("xl/styles.xml") else { return [] }
        var custom: [Int: Bool] = [:]
        var formats: [Int] = []
        var inCellXfs = false
        var t = XMLScanner(maxText: 1 << 20, read: Self.once(styles))
        while let e = try t.next() {
            switch e {
            case .start("numFmt", let a, _):
                if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { custom[id] = isDateFormat(code) }
            case .start("cellXfs", _, let closing): inCellXfs = !closing
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let a, _) where inCellXfs: formats.append(a["numFmtId"].flatMap { Int($0) } ?? 0)
            default: break
            }
        }
        let builtIn = Set(Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))
        return Set(formats.indices.filter { custom[formats[$0]] ?? builtIn.contains(formats[$0]) })
    }

    /// Whether a custom number format shows a date: a y, m or d outside quoted text and [brackets] (m alone may be
    /// minutes, so a format with h or s is a time unless it also has y or d).
    static func isDateFormat(_ code: String) -> Bool {
        var plain = ""
        var quoted = false
        var bracket = false
        var escaped = false
        for c in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch c {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default: if !quoted && !bracket { plain.append(c) }
            }
        }
        return plain.contains("y") || plain.contains("d") || (plain.contains("m") && !plain.contains("h") && !plain.contains("s"))
    }

    static func once(_ data: Data) -> () throws -> Data? {
        nonisolated(unsafe) var given = false
        return {
            if given { return nil }
            given = true
            return data
        }
    }

    /// The shared-string table: each <si>'s text runs joined, phonetic guides (<rPh>) left out.
    static func readSharedStrings(_ file: URL, maxText: Int) throws -> [String] {
        let h = try FileHandle(forReadingFrom: file)
        defer { try? h.close() }
        var s = XMLScanner.reading(h, maxText: maxText)
        var out: [String] = []
        var current = ""
        var inT = false
        var inPhonetic = false
        var inSI = false
        while let e = try s.next() {
            switch e {
            case .start(let name, _, let closing):
                if name == "si" {
                    inSI = true
                    current = ""
                    if closing {
                        out.append("")
                        inSI = false
                    }
                } else if name == "rPh" {
                    inPhonetic = !closing
                } else if name == "t" {
                    inT = !closing
                }
            case .end(let name):
                if name == "si" {
                    out.append(current)
                    inSI = false
                } else if name == "rPh" {
                    inPhonetic = false
                } else if name == "t" {
                    inT = false
                }
            case .text(let t):
                if inSI && inT && !inPhonetic {
                    current += t
                    if current.utf8.count > maxText { throw XMLScanner.Failure.textTooLong(maxText) }
                }
            }
        }
        return out
    }

    public func next() throws -> (row: Int, cells: [SheetCell])? {
        guard !ended else { return nil }
        do { return try nextRow() } catch { throw Self.translate(error) }
    }

    private func nextRow() throws -> (row: Int, cells: [SheetCell])? {
        var rowNumber: Int?
        var cells: [SheetCell] = []
        var column = 0
        var cellType = "n"
        var cellStyle = 0
        var cellColumn = 0
        var value = ""
        var inValue = false
        var inInline = false
        var inPhonetic = false
        var inCell = false
        while let e = try scanner.next() {
            switch e {
            case .start(let name, let a, let closing):
                switch name {
                case "row":
                    fallbackRow += 1
                    rowNumber = a.value("r").flatMap { Int($0) } ?? fallbackRow
                    fallbackRow = rowNumber!
                    cells = []
                    column = 0
                    if closing { return (rowNumber!, []) }
                case "c":
                    cellColumn = a.value("r").flatMap(Self.columnIndex) ?? column
                    cellType = a.value("t") ?? "n"
                    cellStyle = a.value("s").flatMap { Int($0) } ?? 0
                    value = ""
                    inCell = !closing
                    if closing { column = cellColumn + 1 }
                case "v": inValue = !closing
                case "is": inInline = !closing
                case "t": if inInline { inValue = !closing }
                case "rPh": inPhonetic = !closing
                default: break
                }
            case .end(let name):
                switch name {
                case "v", "t": inValue = false
                case "is": inInline = false
                case "rPh": inPhonetic = false
                case "c":
                    guard inCell else { break }
                    inCell = false
                    let cell: SheetCell
                    switch cellType {
                    case "s":
                        guard let i = Int(value), sharedStrings.indices.contains(i) else {
                            throw SheetFileError("sheet.malformed", "shared string \(value)")
                        }
                        cell = SheetCell(sharedStrings[i])
                    case "inlineStr", "str": cell = SheetCell(value)
                    case "b": cell = SheetCell(value == "1" ? "是" : "否")
                    case "e": cell = SheetCell("")
                    // An ISO 8601 date cell (Strict workbooks, some converters): its date part.
                    case "d": cell = SheetCell(String(value.prefix(10)))
                    default:
                        if !dateStyles1904.isEmpty, dateStyles1904.contains(cellStyle), let serial = Double(value) {
                            // 1904-01-01 is day 1462 of the 1900 count.
                            let moved = serial + 1462
                            cell = SheetCell(moved == moved.rounded() ? String(Int64(moved)) : String(moved), numeric: true)
                        } else {
                            cell = SheetCell(value, numeric: !value.isEmpty)
                        }
                    }
                    guard cellColumn < 16_384 else { throw SheetFileError("sheet.malformed", "column") }
                    if cellColumn >= cells.count { cells += Array(repeating: SheetCell(""), count: cellColumn - cells.count + 1) }
                    cells[cellColumn] = cell
                    column = cellColumn + 1
                case "row":
                    if let r = rowNumber { return (r, cells) }
                case "sheetData":
                    ended = true
                    return nil
                default: break
                }
            case .text(let t):
                if inCell && inValue && !inPhonetic {
                    value += t
                    if value.utf8.count > maxCellText { throw XMLScanner.Failure.textTooLong(maxCellText) }
                }
            }
        }
        // The document stopped before </sheetData>: the file was cut short.
        throw SheetFileError("sheet.truncated")
    }

    /// "BC12" → 54 (0-based column of a cell reference).
    static func columnIndex(_ ref: String) -> Int? {
        var n = 0
        var any = false
        for u in ref.utf8 {
            if u >= 65 && u <= 90 {
                n = n * 26 + Int(u - 64)
                any = true
            } else if u >= 97 && u <= 122 {
                n = n * 26 + Int(u - 96)
                any = true
            } else {
                break
            }
            if n > 20_000 { return nil }
        }
        return any ? n - 1 : nil
    }
}

/// Reads CSV as offices save it: UTF-8 (with or without a byte-order mark), UTF-16, or GBK from older Excel;
/// quoted fields with commas, doubled quotes and line breaks; comma, semicolon or tab as the separator.
/// The text is held as UTF-8 bytes (a CSV of 500,000 rows is some tens of megabytes).
public final class CSVSheetReader: SheetRows {
    let bytes: [UInt8]
    var pos = 0
    var row = 0
    let separator: UInt8
    let maxCell: Int

    public init(url: URL, limits: SheetFiles.Limits = .init()) throws {
        let b = try Self.load(url)
        bytes = b
        maxCell = limits.maxCellText
        let firstLine = b.prefix { $0 != 0x0A && $0 != 0x0D }
        let counts: [(UInt8, Int)] = [UInt8(ascii: ","), 0x09, UInt8(ascii: ";")].map { c in (c, firstLine.filter { $0 == c }.count) }
        separator = counts.max { $0.1 < $1.1 }.flatMap { $0.1 > 0 ? $0.0 : nil } ?? UInt8(ascii: ",")
    }

    public var fraction: Double { bytes.isEmpty ? 1 : Double(pos) / Double(bytes.count) }

    /// The file as UTF-8 bytes without a byte-order mark. Read outside the initialiser: a class initialiser that
    /// threw after reading the file leaked its bytes (seen by fuzz-csv's leak check).
    static func load(_ url: URL) throws -> [UInt8] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)??.intValue ?? 0
        guard size < 512 << 20 else { throw SheetFileError("sheet.too_big", "512") }
        // Foundation's reader leaks its buffer on an empty file (fuzz-csv's leak check, Fuzz/crashes/csv).
        guard size > 0 else { return [] }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw SheetFileError("sheet.broken", error.localizedDescription) }
        let decoded: String
        do { decoded = try DocumentText.decode([UInt8](data)) } catch { throw SheetFileError("sheet.encoding") }
        var b = Array(decoded.utf8)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        if b.contains(0) { throw SheetFileError("sheet.not_text") }
        return b
    }

    public func next() throws -> (row: Int, cells: [SheetCell])? {
        guard pos < bytes.count else { return nil }
        row += 1
        var cells: [SheetCell] = []
        var field: [UInt8] = []
        var quoted = false
        var atStart = true
        let quote = UInt8(ascii: "\"")
        while pos < bytes.count {
            let c = bytes[pos]
            pos += 1
            if quoted {
                if c == quote {
                    if pos < bytes.count && bytes[pos] == quote {
                        field.append(quote)
                        pos += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
                if field.count > maxCell { throw SheetFileError("sheet.cell_too_long", String(maxCell)) }
                continue
            }
            if c == quote && atStart {
                quoted = true
                atStart = false
                continue
            }
            if c == separator {
                cells.append(Self.cell(field))
                field = []
                atStart = true
                continue
            }
            if c == 0x0A { break }
            if c == 0x0D {
                if pos < bytes.count && bytes[pos] == 0x0A { pos += 1 }
                break
            }
            field.append(c)
            atStart = false
            if field.count > maxCell { throw SheetFileError("sheet.cell_too_long", String(maxCell)) }
        }
        if quoted { throw SheetFileError("sheet.truncated") }
        cells.append(Self.cell(field))
        return (row, cells)
    }

    /// A field's text, without the apostrophe our export puts before formula-like cells.
    static func cell(_ field: [UInt8]) -> SheetCell {
        let text = String(decoding: field, as: UTF8.self)
        return SheetCell(field.first == UInt8(ascii: "'") ? FormulaGuard.unescape(text) : text)
    }
}

/// A sheet file read against a ledger: the file's rows through `LedgerSheetReader`, one ledger row at a time.
public struct LedgerFileRows: LedgerRowStream {
    var sheet: any SheetRows
    var reader: LedgerSheetReader
    var ready: [ParsedLedgerRow] = []
    var done = false

    public init(
        url: URL, definition: LedgerDefinition, regions: RegionDirectory, mapping: [String: String] = [:], sheet choice: String? = nil,
        limits: SheetFiles.Limits = .init()
    ) throws {
        // An .xls is converted once here, not once per sheet looked at.
        let work = try PrivateFiles.directory(in: limits.workDirectory)
        defer { try? FileManager.default.removeItem(at: work) }
        let file = try SheetFiles.readable(url, work: work)
        let chosen = try choice ?? SheetFiles.firstSheetThatMaps(file, definition: definition, regions: regions, mapping: mapping, limits: limits)
        sheet = try SheetFiles.open(file, limits: limits, sheet: chosen)
        reader = LedgerSheetReader(definition: definition, regions: regions, mapping: mapping)
    }

    public var fraction: Double { sheet.fraction }
    public var ignoredColumns: [String] { reader.ignoredColumns }

    public mutating func nextRow() throws -> ParsedLedgerRow? {
        while ready.isEmpty {
            guard !done else { return nil }
            if let (n, cells) = try sheet.next() {
                ready = try reader.feed(rowNumber: n, cells)
            } else {
                done = true
                try reader.finish()
            }
        }
        return ready.removeFirst()
    }
}
