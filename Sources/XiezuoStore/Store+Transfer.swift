import Crypto
import Foundation
import SQLKit

/// Whole-database copies between files and backends: `xiezuo backup`, `xiezuo restore` and `xiezuo migrate --to`.
/// The copy is logical — every table's rows by column name, integers and texts kept as such — so it moves between
/// SQLite and PostgreSQL alike, and per-table row counts and checksums prove that nothing changed on the way.
public enum CellValue: Codable, Hashable, Sendable {
    case int(Int64)
    case text(String)
    case null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else {
            self = .text(try c.decode(String.self))
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .text(let s): try c.encode(s)
        case .null: try c.encodeNil()
        }
    }
    var canonical: String {
        switch self {
        case .int(let i): return "i\(i)"
        case .text(let s): return "t\(s.count):\(s)"
        case .null: return "n"
        }
    }
}

/// A backup that names a table or column the schema does not have (a damaged or forged file).
public enum TransferError: Error, Equatable, CustomStringConvertible {
    case unknownTable(String)
    case unknownColumn(String, String)
    public var description: String {
        switch self {
        case .unknownTable(let t): return "备份中的表不属于本数据库 / the backup names a table this schema does not have: \(t.prefix(80))"
        case .unknownColumn(let t, let c):
            return "备份中的列不属于本数据库 / the backup names a column this schema does not have: \(t.prefix(80)).\(c.prefix(80))"
        }
    }
}

public struct TableSummary: Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var rows: Int
    public var checksum: String
    public var description: String { "\(table): \(rows) rows, sha256 \(checksum.prefix(16))" }
}

extension Store {
    /// Every table, parents before children, so rows can be inserted in this order with foreign keys on.
    public static let tablesInOrder = [
        "schema_migrations", "app_meta", "regions", "indicators", "pairings", "agreements", "agreement_tasks", "targets",
        "projects", "transactions", "milestones", "progress", "progress_totals", "meetings", "documents", "document_grams",
        "users", "sessions", "login_throttle", "api_tokens", "meeting_attendees", "itinerary_stops", "decisions",
        "follow_up_tasks", "task_updates", "assessments", "ledger_rows", "ledger_uploads", "sheet_mappings", "pace_profiles", "inbox_reads",
        "rounds", "round_members", "change_requests", "attachments", "attachment_chunks",
        "webhooks", "webhook_deliveries",
        "audit_log",
    ]

    /// Tables a backup leaves out: the data's version belongs to the database it counts the writes of (a restore
    /// moves it on, like any write, so nothing kept in memory from before is served after).
    /// SQLite's keyword index (FTS5 and its shadow tables) is not data either: it is made from ledger_rows as they
    /// are written (PostgreSQL's is a generated column, which `columns` leaves out).
    public static let notCopied: Set<String> = [
        "data_version", "ledger_search", "ledger_search_data", "ledger_search_idx", "ledger_search_config", "ledger_search_backlog",
    ]

    /// The tables the database actually has (to check that the lists above miss none).
    public func tableNames() async throws -> Set<String> {
        let sql: SQLQueryString =
            backend.dialect == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        return Set(try await backend.read { db in try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) } })
    }

    /// Column names in table order, each marked integer or not, from the database's own catalogue.
    func columns(_ table: String, _ db: any SQLDatabase) async throws -> [(String, Bool)] {
        if backend.dialect == .sqlite {
            return try await db.raw("SELECT name, type FROM pragma_table_info(\(bind: table)) ORDER BY cid").all().map {
                let type = try $0.decode(column: "type", as: String.self).uppercased()
                return (try $0.decode(column: "name", as: String.self), type.contains("INT"))
            }
        }
        return try await db.raw(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table) AND is_generated = 'NEVER' ORDER BY ordinal_position
            """
        ).all().map {
            let type = try $0.decode(column: "data_type", as: String.self)
            return (try $0.decode(column: "column_name", as: String.self), type.contains("int"))
        }
    }

    /// A table's rows, in a stable order (by every column), as cells.
    public func rows(of table: String) async throws -> (columns: [String], rows: [[CellValue]]) {
        try await backend.read { db in
            let cols = try await columns(table, db)
            let order = (1...max(1, cols.count)).map(String.init).joined(separator: ", ")
            let rows = try await db.raw("SELECT * FROM \(unsafeRaw: table) ORDER BY \(unsafeRaw: order)").all().map { r in
                try cols.map { name, isInt -> CellValue in
                    if isInt { return try r.decode(column: name, as: Int64?.self).map(CellValue.int) ?? .null }
                    return try r.decode(column: name, as: String?.self).map(CellValue.text) ?? .null
                }
            }
            return (cols.map(\.0), rows)
        }
    }

    public func summary(of table: String) async throws -> TableSummary {
        let (_, rows) = try await self.rows(of: table)
        var hash = SHA256()
        for line in rows.map({ $0.map(\.canonical).joined(separator: "\u{1F}") }).sorted() { hash.update(data: Data((line + "\n").utf8)) }
        return TableSummary(table: table, rows: rows.count, checksum: hexString(hash.finalize()))
    }

    public func summaries() async throws -> [TableSummary] {
        var out: [TableSummary] = []
        for t in Self.tablesInOrder { out.append(try await summary(of: t)) }
        return out
    }

    /// True when the database holds nothing but what migrating puts there (reference data).
    public func holdsOnlyReferenceData() async throws -> Bool {
        try await backend.read { db in
            for t in ["users", "projects", "agreements", "progress", "documents", "meetings", "ledger_rows", "audit_log"] {
                let n = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: t)").first()!.decode(column: "n", as: Int.self)
                if t == "audit_log" {
                    // seeding records its pairings; anything else is user data
                    let other = try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity <> 'pairing' AND entity <> 'region'").first()!
                        .decode(column: "n", as: Int.self)
                    if other > 0 { return false }
                } else if n > 0 {
                    return false
                }
            }
            return true
        }
    }

    /// Replaces every table's rows with the given ones, in one transaction: all of it lands, or nothing changes.
    /// `progress` reports each table as it is written.
    public func replaceAll(
        with tables: [(table: String, columns: [String], rows: [[CellValue]])],
        progress: @Sendable (String, Int) -> Void = { _, _ in }
    ) async throws {
        let dialect = backend.dialect
        try await backend.write { db in
            // Table and column names come from the file: only the schema's own names are taken into SQL.
            for (table, columns, _) in tables {
                guard Self.tablesInOrder.contains(table) else { throw TransferError.unknownTable(table) }
                let known = Set(try await self.columns(table, db).map(\.0))
                if let odd = columns.first(where: { !known.contains($0) }) { throw TransferError.unknownColumn(table, odd) }
                if Set(columns).count != columns.count { throw TransferError.unknownColumn(table, "(repeated)") }
            }
            if dialect == .sqlite { try await db.raw("PRAGMA defer_foreign_keys = ON").run() }
            for t in Self.tablesInOrder.reversed() { try await db.raw("DELETE FROM \(unsafeRaw: t)").run() }
            for (table, columns, rows) in tables {
                let names = columns.joined(separator: ", ")
                let width = max(1, columns.count)
                let batch = max(1, 900 / width)
                for start in stride(from: 0, to: rows.count, by: batch) {
                    var q: SQLQueryString = "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: names)) VALUES "
                    q += rows[start..<min(start + batch, rows.count)].map { row -> SQLQueryString in
                        var v: SQLQueryString = "("
                        for (i, cell) in row.enumerated() {
                            if i > 0 { v += ", " }
                            switch cell {
                            case .int(let x): v += "\(bind: x)"
                            case .text(let s): v += "\(bind: s)"
                            case .null: v += "NULL"
                            }
                        }
                        return v + ")"
                    }.joined(separator: ", ")
                    try await db.raw(q).run()
                }
                // PostgreSQL's identity columns continue after the highest id copied in.
                if dialect == .postgres, columns.contains("id"), table != "schema_migrations" {
                    try await db.raw(
                        """
                        SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), COALESCE((SELECT MAX(id) FROM \(unsafeRaw: table)), 0) + 1, false)
                        """
                    ).run()
                }
                progress(table, rows.count)
            }
        }
    }
}
