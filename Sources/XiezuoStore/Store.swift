import Foundation
import Logging
import SQLKit
import XiezuoDomain

/// Every read and write of Xiezuo's data goes through here. Reads take the filters they need and filter in SQL;
/// every write runs in one transaction and leaves an audit record.
public struct Store: Sendable {
    public let backend: any DatabaseBackend
    public let stats: StoreStats
    let logger: Logger
    /// Where this database's personal-data key came from, and the key (or why there is none).
    public let dataKeySource: DataKeySource
    let regionCache = RegionCache()
    let dataKey: Result<PersonalDataCipher, PersonalDataError>

    public init(backend: any DatabaseBackend, logger: Logger, dataKeySource: DataKeySource = .ephemeral) {
        let stats = StoreStats()
        self.backend = InstrumentedBackend(inner: backend, stats: stats)
        self.stats = stats
        self.logger = logger
        self.dataKeySource = dataKeySource
        dataKey = dataKeySource.load()
    }

    public static func open(url: String, logger: Logger) async throws -> Store {
        let location = try DatabaseLocation(url: url)
        let keySource = DataKeySource.of(location)
        if case .sqliteFile(let path) = location { adoptWorkingFolderKey(database: path, into: keySource, logger: logger) }
        if case .postgres(let u) = location {
            return Store(backend: try await PostgresBackend.open(url: u, logger: logger), logger: logger, dataKeySource: keySource)
        }
        return Store(backend: try await SQLiteBackend.open(location, logger: logger), logger: logger, dataKeySource: keySource)
    }

    /// Earlier versions kept the key as `xiezuo.key` in the folder `serve` ran in: a database that exists without a
    /// key beside it takes that one, copied beside it, so it keeps opening from any folder.
    static func adoptWorkingFolderKey(database path: String, into source: DataKeySource, logger: Logger) {
        let fm = FileManager.default
        guard case .beside(let beside) = source, fm.fileExists(atPath: path),
            !fm.fileExists(atPath: beside), let text = try? String(contentsOfFile: "xiezuo.key", encoding: .utf8),
            let key = PersonalDataCipher(base64: text)
        else { return }
        do {
            try DataKeySource.write(key, to: beside)
            logger.notice("personal-data key copied from ./xiezuo.key to \(beside)")
        } catch { logger.warning("could not copy ./xiezuo.key beside the database: \(error)") }
    }

    public func close() async { await backend.close() }

    /// The schema version this program migrates to.
    public static var latestSchemaVersion: Int { Migrations.latest }

    static func now() -> String { Date.now.ISO8601Format() }

    // MARK: migrations

    public func schemaVersion() async throws -> Int {
        try await backend.read { db in try await Self.currentVersion(db) }
    }

    static func currentVersion(_ db: any SQLDatabase) async throws -> Int {
        try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            .run()
        let row = try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first()
        return try row?.decode(column: "v", as: Int?.self) ?? 0
    }

    /// Applies the migrations the database lacks, each in its own transaction. Returns how many were applied.
    @discardableResult
    public func migrate() async throws -> Int {
        let dialect = backend.dialect
        var applied = 0
        for m in Migrations.all {
            let did = try await backend.write { db -> Bool in
                let current = try await Self.currentVersion(db)
                if current > Migrations.latest { throw StoreError.migrationsAhead(current) }
                guard current < m.version else { return false }
                for s in m.statements {
                    try await db.raw(SQLQueryString(s.replacingOccurrences(of: "{ID}", with: Migrations.idColumn(dialect)))).run()
                }
                try await m.step?(db)
                for s in dialect == .sqlite ? m.sqlite : m.postgres { try await db.raw(SQLQueryString(s)).run() }
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: m.version), \(bind: m.name), \(bind: Self.now()))"
                ).run()
                return true
            }
            if did {
                applied += 1
                logger.info("applied migration \(m.version) \(m.name)")
            }
        }
        try await seedReferenceData()
        try await verifyDataKey()
        return applied
    }

    // MARK: audit

    static let auditEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        return (try? auditEncoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends one audit record inside the caller's transaction, so the record exists exactly when the change does.
    static func audit<T: Encodable>(
        _ db: any SQLDatabase, _ actor: Actor, entity: String, id: String, action: String,
        before: T?, after: T?
    ) async throws {
        try await db.raw(
            """
            INSERT INTO audit_log (at, actor, address, entity, entity_id, action, before_json, after_json)
            VALUES (\(bind: now()), \(bind: actor.name), \(bind: actor.address), \(bind: entity), \(bind: id),
                    \(bind: action), \(bind: json(before)), \(bind: json(after)))
            """
        ).run()
    }

    public func history(entity: String, id: String) async throws -> [AuditEntry] {
        try await backend.read { db in
            try await db.raw(
                """
                SELECT id, at, actor, address, action, before_json, after_json FROM audit_log
                WHERE entity = \(bind: entity) AND entity_id = \(bind: id) ORDER BY id
                """
            ).all().map { r in
                AuditEntry(
                    id: try r.decode(column: "id", as: Int64.self), at: try r.decode(column: "at", as: String.self),
                    actor: try r.decode(column: "actor", as: String?.self),
                    address: try r.decode(column: "address", as: String?.self),
                    action: try r.decode(column: "action", as: String.self),
                    before: try r.decode(column: "before_json", as: String?.self),
                    after: try r.decode(column: "after_json", as: String?.self))
            }
        }
    }

    public func meta(_ key: String) async throws -> String? {
        try await backend.read { db in
            try await db.raw("SELECT value FROM app_meta WHERE key = \(bind: key)").first()?.decode(column: "value", as: String.self)
        }
    }
}

/// Who makes a change and from where, for the audit trail.
public struct Actor: Sendable, Hashable {
    public var name: String?
    public var address: String?
    /// Today in China as the request saw it (a reporting round's lock depends on it); nil: the system's clock.
    public var today: Day?
    public init(name: String?, address: String?, today: Day? = nil) {
        self.name = name
        self.address = address
        self.today = today
    }
    public static let system = Actor(name: "system", address: nil)

    /// The day a write is judged on: the request's, or today in China by the system's clock (command line).
    var day: Day { today ?? Day.inChina() }
}

public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: String
    public var actor: String?
    public var address: String?
    public var action: String
    public var before: String?
    public var after: String?
}

/// One page of a list: 1-based page number and a bounded page size.
public struct Page: Sendable, Hashable {
    public var number: Int
    public var size: Int
    public static let maxSize = 100
    public init(number: Int, size: Int) {
        self.number = max(1, min(number, 1_000_000))
        self.size = max(1, min(size, Page.maxSize))
    }
    public var offset: Int { (number - 1) * size }
}

public struct PageOf<T: Sendable>: Sendable {
    public var items: [T]
    public var total: Int
    public var page: Page
    /// `total` is a lower bound: there are more (a keyword in very many rows is counted only so far).
    public var totalAtLeast = false
    public var pageCount: Int { max(1, (total + page.size - 1) / page.size) }
}

/// Escapes LIKE wildcards so a user's "%" or "_" is matched literally.
func likePattern(contains text: String) -> String {
    var out = "%"
    for c in text {
        if c == "%" || c == "_" || c == "\\" { out.append("\\") }
        out.append(c)
    }
    return out + "%"
}

/// `column` lies inside one of the prefixes; nil means no restriction, an empty list matches nothing.
/// The one place a scope becomes SQL: each prefix as a range of six-digit codes (both engines walk an index for a
/// range, unlike LIKE; digit strings of one length sort the same in every collation).
func scopeSQL(_ column: String, _ scope: RegionScope) -> SQLQueryString {
    guard case .within(let prefixes) = scope else { return "" }
    guard !prefixes.isEmpty else { return " AND 1 = 0" }
    return " AND (" + prefixes.map { codeRange(column, $0) }.joined(separator: " OR ") + ")"
}

/// Codes under a prefix, as a range of six-digit codes.
func codeRange(_ column: String, _ prefix: String) -> SQLQueryString {
    let p = String(prefix.prefix(6))
    let pad = 6 - p.count
    // One county: an equality, which lets an index that goes on with the date give its rows in date order.
    if pad == 0 { return "(\(unsafeRaw: column) = \(bind: p))" }
    return "(\(unsafeRaw: column) BETWEEN \(bind: p + String(repeating: "0", count: pad)) AND \(bind: p + String(repeating: "9", count: pad)))"
}
