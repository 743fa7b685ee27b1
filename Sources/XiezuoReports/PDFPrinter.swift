import Foundation
import XiezuoDomain

/// Turns a report's HTML into PDF with headless Chromium where it is installed. Chromium stamps each PDF with the
/// time and a random document id; both are replaced by fixed values of the same length, so the same report gives the
/// same bytes (offsets in the file stay valid).
public enum PDFPrinter {
    public enum Failure: Error, Sendable {
        case chromiumMissing
        case failed(String)
    }

    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The first Chromium on PATH (or in XIEZUO_CHROMIUM), if any.
    public static func chromium() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["XIEZUO_CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/lib/chromium"]
        for name in candidates {
            for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/" + name) { return d + "/" + name }
        }
        return nil
    }

    public static func pdf(html: String, stamp: Day, timeout: TimeInterval = 120) throws -> Data {
        guard let chromium = chromium() else { throw Failure.chromiumMissing }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xiezuo-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("report.html")
        let output = dir.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: input)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=" + dir.appendingPathComponent("profile").path, "--no-pdf-header-footer",
            "--print-to-pdf=" + output.path, input.absoluteString,
        ]
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning {
            p.terminate()
            throw Failure.failed("timeout after \(Int(timeout)) s")
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard p.terminationStatus == 0, let data = try? Data(contentsOf: output), data.starts(with: Array("%PDF".utf8)) else {
            throw Failure.failed(String(stderr.suffix(500)))
        }
        return normalise(data, stamp: stamp)
    }

    /// Replaces the creation/modification dates and the document id with fixed values of the same length.
    static func normalise(_ data: Data, stamp: Day) -> Data {
        var bytes = [UInt8](data)
        let date = Array(String(format: "%04d%02d%02d000000", stamp.year, stamp.month, stamp.day).utf8)
        for key in ["/CreationDate (D:", "/ModDate (D:"] {
            let k = Array(key.utf8)
            var i = 0
            while let at = find(k, in: bytes, from: i) {
                let start = at + k.count
                for j in 0..<date.count where start + j < bytes.count && bytes[start + j] != UInt8(ascii: ")") { bytes[start + j] = date[j] }
                i = start
            }
        }
        let idKey = Array("/ID [<".utf8)
        if let at = find(idKey, in: bytes, from: 0) {
            var j = at + idKey.count
            while j < bytes.count && bytes[j] != UInt8(ascii: "]") {
                if isHex(bytes[j]) { bytes[j] = UInt8(ascii: "0") }
                j += 1
            }
        }
        return Data(bytes)
    }

    static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}

extension PDFPrinter {
    /// The same, off the cooperative thread pool: Chromium takes seconds and the wait must not hold a task thread.
    public static func pdfAsync(html: String, stamp: Day) async throws -> Data {
        try await withCheckedThrowingContinuation { (k: CheckedContinuation<Data, any Error>) in
            DispatchQueue.global().async {
                do { k.resume(returning: try pdf(html: html, stamp: stamp)) } catch { k.resume(throwing: error) }
            }
        }
    }
}
