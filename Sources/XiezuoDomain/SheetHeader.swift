/// Where the header is and which sheet column feeds which field.
public struct SheetHeader: Sendable, Hashable {
    public var rowIndex: Int  // 0-based among the rows looked at
    public var columns: [Int: Int]  // sheet column → field index
    public var headers: [Int: String]  // sheet column → its header text as written
    public var units: [Int: Money.Unit]  // money columns: the unit the header names (else the field's own)
    /// Columns with a header that feeds no field: their data are not imported, and the preview says so.
    public var ignored: [Int: String] = [:]

    /// Looks at the first rows for the one that names the most fields; it must name every required field.
    /// `mapping` (a header as written → a field key) decides first, for headers no synonym knows.
    public static func detect(
        _ rows: [[SheetCell]], definition d: LedgerDefinition, lang: Language = .zh, mapping: [String: String] = [:]
    ) -> Result<SheetHeader, CellIssue> {
        var best: SheetHeader?
        var bestCount = 0
        let mapped = Dictionary(
            mapping.compactMap { header, key in d.index(key).map { (SheetText.headerKey(header), $0) } }, uniquingKeysWith: { a, _ in a })
        for (i, row) in rows.enumerated() {
            var h = SheetHeader(rowIndex: i, columns: [:], headers: [:], units: [:])
            // A two-row header: group headings above, the fields below, and a field merged down over both rows
            // (its text in the upper row, the cell below it empty) — an empty cell takes the heading above it.
            let above = i > 0 ? rows[i - 1] : []
            let cells = (0..<max(row.count, above.count)).map { c in
                c < row.count && !SheetText.normalize(row[c].text).isEmpty ? row[c] : (c < above.count ? above[c] : SheetCell(""))
            }
            for (c, cell) in cells.enumerated() {
                let keys = SheetText.headerKeys(cell.text)
                guard !keys[0].isEmpty else { continue }
                guard let f = mapped[SheetText.headerKey(cell.text)] ?? keys.lazy.compactMap({ match($0, d) }).first, !h.columns.values.contains(f)
                else {
                    // A row-number column (序号) holds nothing to keep: not worth a warning.
                    if !Self.rowNumberHeaders.contains(keys[0]) { h.ignored[c] = SheetText.normalize(cell.text) }
                    continue
                }
                h.columns[c] = f
                h.headers[c] = SheetText.normalize(cell.text)
                if case .money(let own) = d.fields[f].kind { h.units[c] = SheetText.unit(ofHeader: cell.text) ?? own }
            }
            if h.columns.count > bestCount {
                best = h
                bestCount = h.columns.count
            }
        }
        guard let found = best, bestCount > 0 else {
            return .failure(
                CellIssue(
                    column: "", key: "ledger.no_header", params: [d.fields.filter(\.required).map { d.label($0.key, lang) }.joined(separator: "、")]))
        }
        let missing = d.fields.indices.filter { d.fields[$0].required && !found.columns.values.contains($0) }
        if !missing.isEmpty {
            return .failure(
                CellIssue(column: "", key: "ledger.missing_columns", params: [missing.map { d.label(d.fields[$0].key, lang) }.joined(separator: "、")])
            )
        }
        return .success(found)
    }

    static let rowNumberHeaders: Set<String> = ["序号", "编号", "行号", "No", "No.", "#"]

    static func match(_ key: String, _ d: LedgerDefinition) -> Int? {
        for (i, f) in d.fields.enumerated() {
            let names = [d.label(f.key, .zh), d.label(f.key, .en)] + f.synonyms
            if names.contains(where: { SheetText.headerKey($0) == key || SheetText.headerKey($0).lowercased() == key.lowercased() }) { return i }
        }
        return nil
    }
}
