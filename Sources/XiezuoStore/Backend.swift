import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Where the data lives, parsed from `--database URL`.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    public static let defaultURL = "sqlite://./xiezuo.sqlite"

    public init(url: String) throws {
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            self = .sqliteMemory
            return
        }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw StoreError.badDatabaseURL(url) }
            self = .sqliteFile(path)
            return
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url)
            return
        }
        throw StoreError.badDatabaseURL(url)
    }
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case badDatabaseURL(String)
    case unsupportedBackend(String)
    case notFound
    case conflict
    case migrationsAhead(Int)
    case unreachable(String)

    public var description: String {
        switch self {
        case .badDatabaseURL(let u):
            return "无法识别的数据库地址 / unrecognised database URL: \(u). Use sqlite://PATH or postgres://USER@HOST/DB."
        case .unsupportedBackend(let what):
            return "\(what) 尚未支持 / is not supported by this build yet; use sqlite://PATH."
        case .unreachable(let why):
            return "无法连接数据库 / cannot reach the database: \(why). Check the URL, that the server runs and accepts this user."
        case .notFound: return "not found"
        case .conflict: return "conflict"
        case .migrationsAhead(let v):
            return "数据库版本 \(v) 比本程序新 / the database has schema version \(v), newer than this program: upgrade xiezuo."
        }
    }
}

public enum SQLDialectKind: Sendable { case sqlite, postgres }

/// The one seam between the store's queries and a database engine. Queries are written once against SQLKit's
/// `SQLDatabase`; a backend only hands out connections and runs transactions.
public protocol DatabaseBackend: Sendable {
    var dialect: SQLDialectKind { get }
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` in one transaction: all of its writes land, or none do.
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs one statement that is atomic by itself (an upsert on a hot row): on PostgreSQL in its own
    /// read-committed transaction, where concurrent upserts of a row queue on its lock instead of failing to
    /// serialise; on SQLite as a write. For bookkeeping (sessions, sign-in throttle) only: it leaves the data's
    /// version alone (DataVersion.swift).
    func atomic<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}

/// A fixed set of connections handed out one caller at a time.
actor ConnectionPool<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, Never>] = []

    init(_ connections: [Connection]) { idle = connections }

    func acquire() async -> Connection {
        if let c = idle.popLast() { return c }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ c: Connection) {
        if !waiters.isEmpty { waiters.removeFirst().resume(returning: c) } else { idle.append(c) }
    }

    func drain() -> [Connection] {
        defer { idle = [] }
        return idle
    }
}

/// SQLite in WAL mode: several reader connections and one writer, so readers never wait for a write and writes
/// never fight each other for the lock inside one process (the busy timeout covers other processes).
public final class SQLiteBackend: DatabaseBackend {
    public let dialect = SQLDialectKind.sqlite
    private let readers: ConnectionPool<SQLiteConnection>
    private let writer: ConnectionPool<SQLiteConnection>
    private let all: [SQLiteConnection]

    /// The database holds personal data: its file (created here if new) and the log and shared-memory files SQLite
    /// makes beside it — which take the database file's mode — are readable by this user only.
    static func makePrivate(_ path: String) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) { fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) }
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] where fm.fileExists(atPath: file) {
            try? fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    public static func open(_ location: DatabaseLocation, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteBackend {
        switch location {
        case .sqliteMemory:
            // An in-memory database exists per connection, so one connection serves both roles.
            let c = try await SQLiteConnection.open(storage: .memory, logger: logger)
            try await configure(c, memory: true)
            return SQLiteBackend(readers: [c], writer: c)
        case .sqliteFile(let path):
            Self.makePrivate(path)
            let w = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await configure(w, memory: false)
            // The one writer gets a larger page cache (64 MiB): a large import is one transaction, and with the
            // default 2 MiB SQLite spills its pages to the log again and again before it commits.
            try await w.sql().raw("PRAGMA cache_size=-65536").run()
            // Its statement journals (each statement's undo pages inside a transaction) in memory: on disk they were
            // a tenth of a large import's time in write calls.
            try await w.sql().raw("PRAGMA temp_store=MEMORY").run()
            var rs: [SQLiteConnection] = []
            for _ in 0..<max(1, readerCount) {
                let r = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                try await configure(r, memory: false)
                rs.append(r)
            }
            return SQLiteBackend(readers: rs, writer: w)
        case .postgres:
            throw StoreError.unsupportedBackend("PostgreSQL through SQLiteBackend")
        }
    }

    private init(readers: [SQLiteConnection], writer: SQLiteConnection) {
        self.readers = ConnectionPool(readers)
        // One shared connection (in-memory) must not be handed to a reader while a writer holds it.
        self.writer = readers.count == 1 && readers[0] === writer ? self.readers : ConnectionPool([writer])
        var seen: [SQLiteConnection] = [writer]
        for r in readers where r !== writer { seen.append(r) }
        self.all = seen
    }

    private static func configure(_ c: SQLiteConnection, memory: Bool) async throws {
        let db = c.sql()
        if !memory { try await db.raw("PRAGMA journal_mode=WAL").run() }
        try await db.raw("PRAGMA busy_timeout=10000").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        try await db.raw("PRAGMA synchronous=NORMAL").run()
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let c = await readers.acquire()
        do {
            let r = try await body(c.sql(queryLogLevel: nil))
            await readers.release(c)
            return r
        } catch {
            await readers.release(c)
            throw error
        }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(bumpsVersion: true, body)
    }

    private func transaction<T: Sendable>(bumpsVersion: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let c = await writer.acquire()
        let db = c.sql(queryLogLevel: nil)
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
            let r = try await body(db)
            if bumpsVersion { await DataVersion.move(db) }
            try await db.raw("COMMIT").run()
            await writer.release(c)
            return r
        } catch {
            try? await db.raw("ROLLBACK").run()
            await writer.release(c)
            throw error
        }
    }

    public func atomic<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(bumpsVersion: false, body)
    }

    public func close() async {
        _ = await readers.drain()
        if writer !== readers { _ = await writer.drain() }
        for c in all { try? await c.close() }
    }
}
