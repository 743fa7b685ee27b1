import SQLKit
import XiezuoDomain

extension Store {
    /// Of `keys`, those the user has opened.
    public func inboxRead(username: String, keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await backend.read { db in
            Set(
                try await db.raw("SELECT item_key FROM inbox_reads WHERE username = \(bind: username) AND item_key IN (\(binds: keys))").all()
                    .map { try $0.decode(column: "item_key", as: String.self) })
        }
    }

    /// Marks items opened (bookkeeping of the reader's own view, like a session: not audited).
    public func markInboxRead(username: String, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        let now = Self.now()
        try await backend.atomic { db in
            for key in Set(keys).sorted() {
                try await db.raw(
                    """
                    INSERT INTO inbox_reads (username, item_key, read_at) VALUES (\(bind: username), \(bind: key), \(bind: now))
                    ON CONFLICT (username, item_key) DO NOTHING
                    """
                ).run()
            }
        }
    }
}
