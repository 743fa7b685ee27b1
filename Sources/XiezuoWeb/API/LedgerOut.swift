import XiezuoDomain
import XiezuoStore

// Ledger rows and ledger imports in the API.

/// A row: values by field key (empty fields left out), personal data masked — the API never shows it in full.
struct LedgerRowOut: Codable, Sendable {
    let id: Int64
    let ledger: String
    let countyCode: String
    let date: String
    let state: String
    let version: Int64
    let values: [String: String]
    let updatedAt: String

    init(_ r: LedgerRecord) {
        let d = r.ledger.definition
        var values: [String: String] = [:]
        for (f, v) in zip(d.fields, r.values) where !v.isEmpty {
            values[f.key] = f.kind.isPersonal ? PersonalMask.mask(v, f.kind) : v
        }
        id = r.id
        ledger = r.ledger.rawValue
        countyCode = r.countyCode
        date = r.date
        state = r.state.rawValue
        version = r.version
        self.values = values
        updatedAt = r.updatedAt
    }
}

/// What an import (or its dry run) did, row by row, the rejected rows first.
struct LedgerImportOut: Codable, Sendable {
    struct Issue: Codable, Sendable {
        let column: String
        let code: String
        let message: String
    }
    struct Row: Codable, Sendable {
        let row: Int
        let outcome: String
        let issues: [Issue]
    }
    let ledger: String
    let committed: Bool
    let added: Int
    let updated: Int
    let unchanged: Int
    let repeated: Int
    let rejected: Int
    /// The sheet's columns whose data are not imported ("C 备注").
    let ignoredColumns: [String]
    let rows: [Row]

    init(_ report: LedgerImportReport, _ name: LedgerName, _ lang: Language) {
        ledger = name.rawValue
        committed = report.committed
        added = report.added
        updated = report.updated
        unchanged = report.unchanged
        repeated = report.repeated
        rejected = report.rejected
        ignoredColumns = report.ignoredColumns
        rows = report.rejectedFirst.map { o in
            Row(
                row: o.row, outcome: o.outcome.rawValue,
                issues: o.issues.map { Issue(column: $0.column, code: $0.key, message: $0.message(lang)) })
        }
    }
}
