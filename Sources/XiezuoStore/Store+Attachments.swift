import Crypto
import Foundation
import SQLKit
import XiezuoDomain

public enum AttachmentError: Error, Equatable {
    case tooMany
}

/// Evidence files: added whole in one transaction (every piece or none), read back piece by piece, removed with
/// an audit record that keeps what the file was.
extension Store {
    static let chunkSize = 256 << 10

    static func attachment(from r: any SQLRow) throws -> Attachment {
        Attachment(
            id: try r.decode(column: "id", as: Int64.self),
            owner: AttachmentOwner(rawValue: try r.decode(column: "owner_kind", as: String.self)) ?? .project,
            ownerId: try r.decode(column: "owner_id", as: Int64.self), regionCode: try r.decode(column: "region_code", as: String.self),
            fileName: try r.decode(column: "file_name", as: String.self), contentType: try r.decode(column: "content_type", as: String.self),
            size: try r.decode(column: "size", as: Int64.self), sha256: try r.decode(column: "sha256", as: String.self),
            createdBy: try r.decode(column: "created_by", as: String?.self), createdAt: try r.decode(column: "created_at", as: String.self))
    }

    /// Stores `data` (its type already checked by content) for its owner.
    public func addAttachment(
        owner: AttachmentOwner, ownerId: Int64, regionCode: String, fileName: String, contentType: String, data: Data,
        isDemo: Bool = false, actor: Actor
    ) async throws -> Attachment {
        let cipher = try self.cipher
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let pieces = try stride(from: 0, to: data.count, by: Self.chunkSize).map { offset in
            let from = data.index(data.startIndex, offsetBy: offset)
            return try cipher.encrypt(data: data[from..<data.index(from, offsetBy: min(Self.chunkSize, data.count - offset))])
        }
        return try await backend.write { db in
            try await Self.checkDataKey(db, cipher)
            let count = try await db.raw(
                "SELECT COUNT(*) AS n FROM attachments WHERE owner_kind = \(bind: owner.rawValue) AND owner_id = \(bind: ownerId)"
            ).first()!.decode(column: "n", as: Int.self)
            if count >= Attachment.maxPerOwner { throw AttachmentError.tooMany }
            let now = Self.now()
            let id = try await db.raw(
                """
                INSERT INTO attachments (owner_kind, owner_id, region_code, file_name, content_type, size, sha256, created_by, created_at, is_demo)
                VALUES (\(bind: owner.rawValue), \(bind: ownerId), \(bind: regionCode), \(bind: fileName), \(bind: contentType),
                        \(bind: Int64(data.count)), \(bind: digest), \(bind: actor.name), \(bind: now), \(bind: isDemo ? 1 : 0)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            for (seq, piece) in pieces.enumerated() {
                try await db.raw(
                    "INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (\(bind: id), \(bind: seq), \(bind: piece))"
                ).run()
            }
            let saved = Attachment(
                id: id, owner: owner, ownerId: ownerId, regionCode: regionCode, fileName: fileName, contentType: contentType,
                size: Int64(data.count), sha256: digest, createdBy: actor.name, createdAt: now)
            try await Self.audit(db, actor, entity: "attachment", id: String(id), action: "create", before: Attachment?.none, after: saved)
            return saved
        }
    }

    public func attachment(id: Int64) async throws -> Attachment? {
        try await backend.read { db in try await db.raw("SELECT * FROM attachments WHERE id = \(bind: id)").first().map(Self.attachment) }
    }

    public func attachments(owner: AttachmentOwner, ownerId: Int64) async throws -> [Attachment] {
        try await backend.read { db in
            try await db.raw(
                "SELECT * FROM attachments WHERE owner_kind = \(bind: owner.rawValue) AND owner_id = \(bind: ownerId) ORDER BY id"
            ).all().map(Self.attachment)
        }
    }

    /// The files of many owners of one kind at once (an assessment package: every figure of a year).
    public func attachments(owner: AttachmentOwner, ownerIds: [Int64]) async throws -> [Attachment] {
        guard !ownerIds.isEmpty else { return [] }
        return try await backend.read { db in
            var out: [Attachment] = []
            for start in stride(from: 0, to: ownerIds.count, by: 500) {
                let part = Array(ownerIds[start..<min(start + 500, ownerIds.count)])
                out += try await db.raw(
                    "SELECT * FROM attachments WHERE owner_kind = \(bind: owner.rawValue) AND owner_id IN (\(binds: part)) ORDER BY owner_id, id"
                ).all().map(Self.attachment)
            }
            return out
        }
    }

    /// The file's bytes, checked against the digest it was stored with.
    public func attachmentData(id: Int64) async throws -> Data {
        let cipher = try self.cipher
        return try await backend.read { db in
            guard let a = try await db.raw("SELECT * FROM attachments WHERE id = \(bind: id)").first().map(Self.attachment) else {
                throw StoreError.notFound
            }
            var data = Data(capacity: Int(a.size))
            for row in try await db.raw("SELECT data FROM attachment_chunks WHERE attachment_id = \(bind: id) ORDER BY seq").all() {
                data.append(try cipher.decrypt(data: try row.decode(column: "data", as: String.self)))
            }
            guard SHA256.hash(data: data).map({ String(format: "%02x", $0) }).joined() == a.sha256 else { throw PersonalDataError.wrongKey }
            return data
        }
    }

    public func deleteAttachment(id: Int64, actor: Actor) async throws {
        try await backend.write { db in
            guard let a = try await db.raw("SELECT * FROM attachments WHERE id = \(bind: id)").first().map(Self.attachment) else {
                throw StoreError.notFound
            }
            try await db.raw("DELETE FROM attachment_chunks WHERE attachment_id = \(bind: id)").run()
            try await db.raw("DELETE FROM attachments WHERE id = \(bind: id)").run()
            try await Self.audit(db, actor, entity: "attachment", id: String(id), action: "delete", before: a, after: Attachment?.none)
        }
    }

    /// The follow-up task a task update belongs to.
    public func taskOfUpdate(id: Int64) async throws -> Int64? {
        try await backend.read { db in
            try await db.raw("SELECT task_id FROM task_updates WHERE id = \(bind: id)").first()?.decode(column: "task_id", as: Int64.self)
        }
    }

    /// The region of an owner, when it exists (what decides who reads and changes its files).
    public func attachmentOwnerRegion(_ owner: AttachmentOwner, id: Int64) async throws -> String? {
        try await backend.read { db in
            let q: SQLQueryString
            switch owner {
            case .progress: q = "SELECT region_code AS r FROM progress WHERE id = \(bind: id)"
            case .ledgerRow: q = "SELECT county_code AS r FROM ledger_rows WHERE id = \(bind: id)"
            case .project: q = "SELECT county_code AS r FROM projects WHERE id = \(bind: id)"
            case .decision:
                q =
                    "SELECT p.west_code AS r FROM decisions d JOIN meetings m ON m.id = d.meeting_id JOIN pairings p ON p.id = m.pairing_id WHERE d.id = \(bind: id)"
            case .taskUpdate:
                q = "SELECT t.owner_region_code AS r FROM task_updates u JOIN follow_up_tasks t ON t.id = u.task_id WHERE u.id = \(bind: id)"
            }
            return try await db.raw(q).first()?.decode(column: "r", as: String.self)
        }
    }
}
