import ArgumentParser
import Dispatch
import Foundation
import XiezuoText

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repair a garbled Chinese document (pinyin, scars, naive Traditional); clean text passes unchanged.",
        discussion: """
            Reads FILE or standard input; writes the repaired text to standard output, byte for byte the input when the
            document is not garbled. --jsonl reads JSON lines with a "text" field and writes each back with the text
            repaired and a "repair" summary, in order, on all cores.
            """)

    @Argument(help: "The document; standard input when omitted.") var file: String?
    @Flag(help: "Write the change report as JSON to standard error.") var explain = false
    @Flag(help: "Read and write JSON lines with a \"text\" field.") var jsonl = false

    /// One document is held in memory whole; beyond this, split it (or use --jsonl with one document a line).
    static let maxDocument = 256 << 20

    func run() throws {
        let handle: FileHandle
        if let file {
            guard let h = FileHandle(forReadingAtPath: file) else {
                throw CommandFailure("cannot read \(file) / 无法读取文件 \(file)")
            }
            handle = h
        } else {
            handle = .standardInput
        }
        if jsonl {
            try runLines(handle)
            return
        }
        var input = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            input.append(chunk)
            if input.count > Self.maxDocument {
                throw CommandFailure("the document is larger than \(Self.maxDocument >> 20) MB; split it, or use --jsonl / 文档过大，请拆分后再处理")
            }
        }
        guard let text = String(data: input, encoding: .utf8) else {
            throw CommandFailure("the input is not valid UTF-8 / 输入不是有效的 UTF-8 文本")
        }
        let result = Repairer().repair(text)
        FileHandle.standardOutput.write(Data(result.text.utf8))
        if explain {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardError.write(try e.encode(result.report) + Data("\n".utf8))
        }
    }

    /// Streams JSON lines in batches; each batch is repaired on all cores and written in input order.
    func runLines(_ handle: FileHandle) throws {
        let repairer = Repairer()
        let progress =
            isatty(STDERR_FILENO) == 1 ? Progress(total: file.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }) : nil
        var reader = LineReader(handle)
        var lineNumber = 0
        var failed = 0
        var garbled = 0
        let batchSize = 512
        while true {
            var batch: [Data] = []
            while batch.count < batchSize, let line = try reader.next() { batch.append(line) }
            if batch.isEmpty { break }
            let results = Slots<(Data, String?, Bool)>(count: batch.count)
            defer { results.free() }
            let first = lineNumber
            let lines = batch
            // each worker writes only its own index
            DispatchQueue.concurrentPerform(iterations: lines.count) { i in
                results.set(i, Self.repairLine(lines[i], number: first + i + 1, repairer))
            }
            var out = Data()
            for i in 0..<batch.count {
                let (data, error, wasGarbled) = results[i]
                out.append(data)
                out.append(0x0A)
                if let error {
                    failed += 1
                    FileHandle.standardError.write(Data((error + "\n").utf8))
                }
                if wasGarbled { garbled += 1 }
                progress?.advance(bytes: batch[i].count + 1)
            }
            FileHandle.standardOutput.write(out)
            lineNumber += batch.count
        }
        progress?.finish()
        FileHandle.standardError.write(Data("\(lineNumber) lines, \(garbled) repaired, \(failed) could not be read\n".utf8))
        if failed > 0 { throw ExitCode(1) }
    }

    /// A line that is not a JSON object with a string "text" is written back unchanged and reported.
    static func repairLine(_ line: Data, number: Int, _ repairer: Repairer) -> (Data, String?, Bool) {
        guard let object = try? JSONSerialization.jsonObject(with: line), var record = object as? [String: Any] else {
            return (line, "line \(number): not a JSON object; written back unchanged", false)
        }
        guard let text = record["text"] as? String else {
            return (line, "line \(number): no string field \"text\"; written back unchanged", false)
        }
        let r = repairer.repair(text)
        record["text"] = r.text
        // Unsolved stretches are listed whole (where, what came, the □ shown, what each □ may be): a consumer of
        // the lines must be able to find and flag them without running --explain.
        let unsolved: [[String: Any]] = r.report.unsolved.map {
            ["offset": $0.offset, "length": $0.length, "text": $0.text, "shown": $0.shown, "candidates": $0.candidates]
        }
        record["repair"] = [
            "garbled": r.report.garbled, "changes": r.report.changes.count, "verdict": r.report.verdict.rawValue,
            "unsolved": unsolved, "scars": r.report.scars, "reason": r.report.reason,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return (line, "line \(number): could not be written as JSON; written back unchanged", false)
        }
        return (data, nil, r.report.garbled)
    }
}

/// Fixed-size result storage that concurrent workers fill at distinct indices.
struct Slots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(count: Int) { buffer = .allocate(capacity: count) }
    func set(_ i: Int, _ value: T) { buffer.initializeElement(at: i, to: value) }
    subscript(_ i: Int) -> T { buffer[i] }
    func free() {
        buffer.deinitialize()
        buffer.deallocate()
    }
}

/// Splits a stream into lines without holding more than one line and one read buffer.
struct LineReader {
    let handle: FileHandle
    var buffer = Data()
    var done = false
    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() throws -> Data? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer = buffer[(nl + 1)...]
                if line.isEmpty { continue }
                return Data(line)
            }
            if done {
                if buffer.isEmpty { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { buffer.append(chunk) } else { done = true }
        }
    }
}

/// A one-line progress bar on standard error, for terminals only.
final class Progress {
    let total: Int?
    var done = 0
    var lastDraw = Date.distantPast
    init(total: Int?) { self.total = total }

    func advance(bytes: Int) {
        done += bytes
        guard Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        if let total, total > 0 {
            let share = min(1, Double(done) / Double(total))
            let bar = String(repeating: "█", count: Int(share * 30)) + String(repeating: "·", count: 30 - Int(share * 30))
            FileHandle.standardError.write(Data(String(format: "\r%@ %5.1f%%  %d MB", bar, share * 100, done >> 20).utf8))
        } else {
            FileHandle.standardError.write(Data("\r\(done >> 20) MB".utf8))
        }
    }

    func finish() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
