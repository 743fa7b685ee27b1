import Foundation
import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's pooled client. Transactions run at SERIALIZABLE, so a read-check-write done by
/// two instances at once cannot interleave; a transaction the server aborts for that reason is run again (it is a
/// closure over its inputs, so running it again is the same request).
public final class PostgresBackend: DatabaseBackend {
    public let dialect = SQLDialectKind.postgres
    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`.
    public static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let u = URLComponents(string: url), ["postgres", "postgresql"].contains(u.scheme ?? ""),
            let host = u.host, !host.isEmpty, let user = u.user, !user.isEmpty
        else {
            throw StoreError.badDatabaseURL(url)
        }
        let db = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
        let mode = u.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        default: throw StoreError.badDatabaseURL(url)
        }
        var c = PostgresClient.Configuration(
            host: host, port: u.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: u.password?.removingPercentEncoding, database: db.isEmpty ? nil : db, tls: tls)
        // About two connections per core: more only queue the same work inside the database server, where a starved
        // process makes even trivial queries wait (measured: docs/BENCHMARKS.md, two instances).
        c.options.maximumConnections = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        return c
    }

    public static func open(url: String, logger: Logger) async throws -> PostgresBackend {
        let backend = PostgresBackend(client: PostgresClient(configuration: try configuration(url), backgroundLogger: logger))
        do {
            _ = try await backend.read { db in try await db.raw("SELECT 1 AS one").first() }
        } catch {
            await backend.close()
            throw StoreError.unreachable("\(String(reflecting: error).prefix(300))")
        }
        return backend
    }

    private init(client: PostgresClient) {
        self.client = client
        runner = Task { await client.run() }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { c in try await body(c.sql(queryLogLevel: nil)) }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { c in
                    let db = c.sql(queryLogLevel: nil)
                    try await db.raw("BEGIN ISOLATION LEVEL SERIALIZABLE").run()
                    do {
                        let r = try await body(db)
                        try await db.raw("COMMIT").run()
                        await DataVersion.move(db)
                        return r
                    } catch {
                        try? await db.raw("ROLLBACK").run()
                        throw error
                    }
                }
            } catch let e as PSQLError where attempt < 5 && ["40001", "40P01"].contains(e.serverInfo?[.sqlState] ?? "") {
                continue  // serialization failure or deadlock: the other transaction won; run this one again
            }
        }
    }

    public func atomic<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { c in try await body(c.sql(queryLogLevel: nil)) }
    }

    public func close() async {
        runner.cancel()
        await runner.value
    }
}
