import Foundation
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// A ledger as a sheet: Chinese headers, the chosen columns, the rows a filter selects, codes with their names
/// (a county as 白云区（520113）, a choice by its name), amounts as exact numbers in the column's unit, ID numbers
/// and phones as text. Importing an unchanged export changes nothing.
public enum LedgerExport {
    public enum Format: String, Sendable, CaseIterable { case xlsx, csv }

    public struct Result: Sendable {
        public var file: URL  // a private temporary file alone in its directory; the caller reads it, then removes the directory
        public var rows: Int
        public var revealed: Bool  // whether any personal data went out in full
    }

    /// A county as exports and templates write it: its name, with the code that tells apart names several
    /// provinces share (白云区（520113）).
    public static func countyCell(_ r: Region) -> String { "\(r.name)（\(r.code)）" }

    public static func header(_ d: LedgerDefinition, _ columns: [Int]) -> [String] {
        columns.map { d.label(d.fields[$0].key, .zh) }
    }

    /// One row's cells as text (what CSV writes) and whether each is a number (what XLSX writes as a number).
    public static func cells(_ d: LedgerDefinition, _ r: LedgerRecord, _ columns: [Int], regions: [String: Region], reveal: Bool) -> [(String, Bool)]
    {
        columns.map { i in
            let f = d.fields[i]
            let v = r.values[i]
            guard !v.isEmpty else { return ("", false) }
            switch f.kind {
            case .county: return (regions[v].map(countyCell) ?? v, false)
            case .money, .integer: return (LedgerValue.display(v, field: f, lang: .zh), true)
            default: return (LedgerValue.display(v, field: f, lang: .zh, reveal: reveal), false)
            }
        }
    }

    /// Writes every row the filter selects, a slice at a time (a ledger of any size passes in bounded memory).
    public static func write(
        store: Store, ledger: LedgerName, filter: LedgerFilter, columns: [Int]?, format: Format,
        reveal: @Sendable (String) -> Bool, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Result {
        let d = ledger.definition
        let cols = columns ?? Array(d.fields.indices)
        let regions = try await store.regionIndex()
        var count = 0
        var revealedAny = false
        var last: Int64 = 0
        let personal = cols.contains { d.fields[$0].kind.isPersonal }
        /// Every selected row's cells, in id order, 2,000 rows a query.
        func each(_ body: ([(String, Bool)]) throws -> Void) async throws {
            while true {
                let rows = try await store.ledgerRows(ledger, filter, afterId: last, limit: 2000)
                guard let end = rows.last else { return }
                for r in rows {
                    let full = personal && reveal(r.countyCode)
                    revealedAny = revealedAny || full
                    try body(cells(d, r, cols, regions: regions, reveal: full))
                }
                count += rows.count
                last = end.id
                progress(count)
            }
        }
        switch format {
        case .xlsx:
            let sheet = try XLSXSheetStream(name: ledger.title(.zh), header: header(d, cols))
            try await each { cells in sheet.append(cells.map { $0.0.isEmpty ? .empty : ($0.1 ? .number($0.0) : .text($0.0)) }) }
            let built = try sheet.finish()
            let out = try PrivateFiles.directory().appendingPathComponent("export.xlsx")
            try FileManager.default.copyItem(at: built, to: out)
            return Result(file: out, rows: count, revealed: revealedAny)
        case .csv:
            let out = try PrivateFiles.directory().appendingPathComponent("export.csv")
            try PrivateFiles.create(out)
            let h = try FileHandle(forWritingTo: out)
            defer { try? h.close() }
            // The byte-order mark tells Excel the file is UTF-8.
            try h.write(contentsOf: Data(("\u{FEFF}" + header(d, cols).map(csvField).joined(separator: ",") + "\r\n").utf8))
            var buffer = ""
            try await each { cells in
                buffer +=
                    zip(cols, cells).map { i, c in
                        // A leading tab keeps Excel from turning an ID number or phone into a rounded number.
                        d.fields[i].kind.isPersonal && !c.0.isEmpty ? csvField("\t" + c.0) : csvField(c.0)
                    }.joined(separator: ",") + "\r\n"
                if buffer.utf8.count > 1 << 18 {
                    try h.write(contentsOf: Data(buffer.utf8))
                    buffer = ""
                }
            }
            try h.write(contentsOf: Data(buffer.utf8))
            return Result(file: out, rows: count, revealed: revealedAny)
        }
    }

    /// A cell as CSV text. A cell that Excel or WPS would read as a formula (=, +, -, @, or a leading tab or
    /// carriage return) gets a leading apostrophe, so opening an export never runs what someone typed into a row;
    /// the import takes the apostrophe off again (`CSVSheetReader`). Plain numbers and our tab-guarded ID numbers
    /// stay as they are.
    static func csvField(_ s: String) -> String {
        let s = FormulaGuard.escape(s)
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
