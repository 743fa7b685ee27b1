import Foundation
import Logging
import SQLKit
import Testing
import XiezuoDomain

@testable import XiezuoStore

/// Personal data at rest and in backups, and a restore that takes only the schema's own names.
@Suite struct IntegrityStoreTests {
    @Test func aStagedUploadIsSealedAndGoneAfterAnHour() async throws {
        try await withStore { store in
            let user = try await store.addUser(
                username: "nayong.reporter", role: .countyReporter, regionCode: "520525", passwordHash: "x", actor: tester)
            let sheet = Data("姓名,身份证号码\n张三,520525199001011234\n".utf8)
            let t0 = Date()
            let id = try await store.stageUpload(userId: user.id, ledger: .labour, fileName: "a.csv", data: sheet, now: t0)
            let raw = try await store.backend.read { db in
                try await db.raw("SELECT content FROM ledger_uploads WHERE id = \(bind: id)").first()!.decode(column: "content", as: String.self)
            }
            #expect(
                !raw.contains("520525199001011234")
                    && Data(base64Encoded: raw).map { !String(decoding: $0, as: UTF8.self).contains("5205251990") } ?? true)
            #expect(try await store.stagedUpload(id: id, userId: user.id, now: t0)?.data == sheet)
            // After an hour it is no longer offered, and the next staging (of anyone) removes it.
            #expect(try await store.stagedUpload(id: id, userId: user.id, now: t0.addingTimeInterval(3601)) == nil)
            let other = try await store.addUser(
                username: "bijie.officer", role: .prefectureOfficer, regionCode: "520500", passwordHash: "x", actor: tester)
            _ = try await store.stageUpload(userId: other.id, ledger: .labour, fileName: "b.csv", data: sheet, now: t0.addingTimeInterval(3601))
            let left = try await store.backend.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM ledger_uploads WHERE user_id = \(bind: user.id)").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(left == 0)
        }
    }

    @Test func aRestoreTakesOnlyTheSchemasOwnNames() async throws {
        try await withStore(demo: true) { store in
            let before = try await store.summaries()
            let forged: [[(table: String, columns: [String], rows: [[CellValue]])]] = [
                [(table: "users; DROP TABLE projects; --", columns: ["id"], rows: [[.int(1)]])],
                [(table: "app_meta", columns: ["key) VALUES ('a'); DELETE FROM projects; --"], rows: [[.text("x")]])],
                [(table: "app_meta", columns: ["key", "key"], rows: [[.text("x"), .text("y")]])],
            ]
            for tables in forged {
                await #expect(throws: TransferError.self) { try await store.replaceAll(with: tables) }
            }
            #expect(try await store.summaries() == before)
        }
    }

    @Test func theDatabaseFileAndItsLogAreReadableByTheirOwnerOnly() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.sqlite").path
        let store = try await Store.open(url: "sqlite://" + path, logger: Logger(label: "t"))
        try await store.migrate()
        func mode(_ p: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue }
        #expect(mode(path) == 0o600)
        for side in [path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: side) {
            #expect(mode(side) == 0o600, "\(side)")
        }
        await store.close()
    }
}
