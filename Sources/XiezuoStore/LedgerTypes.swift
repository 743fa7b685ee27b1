import Foundation
import SQLKit
import XiezuoDomain

/// One stored ledger row, with personal data decrypted (callers mask it for whoever may not see it).
public struct LedgerRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var ledger: LedgerName
    public var values: [String]
    public var countyCode: String
    public var date: String
    public var state: ProgressState
    public var reviewComment: String
    public var version: Int64
    public var updatedAt: String
}

public struct LedgerFilter: Sendable, Hashable {
    public var regionCode: String?
    public var from: Day?
    public var to: Day?
    public var year: Int?
    public var state: ProgressState?
    public var query: String?
    /// Choice and flag fields that must hold a value (field key → stored value), e.g. kind = official.
    public var fields: [String: String]
    /// The caller's scope, required.
    public var scope: RegionScope
    public init(
        regionCode: String? = nil, from: Day? = nil, to: Day? = nil, year: Int? = nil, state: ProgressState? = nil,
        query: String? = nil, fields: [String: String] = [:], scope: RegionScope
    ) {
        self.regionCode = regionCode
        self.from = from
        self.to = to
        self.year = year
        self.state = state
        self.query = query
        self.fields = fields
        self.scope = scope
    }
}

/// What an import does with a row. `repeated`: the file holds the same record in an earlier row (same natural key);
/// the two are one record, counted once, and anything the later row adds is merged in.
public enum LedgerOutcome: String, Sendable, Codable { case added, updated, unchanged, repeated, rejected }

public struct LedgerRowOutcome: Sendable, Hashable, Codable {
    public var row: Int
    public var outcome: LedgerOutcome
    public var issues: [CellIssue]
    /// The row's values as they would be stored (personal data masked), for the preview table.
    public var values: [String]
}

/// What an import did or would do: counts of each outcome and the rows to show (every rejected row up to a limit,
/// then the first rows of the other outcomes).
public struct LedgerImportReport: Sendable, Codable {
    public var ledger: LedgerName
    public var added = 0, updated = 0, unchanged = 0, repeated = 0, rejected = 0
    public var rows: [LedgerRowOutcome] = []
    public var unlistedRejected = 0
    /// The sheet's columns whose data are not imported (no field takes them), as "C 备注".
    public var ignoredColumns: [String] = []
    public var committed = false
    public var total: Int { added + updated + unchanged + repeated + rejected }
    /// The listed rows as they are shown: rejected ones first, each group in sheet order.
    public var rejectedFirst: [LedgerRowOutcome] {
        rows.sorted { ($0.outcome == .rejected ? 0 : 1, $0.row) < ($1.outcome == .rejected ? 0 : 1, $1.row) }
    }
    public static let listLimit = 1000
}

/// Thrown out of the import transaction when any row is rejected, so that nothing is written.
public struct LedgerImportRejected: Error, Sendable { public var report: LedgerImportReport }
