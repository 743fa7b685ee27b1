import Foundation

/// Where a database's personal-data key is kept, so that every command — `serve`, `report`, `import`, `backup` — finds
/// the same key wherever it is run from:
///
/// 1. `XIEZUO_DATA_KEY` (32 bytes, base64): what several instances behind a load balancer share;
/// 2. `XIEZUO_DATA_KEY_FILE`: a file holding that text;
/// 3. for a SQLite file, the file beside it (`xiezuo.sqlite` → `xiezuo.sqlite.key`), created with the database;
/// 4. for PostgreSQL without either variable, `xiezuo.key` in the working folder (set the variable in production).
///
/// An in-memory database gets a fresh key that lives as long as it does.
public enum DataKeySource: Sendable, Equatable {
    case environment
    /// `XIEZUO_DATA_KEY_FILE`, or the working folder's `xiezuo.key` for PostgreSQL.
    case file(String)
    /// The file that belongs to one SQLite database, and to nothing else.
    case beside(String)
    case ephemeral

    public static func of(_ location: DatabaseLocation, environment: [String: String] = ProcessInfo.processInfo.environment) -> DataKeySource {
        if environment["XIEZUO_DATA_KEY"] != nil { return .environment }
        if let f = environment["XIEZUO_DATA_KEY_FILE"] { return .file(f) }
        switch location {
        case .sqliteFile(let path): return .beside(besideDatabase(path))
        case .sqliteMemory: return .ephemeral
        case .postgres: return .file("xiezuo.key")
        }
    }

    /// The key file that belongs to a SQLite database file.
    public static func besideDatabase(_ databasePath: String) -> String { databasePath + ".key" }

    /// The file the key is read from, if any.
    public var keyFile: String? {
        switch self {
        case .file(let f), .beside(let f): return f
        case .environment, .ephemeral: return nil
        }
    }

    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<PersonalDataCipher, PersonalDataError> {
        switch self {
        case .environment:
            guard let c = PersonalDataCipher(base64: environment["XIEZUO_DATA_KEY"] ?? "") else { return .failure(.badKey("XIEZUO_DATA_KEY")) }
            return .success(c)
        case .ephemeral:
            return .success(.generate())
        case .file(let path), .beside(let path):
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                guard let c = PersonalDataCipher(base64: text) else { return .failure(.badKey(path)) }
                return .success(c)
            }
            let fresh = PersonalDataCipher.generate()
            do { try Self.write(fresh, to: path) } catch { return .failure(.cannotCreate(path)) }
            return .success(fresh)
        }
    }

    /// Writes a key file readable by its owner only, whole or not at all.
    public static func write(_ cipher: PersonalDataCipher, to path: String) throws {
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        guard FileManager.default.createFile(atPath: partial, contents: Data((cipher.base64 + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw PersonalDataError.cannotCreate(path) }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }
}

extension Store {
    /// The fingerprint of the key this database's personal data was written with (none before the first).
    public func dataKeyFingerprint() async throws -> String? {
        try await backend.read { db in
            try await db.raw("SELECT value FROM app_meta WHERE key = 'data_key'").first()?.decode(column: "value", as: String.self)
        }
    }

    /// Data encrypted with `key` are about to be copied into this database (a restore, `migrate --to`): checks that
    /// it can hold them and answers what to do once they are in. Nothing when it already uses that key; when its key
    /// is the file beside a SQLite database, writing `key` there (done after the copy commits, so a failed copy leaves
    /// the old key with the old data); otherwise the copy is refused with the variable to set.
    public func keyHandOff(_ key: PersonalDataCipher, keyFileHint: String?) throws -> (@Sendable () throws -> Void)? {
        if let own = try? cipher, own.fingerprint == key.fingerprint { return nil }
        guard case .beside(let path) = dataKeySource else {
            let hint = keyFileHint.map { " XIEZUO_DATA_KEY_FILE=\($0)" } ?? " XIEZUO_DATA_KEY"
            throw PersonalDataError.handOff(hint)
        }
        return { try DataKeySource.write(key, to: path) }
    }
}
