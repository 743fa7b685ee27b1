import Foundation
import SQLKit
import XiezuoDomain

/// An uploaded sheet kept between its preview and its import, with the column mapping and sheet chosen for it.
public struct StagedUpload: Sendable {
    public var id: Int64
    public var ledger: LedgerName
    public var fileName: String
    public var data: Data
    /// Header as written → field key: what the user chose in the preview (and what the office had confirmed).
    public var mapping: [String: String]
    public var sheet: String?

    public init(id: Int64, ledger: LedgerName, fileName: String, data: Data, mapping: [String: String], sheet: String?) {
        self.id = id
        self.ledger = ledger
        self.fileName = fileName
        self.data = data
        self.mapping = mapping
        self.sheet = sheet
    }
}

/// An uploaded sheet kept between its preview and its import (any instance may receive the confirmation).
extension Store {
    /// A staged upload lives at most this long: a preview left open is not a place to keep ID numbers.
    public static let stagedUploadLifetime: TimeInterval = 3600

    /// Keeps an uploaded sheet for its uploader only, sealed. Older stagings of the same user are dropped (one
    /// pending preview per user), and any past their lifetime.
    public func stageUpload(userId: Int64, ledger: LedgerName, fileName: String, data: Data, now: Date = Date()) async throws -> Int64 {
        let sealed = try cipher.encrypt(data: data)  // the raw sheet holds ID numbers in clear
        return try await backend.write { db in
            try await Self.purgeStagedUploads(db, now: now)
            try await db.raw("DELETE FROM ledger_uploads WHERE user_id = \(bind: userId)").run()
            return try await db.raw(
                """
                INSERT INTO ledger_uploads (user_id, ledger, file_name, content, created_at)
                VALUES (\(bind: userId), \(bind: ledger.rawValue), \(bind: fileName), \(bind: sealed), \(bind: Self.iso(now))) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
    }

    /// Removes staged uploads older than their lifetime (each new staging does this too).
    static func purgeStagedUploads(_ db: any SQLDatabase, now: Date) async throws {
        let cutoff = iso(now.addingTimeInterval(-stagedUploadLifetime))
        try await db.raw("DELETE FROM ledger_uploads WHERE created_at < \(bind: cutoff)").run()
    }

    public func stagedUpload(id: Int64, userId: Int64, now: Date = Date()) async throws -> StagedUpload? {
        let cipher = try self.cipher
        return try await backend.read { db in
            guard let r = try await db.raw("SELECT * FROM ledger_uploads WHERE id = \(bind: id) AND user_id = \(bind: userId)").first(),
                let ledger = LedgerName(rawValue: try r.decode(column: "ledger", as: String.self)),
                let created = Self.date(try r.decode(column: "created_at", as: String.self)),
                now.timeIntervalSince(created) <= Self.stagedUploadLifetime
            else { return nil }
            let data = try cipher.decrypt(data: try r.decode(column: "content", as: String.self))
            let mapping =
                (try? JSONDecoder().decode([String: String].self, from: Data(try r.decode(column: "mapping_json", as: String.self).utf8))) ?? [:]
            return StagedUpload(
                id: id, ledger: ledger, fileName: try r.decode(column: "file_name", as: String.self), data: data, mapping: mapping,
                sheet: try r.decode(column: "sheet", as: String?.self))
        }
    }

    public func dropUpload(id: Int64) async throws {
        try await backend.write { db in try await db.raw("DELETE FROM ledger_uploads WHERE id = \(bind: id)").run() }
    }
}
