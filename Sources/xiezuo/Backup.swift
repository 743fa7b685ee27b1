import ArgumentParser
import Foundation
import Logging
import XiezuoStore

/// The backup file: JSON lines — a header, then for each table a line naming it and its columns followed by one line
/// per row. Plain and portable: a SQLite backup restores into PostgreSQL and back.
enum BackupFile {
    struct Header: Codable {
        var format = "xiezuo-backup"
        var version = 1
        var schema: Int
        var tables: [String]
    }
    struct TableLine: Codable {
        var table: String
        var columns: [String]
        var rows: Int
    }

    static func write(_ store: Store, to path: String) async throws -> [TableSummary] {
        // A backup holds everything, personal data included: readable by this user only.
        try? FileManager.default.removeItem(atPath: path + ".partial")
        guard FileManager.default.createFile(atPath: path + ".partial", contents: nil, attributes: [.posixPermissions: 0o600]),
            let out = FileHandle(forWritingAtPath: path + ".partial")
        else {
            throw CommandFailure("无法写入 / cannot write \(path)")
        }
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        func line<T: Encodable>(_ v: T) throws { out.write(try e.encode(v) + Data("\n".utf8)) }
        try line(Header(schema: try await store.schemaVersion(), tables: Store.tablesInOrder))
        var summaries: [TableSummary] = []
        for t in Store.tablesInOrder {
            let (columns, rows) = try await store.rows(of: t)
            try line(TableLine(table: t, columns: columns, rows: rows.count))
            for r in rows { try line(r) }
            summaries.append(try await store.summary(of: t))
            FileHandle.standardError.write(Data("· \(t): \(rows.count)\n".utf8))
        }
        try out.close()
        // Renamed only when complete: a backup file that exists is a whole one.
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
        return summaries
    }

    /// The personal-data key of a backup, written beside it.
    static func keyFile(_ backup: String) -> String { backup + ".key" }

    /// The fingerprint of the key the backup's personal data were written with (app_meta's `data_key`).
    static func keyFingerprint(_ tables: [(table: String, columns: [String], rows: [[CellValue]])]) -> String? {
        guard let meta = tables.first(where: { $0.table == "app_meta" }), let k = meta.columns.firstIndex(of: "key"),
            let v = meta.columns.firstIndex(of: "value")
        else { return nil }
        for row in meta.rows where row[k] == .text("data_key") {
            if case .text(let fp) = row[v] { return fp }
        }
        return nil
    }

    static func read(_ path: String) throws -> (Header, [(table: String, columns: [String], rows: [[CellValue]])]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("无法读取 / cannot read \(path)") }
        let lines = data.split(separator: UInt8(ascii: "\n"))
        let d = JSONDecoder()
        guard let first = lines.first, let header = try? d.decode(Header.self, from: Data(first)), header.format == "xiezuo-backup" else {
            throw CommandFailure("\(path) 不是协作备份文件 / is not a Xiezuo backup")
        }
        var tables: [(String, [String], [[CellValue]])] = []
        var i = 1
        while i < lines.count {
            guard let t = try? d.decode(TableLine.self, from: Data(lines[i])), i + t.rows < lines.count + 1 else {
                throw CommandFailure("\(path) 在第 \(i + 1) 行损坏 / is damaged at line \(i + 1)")
            }
            var rows: [[CellValue]] = []
            rows.reserveCapacity(t.rows)
            for k in 0..<t.rows {
                guard i + 1 + k < lines.count, let r = try? d.decode([CellValue].self, from: Data(lines[i + 1 + k])), r.count == t.columns.count
                else {
                    throw CommandFailure("\(path) 在第 \(i + 2 + k) 行损坏 / is damaged at line \(i + 2 + k)")
                }
                rows.append(r)
            }
            tables.append((t.table, t.columns, rows))
            i += 1 + t.rows
        }
        guard Set(tables.map(\.0)) == Set(header.tables) else { throw CommandFailure("\(path) 不完整 / is incomplete") }
        return (header, tables)
    }
}

func openStore(_ url: String) async throws -> Store {
    do { return try await Store.open(url: url, logger: Logger(label: "xiezuo")) } catch let e as StoreError { throw CommandFailure(e.description) }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a consistent copy of the whole database to FILE (any backend).")
    @Argument(help: "The backup file to write.") var file: String
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        let store = try await openStore(db.database)
        do {
            let s = try await BackupFile.write(store, to: file)
            // The personal data in the backup are encrypted; without their key they cannot be restored.
            if try await store.dataKeyFingerprint() != nil {
                try DataKeySource.write(try store.cipher, to: BackupFile.keyFile(file))
            }
            print("备份完成 / backed up \(s.reduce(0) { $0 + $1.rows }) rows of \(s.count) tables to \(file)")
            if try await store.dataKeyFingerprint() != nil {
                print("个人信息密钥在 / the personal-data key is in \(BackupFile.keyFile(file)): 与备份一同保管 / keep it with the backup")
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore FILE into the database: all of it in one transaction, or nothing.",
        discussion: "The database must hold no data of its own unless --replace is given, which replaces everything in it.")
    @Argument(help: "A file written by `xiezuo backup`.") var file: String
    @Flag(help: "Replace whatever the database holds.") var replace = false
    @Option(help: "The backup's personal-data key file (default: FILE.key beside it).") var key: String?
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        let (header, tables) = try BackupFile.read(file)
        // The backup's key: needed whenever its personal data were encrypted with one.
        let keyPath = key ?? BackupFile.keyFile(file)
        var backupKey: PersonalDataCipher?
        if let fingerprint = BackupFile.keyFingerprint(tables) {
            guard let text = try? String(contentsOfFile: keyPath, encoding: .utf8), let k = PersonalDataCipher(base64: text) else {
                throw CommandFailure("找不到备份的个人信息密钥 / the backup's personal-data key is missing: \(keyPath) (give it with --key)")
            }
            guard k.fingerprint == fingerprint else {
                throw CommandFailure("\(keyPath) 不是这份备份的密钥 / is not the key this backup was written with")
            }
            backupKey = k
        }
        let store = try await openStore(db.database)
        do {
            try await store.migrate()
            guard header.schema == Store.latestSchemaVersion else {
                throw CommandFailure(
                    "备份的数据库版本 \(header.schema) 与本程序 \(Store.latestSchemaVersion) 不同 / the backup has schema \(header.schema), this program \(Store.latestSchemaVersion)"
                )
            }
            let empty = try await store.holdsOnlyReferenceData()
            guard replace || empty else {
                throw CommandFailure("目标数据库已有数据；确认要替换请加 --replace / the database holds data; add --replace to replace it")
            }
            let handOff: (@Sendable () throws -> Void)?
            do { handOff = try backupKey.flatMap { try store.keyHandOff($0, keyFileHint: keyPath) } } catch let e as PersonalDataError {
                throw CommandFailure(e.description)
            }
            do { try await store.replaceAll(with: tables) { t, n in FileHandle.standardError.write(Data("· \(t): \(n)\n".utf8)) } } catch let e
                as TransferError
            { throw CommandFailure(e.description) }
            try handOff?()
            print("恢复完成 / restored \(tables.reduce(0) { $0 + $1.rows.count }) rows from \(file)")
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// `xiezuo migrate --to URL`: copies everything from --database into an empty database on any backend, then
/// compares every table's row count and checksum on both sides.
enum Copy {
    static func run(from source: String, to target: String) async throws {
        let from = try await openStore(source)
        let to = try await openStore(target)
        do {
            try await from.migrate()
            try await to.migrate()
            guard try await to.holdsOnlyReferenceData() else {
                throw CommandFailure("目标数据库须为空 / the target database must be empty: \(target)")
            }
            // The rows are copied as they are stored, personal data encrypted: the target must use the same key.
            var handOff: (@Sendable () throws -> Void)?
            if try await from.dataKeyFingerprint() != nil {
                do { handOff = try to.keyHandOff(try from.cipher, keyFileHint: from.dataKeySource.keyFile) } catch let e as PersonalDataError {
                    throw CommandFailure(e.description)
                }
            }
            var tables: [(table: String, columns: [String], rows: [[CellValue]])] = []
            for t in Store.tablesInOrder {
                let (c, r) = try await from.rows(of: t)
                tables.append((t, c, r))
            }
            try await to.replaceAll(with: tables) { t, n in FileHandle.standardError.write(Data("· \(t): \(n)\n".utf8)) }
            try handOff?()
            let a = try await from.summaries()
            let b = try await to.summaries()
            for (x, y) in zip(a, b) where x != y {
                throw CommandFailure("校验不一致 / mismatch after copying: \(x) vs \(y)")
            }
            print("复制完成并已校验 / copied and verified \(a.count) tables, \(a.reduce(0) { $0 + $1.rows }) rows")
        } catch {
            await from.close()
            await to.close()
            throw error
        }
        await from.close()
        await to.close()
    }
}
