/// One cell as a sheet gives it: its text, and whether the sheet stored it as a number (Excel dates and amounts).
public struct SheetCell: Sendable, Hashable {
    public var text: String
    public var numeric: Bool
    public init(_ text: String, numeric: Bool = false) {
        self.text = text
        self.numeric = numeric
    }
}

/// A problem with one cell (or a whole row when `column` is empty), as a message key.
public struct CellIssue: Error, Sendable, Hashable, Codable {
    public var column: String  // the sheet's header text for the column, or the field label
    public var key: String
    public var params: [String]
    public init(column: String, key: String, params: [String] = []) {
        self.column = column
        self.key = key
        self.params = params
    }
    public func message(_ lang: Language) -> String { Strings.text(key, lang, params) }
}

/// One data row of a sheet read against a ledger: canonical values ("" where the cell was blank) and the problems
/// found in its cells. `rowNumber` is the sheet's own row number, as a spreadsheet shows it.
public struct ParsedLedgerRow: Sendable, Hashable {
    public var rowNumber: Int
    public var values: [String]
    public var issues: [CellIssue]
    /// What the reader did that the office should know but that is not wrong (a former county name read as today's).
    public var notes: [CellIssue] = []
    public init(rowNumber: Int, values: [String], issues: [CellIssue], notes: [CellIssue] = []) {
        self.rowNumber = rowNumber
        self.values = values
        self.issues = issues
        self.notes = notes
    }
}
