/// Reading ledger sheets as offices write them: the header row found under title rows, columns matched by their
/// Chinese names and synonyms, and each cell turned into the stored (canonical) form or a reason it cannot be.

/// The rows of a sheet already read against a ledger (the file side lives in XiezuoFormats).
public protocol LedgerRowStream {
    mutating func nextRow() throws -> ParsedLedgerRow?
    var fraction: Double { get }
    /// The sheet's columns that feed no field ("C 备注"), once the header is known.
    var ignoredColumns: [String] { get }
}

extension LedgerRowStream {
    public var ignoredColumns: [String] { [] }
}

/// Turns a stream of sheet rows into ledger rows: title rows above the header are skipped, the header is found in
/// the first 30 rows, blank rows and total rows (合计, 总计, 小计) are passed over.
public struct LedgerSheetReader: Sendable {
    public let definition: LedgerDefinition
    let regions: RegionDirectory
    let lang: Language
    /// The ledger's header names, and those the user has mapped (`--map`, or the preview's choice).
    let names: SheetHeader.Names
    var pending: [(Int, [SheetCell])] = []
    /// The row among `pending` that names the most fields so far (for the message when no header is found).
    public private(set) var best: SheetHeader?
    public private(set) var header: SheetHeader?
    /// Rows looked at so far while the header is being looked for.
    public var rowsLookedAt: Int { pending.count }

    public init(definition: LedgerDefinition, regions: RegionDirectory, lang: Language = .zh, mapping: [String: String] = [:]) {
        self.definition = definition
        self.regions = regions
        self.lang = lang
        names = SheetHeader.Names(definition, mapping: mapping)
    }

    /// The columns that feed no field, as a spreadsheet names them ("C 备注").
    public var ignoredColumns: [String] {
        (header?.ignored ?? [:]).sorted { $0.key < $1.key }.map { Self.columnName($0.key) + " " + $0.value }
    }

    /// Feeds one sheet row. Returns the data rows it completes (several when the header has just been found).
    public mutating func feed(rowNumber: Int, _ cells: [SheetCell]) throws(CellIssue) -> [ParsedLedgerRow] {
        guard let header else {
            // Each row is looked at once, as the header or the lower row of a two-row one: the first that names
            // every required field is the header.
            let h = SheetHeader.candidate(cells, above: pending.last?.1 ?? [], rowIndex: pending.count, definition, names)
            pending.append((rowNumber, cells))
            if h.columns.count > (best?.columns.count ?? 0) { best = h }
            if h.isComplete(definition) {
                self.header = h
                pending = []
                return []
            }
            if pending.count >= 30 { try finish() }
            return []
        }
        return parse(rowNumber, cells, header).map { [$0] } ?? []
    }

    /// Called at the end of the sheet: an error when no header was ever found.
    public func finish() throws(CellIssue) {
        guard header == nil else { return }
        if case .failure(let issue) = SheetHeader.judged(best, definition, lang) { throw issue }
        throw CellIssue(column: "", key: "ledger.empty_sheet")
    }

    static let totalWords: Set<String> = ["合计", "总计", "小计", "合 计", "总 计"]

    func parse(_ rowNumber: Int, _ cells: [SheetCell], _ h: SheetHeader) -> ParsedLedgerRow? {
        guard let first = cells.lazy.map({ SheetText.normalize($0.text) }).first(where: { !$0.isEmpty }) else { return nil }
        if Self.totalWords.contains(first) { return nil }
        var values = Array(repeating: "", count: definition.fields.count)
        var issues: [CellIssue] = []
        var notes: [CellIssue] = []
        for (column, f) in h.columns.sorted(by: { $0.key < $1.key }) where column < cells.count {
            let field = definition.fields[f]
            switch LedgerValue.parse(cells[column], field: field, unit: h.units[column], regions: regions) {
            case .success(let v):
                values[f] = v
                // A county written by a former name or code: read as today's, and said so.
                if field.kind == .county, let former = regions.formerUsed(in: cells[column].text, for: v), let today = regions.byCode[v] {
                    notes.append(
                        CellIssue(
                            column: Self.columnName(column) + " " + (h.headers[column] ?? ""), key: "ledger.former_county",
                            params: [former.name, today.name, today.code, String(former.changed)]))
                }
            case .failure(let p):
                issues.append(
                    CellIssue(
                        column: Self.columnName(column) + " " + (h.headers[column] ?? ""), key: p.key,
                        params: [SheetText.normalize(cells[column].text)] + p.params))
            }
        }
        return ParsedLedgerRow(rowNumber: rowNumber, values: values, issues: issues, notes: notes)
    }

    /// A, B, … Z, AA … — the column letters a spreadsheet shows.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}
