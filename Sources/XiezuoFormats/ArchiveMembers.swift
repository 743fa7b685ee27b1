import Foundation

/// How much one uploaded archive may inflate to. A zip member's header says how large it is, but a hostile file
/// lies there, so every byte actually inflated is counted: each member against its own cap, and all members of one
/// upload together against a multiple of the file's compressed size (with a floor for small files and an absolute
/// cap for large ones). Real Office files inflate 5–30 times; a zip bomb inflates thousands of times.
public final class InflateBudget {
    public static let ratio: Int64 = 200
    public static let floor: Int64 = 64 << 20

    public let limit: Int64
    public private(set) var used: Int64 = 0

    public init(compressedSize: Int64, absolute: Int64) {
        let (scaled, overflow) = compressedSize.multipliedReportingOverflow(by: Self.ratio)
        limit = min(absolute, max(Self.floor, overflow ? absolute : scaled))
    }

    /// Counts `n` more inflated bytes; throws once the upload as a whole is past its limit.
    func take(_ n: Int) throws {
        used += Int64(n)
        if used > limit { throw InflateLimitExceeded(limitBytes: limit, memberCap: false) }
    }
}

/// An archive that inflates past what its size allows (`memberCap`: one member past its own cap).
public struct InflateLimitExceeded: Error, Equatable, Sendable {
    public var limitBytes: Int64
    public var memberCap: Bool
    /// The limit in whole megabytes, for messages.
    public var megabytes: Int64 { max(1, limitBytes >> 20) }
}

extension ZipReader {
    /// A member's bytes, at most `cap` of them actually inflated, counted against `budget`.
    func boundedData(_ member: Member, cap: Int, budget: InflateBudget) throws -> Data {
        var out = Data()
        try read(member) { chunk in
            try budget.take(chunk.count)
            if out.count + chunk.count > cap { throw InflateLimitExceeded(limitBytes: Int64(cap), memberCap: true) }
            out.append(chunk)
        }
        return out
    }

    /// A member inflated into `file` (created 0600), at most `cap` bytes, counted against `budget`.
    func boundedCopy(_ member: Member, to file: URL, cap: Int64, budget: InflateBudget) throws {
        try PrivateFiles.create(file)
        let out = try FileHandle(forWritingTo: file)
        defer { try? out.close() }
        var written: Int64 = 0
        try read(member) { chunk in
            try budget.take(chunk.count)
            written += Int64(chunk.count)
            if written > cap { throw InflateLimitExceeded(limitBytes: cap, memberCap: true) }
            try out.write(contentsOf: chunk)
        }
    }
}

/// Temporary files that may hold personal data (an uploaded sheet, its unpacked parts): readable by this process's
/// user only, under a name that says whose they are, so a crashed run's leftovers can be swept at the next start.
public enum PrivateFiles {
    public static let prefix = "xiezuo-tmp-"

    /// A fresh directory (0700) for one reading, in `parent` (the system's temporary directory unless given).
    public static func directory(in parent: URL? = nil) throws -> URL {
        let dir = (parent ?? FileManager.default.temporaryDirectory).appendingPathComponent(prefix + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return dir
    }

    /// An empty file (0600); fails if it exists.
    public static func create(_ file: URL, contents: Data? = nil) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: contents, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// A temporary file (0600) holding `data`, in a directory of its own; the caller removes the directory.
    public static func write(_ data: Data, name: String = "upload") throws -> (directory: URL, file: URL) {
        let dir = try directory()
        let file = dir.appendingPathComponent(name)
        do { try create(file, contents: data) } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        return (dir, file)
    }

    /// Removes what earlier runs left behind (a process killed mid-request), if older than `age`.
    @discardableResult
    public static func sweep(olderThan age: TimeInterval = 3600, now: Date = Date()) -> Int {
        let tmp = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp.path) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let url = tmp.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
            if now.timeIntervalSince(modified) > age, (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }
}
