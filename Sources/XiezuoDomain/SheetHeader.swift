/// Where the header is and which sheet column feeds which field.
public struct SheetHeader: Sendable, Hashable {
    public var rowIndex: Int  // 0-based among the rows looked at
    public var columns: [Int: Int]  // sheet column → field index
    public var headers: [Int: String]  // sheet column → its header text as written
    public var units: [Int: Money.Unit]  // money columns: the unit the header names (else the field's own)
    /// Columns with a header that feeds no field: their data are not imported, and the preview says so.
    public var ignored: [Int: String] = [:]
    /// How each mapped column was recognised, for the preview to say how sure it is.
    public var how: [Int: HeaderMatch] = [:]

    /// How a column's header was matched to its field, from the surest.
    public enum HeaderMatch: String, Sendable, Hashable {
        /// The field's own label, as written (after width, spaces, units and qualifiers are set aside).
        case label
        /// One of the field's synonyms, or one of the header's alternatives (采购单位/个人).
        case synonym
        /// A mapping the user gave (`--map`, the preview's choice) or the office confirmed before.
        case mapped
    }

    /// How a ledger's headers are recognised: every name and synonym of every field by its matching key (lower
    /// case), worked out once per ledger instead of for every cell of every row looked at.
    public struct Names: Sendable {
        let byKey: [String: Int]
        /// Each field's own labels (Chinese and English), by matching key.
        let labels: [String: Int]
        /// Headers the user has mapped to fields (`--map`, the preview's choice), by their matching key.
        let mapped: [String: Int]

        public init(_ d: LedgerDefinition, mapping: [String: String] = [:]) {
            var keys: [String: Int] = [:]
            for (i, f) in d.fields.enumerated() {
                for name in [d.label(f.key, .zh), d.label(f.key, .en)] + f.synonyms {
                    let k = SheetText.headerKey(name).lowercased()
                    if keys[k] == nil { keys[k] = i }  // a name two fields share belongs to the first
                }
            }
            byKey = keys
            var own: [String: Int] = [:]
            for (i, f) in d.fields.enumerated() {
                for name in [d.label(f.key, .zh), d.label(f.key, .en)] where own[SheetText.headerKey(name).lowercased()] == nil {
                    own[SheetText.headerKey(name).lowercased()] = i
                }
            }
            labels = own
            mapped = Dictionary(
                mapping.compactMap { header, key in d.index(key).map { (SheetText.headerKey(header), $0) } }, uniquingKeysWith: { a, _ in a })
        }

        func field(_ key: String) -> Int? { byKey[key.lowercased()] }
    }

    /// What one row would be as the header (`above`: the row before it, for a two-row header).
    public static func candidate(_ row: [SheetCell], above: [SheetCell], rowIndex: Int, _ d: LedgerDefinition, _ names: Names) -> SheetHeader {
        var h = SheetHeader(rowIndex: rowIndex, columns: [:], headers: [:], units: [:])
        // A two-row header: group headings above, the fields below, and a field merged down over both rows (its
        // text in the upper row, the cell below it empty) — an empty cell takes the heading above it.
        let cells = (0..<max(row.count, above.count)).map { c in
            c < row.count && !SheetText.normalize(row[c].text).isEmpty ? row[c] : (c < above.count ? above[c] : SheetCell(""))
        }
        var taken = Set<Int>()
        for (c, cell) in cells.enumerated() {
            let keys = SheetText.headerKeys(cell.text)
            guard !keys[0].isEmpty else { continue }
            let mapped = names.mapped[SheetText.headerKey(cell.text)]
            guard let f = mapped ?? keys.lazy.compactMap({ names.field($0) }).first, !taken.contains(f)
            else {
                // A row-number column (序号) holds nothing to keep: not worth a warning.
                if !Self.rowNumberHeaders.contains(keys[0]) { h.ignored[c] = SheetText.normalize(cell.text) }
                continue
            }
            taken.insert(f)
            h.columns[c] = f
            h.how[c] = mapped != nil ? .mapped : names.labels[keys[0].lowercased()] == f ? .label : .synonym
            h.headers[c] = SheetText.normalize(cell.text)
            if case .money(let own) = d.fields[f].kind { h.units[c] = SheetText.unit(ofHeader: cell.text) ?? own }
        }
        return h
    }

    /// Whether every required field has its column.
    public func isComplete(_ d: LedgerDefinition) -> Bool {
        d.fields.indices.allSatisfy { !d.fields[$0].required || columns.values.contains($0) }
    }

    /// Looks at the first rows for the one that names the most fields; it must name every required field.
    /// `mapping` (a header as written → a field key) decides first, for headers no synonym knows.
    public static func detect(
        _ rows: [[SheetCell]], definition d: LedgerDefinition, lang: Language = .zh, mapping: [String: String] = [:]
    ) -> Result<SheetHeader, CellIssue> {
        let names = Names(d, mapping: mapping)
        var best: SheetHeader?
        for (i, row) in rows.enumerated() {
            let h = candidate(row, above: i > 0 ? rows[i - 1] : [], rowIndex: i, d, names)
            if h.columns.count > (best?.columns.count ?? 0) { best = h }
        }
        return judged(best, d, lang)
    }

    /// The best candidate as a result: refused when it names nothing, or lacks a required field.
    static func judged(_ best: SheetHeader?, _ d: LedgerDefinition, _ lang: Language) -> Result<SheetHeader, CellIssue> {
        guard let found = best, !found.columns.isEmpty else {
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
}
