import Foundation
import SQLKit
import XiezuoDomain

/// How an office's sheets name a ledger's columns, once it has said so: header as written → field key.
extension Store {
    public func sheetMapping(office regionCode: String, ledger: LedgerName) async throws -> [String: String] {
        try await backend.read { db in
            var out: [String: String] = [:]
            for r in try await db.raw(
                "SELECT header, field FROM sheet_mappings WHERE region_code = \(bind: regionCode) AND ledger = \(bind: ledger.rawValue)"
            ).all() {
                out[try r.decode(column: "header", as: String.self)] = try r.decode(column: "field", as: String.self)
            }
            return out
        }
    }

    /// Remembers the mappings an import was confirmed with (a header mapped again replaces its earlier field).
    public func rememberSheetMapping(office regionCode: String, ledger: LedgerName, _ mapping: [String: String], actor: Actor) async throws {
        guard !mapping.isEmpty else { return }
        let now = Self.now()
        try await backend.write { db in
            for (header, field) in mapping.sorted(by: { $0.key < $1.key }) {
                let before = try await db.raw(
                    """
                    SELECT field FROM sheet_mappings WHERE region_code = \(bind: regionCode) AND ledger = \(bind: ledger.rawValue) AND header = \(bind: header)
                    """
                ).first().map { try $0.decode(column: "field", as: String.self) }
                guard before != field else { continue }
                try await db.raw(
                    """
                    DELETE FROM sheet_mappings WHERE region_code = \(bind: regionCode) AND ledger = \(bind: ledger.rawValue) AND header = \(bind: header)
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO sheet_mappings (region_code, ledger, header, field, updated_by, updated_at)
                    VALUES (\(bind: regionCode), \(bind: ledger.rawValue), \(bind: header), \(bind: field), \(bind: actor.name), \(bind: now))
                    """
                ).run()
                let id = "\(regionCode)/\(ledger.rawValue)/\(header)"
                try await Self.audit(
                    db, actor, entity: "sheet_mapping", id: id, action: before == nil ? "create" : "update", before: before.map { ["field": $0] },
                    after: ["field": field])
            }
        }
    }

    /// Sets the mapping and sheet a staged upload is previewed and imported with (its uploader's only).
    public func updateStagedUpload(id: Int64, userId: Int64, mapping: [String: String], sheet: String?) async throws {
        try await backend.write { db in
            try await db.raw(
                """
                UPDATE ledger_uploads SET mapping_json = \(bind: CanonicalJSON.object(mapping)), sheet = \(bind: sheet)
                WHERE id = \(bind: id) AND user_id = \(bind: userId)
                """
            ).run()
        }
    }
}
