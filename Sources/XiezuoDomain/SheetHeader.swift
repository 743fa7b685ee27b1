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
        /// The header holds one of the field's names inside a longer text (就业企业名称 holds 就业企业): likely, and
        /// shown as such for the user to check.
        case partial
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

        /// The forms of a header key that say the same: without a leading 是否(为) or a trailing 名称, with 日期 and
        /// 时间 taken for each other.
        static func variants(_ key: String) -> [String] {
            var out = [key]
            for prefix in ["是否为", "是否"] where key.hasPrefix(prefix) && key.count > prefix.count + 1 {
                out.append(String(key.dropFirst(prefix.count)))
            }
            if key.hasSuffix("名称") && key.count > 3 { out.append(String(key.dropLast(2))) }
            for k in out {
                if k.hasSuffix("日期") { out.append(String(k.dropLast(2)) + "时间") }
                if k.hasSuffix("时间") { out.append(String(k.dropLast(2)) + "日期") }
            }
            return out
        }

        /// Words before a quantity that make it another quantity (计划投资额 is not the investment made).
        static let otherQuantity = ["计划", "预计", "拟", "目标", "合同", "应"]

        /// The field whose longest name (two characters or more) the header holds, if exactly one field has a name
        /// that long in it.
        func partial(_ key: String) -> Int? {
            let k = key.lowercased()
            guard k.count >= 3, !Self.otherQuantity.contains(where: { k.hasPrefix($0) }) else { return nil }
            var best = 0
            var fields = Set<Int>()
            for (name, f) in byKey where name.count >= 2 && name.count < k.count && k.contains(name) {
                if name.count > best {
                    best = name.count
                    fields = [f]
                } else if name.count == best {
                    fields.insert(f)
                }
            }
            return fields.count == 1 ? fields.first : nil
        }
    }

    /// What one row would be as the header (`above`: the row before it, for a two-row header).
    public static func candidate(_ row: [SheetCell], above: [SheetCell], rowIndex: Int, _ d: LedgerDefinition, _ names: Names) -> SheetHeader {
        var h = SheetHeader(rowIndex: rowIndex, columns: [:], headers: [:], units: [:])
        // A two-row header: group headings above, the fields below, and a field merged down over both rows (its
        // text in the upper row, the cell below it empty) — an empty cell takes the heading above it.
        let cells = (0..<max(row.count, above.count)).map { c in
            c < row.count && !SheetText.normalize(row[c].text).isEmpty ? row[c] : (c < above.count ? above[c] : SheetCell(""))
        }
        // Each column's match first; then fields are given out surest first (a partial name never takes a field
        // from a later column that names it outright), each field to its first column.
        var found: [(column: Int, field: Int, how: HeaderMatch)] = []
        var unmatched: [Int] = []
        for (c, cell) in cells.enumerated() {
            let keys = SheetText.headerKeys(cell.text)
            guard !keys[0].isEmpty else { continue }
            let mapped = names.mapped[SheetText.headerKey(cell.text)]
            let exact = mapped ?? keys.lazy.compactMap({ names.field($0) }).first
            let variant = exact ?? keys.lazy.flatMap(Names.variants).compactMap({ names.field($0) }).first
            let partial = variant == nil ? keys.lazy.flatMap(Names.variants).compactMap({ names.partial($0) }).first : nil
            guard let f = variant ?? partial else {
                unmatched.append(c)
                continue
            }
            let how: HeaderMatch = mapped != nil ? .mapped : partial != nil ? .partial : names.labels[keys[0].lowercased()] == f ? .label : .synonym
            found.append((c, f, how))
        }
        var taken = Set<Int>()
        for m in found.filter({ $0.how != .partial }) + found.filter({ $0.how == .partial }) {
            guard !taken.contains(m.field) else {
                unmatched.append(m.column)
                continue
            }
            taken.insert(m.field)
            h.columns[m.column] = m.field
            h.how[m.column] = m.how
            h.headers[m.column] = SheetText.normalize(cells[m.column].text)
            if case .money(let own) = d.fields[m.field].kind { h.units[m.column] = SheetText.unit(ofHeader: cells[m.column].text) ?? own }
        }
        for c in unmatched {
            // A row-number column (序号) holds nothing to keep: not worth a warning.
            let keys = SheetText.headerKeys(cells[c].text)
            if !Self.rowNumberHeaders.contains(keys[0]) { h.ignored[c] = SheetText.normalize(cells[c].text) }
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
