import Foundation
import Logging
import SQLKit

/// A fresh, empty database for one test or one benchmark run, on the backend the environment names:
/// `XIEZUO_TEST_DATABASE=postgres://…/postgres` makes each one a new PostgreSQL database on that server (created and
/// dropped here); otherwise each is a new SQLite file in a temporary folder. The test suites run on both this way.
public struct ScratchDatabase: Sendable {
    public let url: String
    private let cleanup: @Sendable () async -> Void

    public static var backendName: String {
        ProcessInfo.processInfo.environment["XIEZUO_TEST_DATABASE"].map { _ in "postgresql" } ?? "sqlite"
    }

    public static func create() async throws -> ScratchDatabase {
        let name = "xz_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if let admin = ProcessInfo.processInfo.environment["XIEZUO_TEST_DATABASE"], admin.hasPrefix("postgres") {
            let store = try await Store.open(url: admin, logger: Logger(label: "scratch"))
            try await store.backend.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
            await store.close()
            guard var u = URLComponents(string: admin) else { throw StoreError.badDatabaseURL(admin) }
            u.path = "/" + name
            return ScratchDatabase(url: u.string!) {
                guard let s = try? await Store.open(url: admin, logger: Logger(label: "scratch")) else { return }
                _ = try? await s.backend.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
                await s.close()
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xiezuo-\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return ScratchDatabase(url: "sqlite://" + dir.appendingPathComponent("t.sqlite").path) {
            try? FileManager.default.removeItem(at: dir)
        }
    }

    public func drop() async { await cleanup() }
}
