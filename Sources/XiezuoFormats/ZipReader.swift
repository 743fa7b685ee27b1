import CZlib  // zlib, the system library module ZIPFoundation brings
import Foundation

/// Reads the members of an uploaded zip (XLSX, DOCX). Writing stays with ZIPFoundation; reading is done here because
/// fuzzing found three defects in ZIPFoundation 0.9.20's Linux reader that a hostile upload reaches: its in-memory
/// archive traps on a directory that points past the end, its inflate loop never ends when the file stops before
/// the compressed stream does (an endless request from a 366-byte file), and it tells zlib a short last chunk is a
/// whole buffer. This reader trusts nothing in the file: every offset is checked against the file's size, the
/// inflated bytes are counted as they come, and a stream that does not end where the directory says it does is an
/// error, never a wait.
final class ZipReader {
    struct Member {
        let path: String
        let method: UInt16
        let flags: UInt16
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        let crc: UInt32
        let headerOffset: UInt64
    }

    enum Failure: Error, Equatable {
        case notZip
        case damaged(String)
        case unsupported(String)
    }

    static let maxDirectory = 16 << 20
    static let maxMembers = 100_000

    private let handle: FileHandle
    let size: UInt64
    private(set) var members: [String: Member] = [:]

    init(url: URL) throws {
        guard let h = try? FileHandle(forReadingFrom: url) else { throw Failure.notZip }
        handle = h
        do {
            size = try handle.seekToEnd()
            try readDirectory()
        } catch {
            try? handle.close()
            throw (error as? Failure) ?? Failure.damaged("unreadable")
        }
    }

    deinit { try? handle.close() }

    subscript(_ path: String) -> Member? { members[path] }

    // MARK: the directory

    private func bytes(at offset: UInt64, _ count: Int) throws -> [UInt8] {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else { throw Failure.damaged("offset past the end") }
        try handle.seek(toOffset: offset)
        let d = try handle.read(upToCount: count) ?? Data()
        guard d.count == count else { throw Failure.damaged("short read") }
        return [UInt8](d)
    }

    private func readDirectory() throws {
        // The end-of-directory record sits in the last 64 KiB + 22 bytes (its comment is at most 65,535 bytes).
        let tailLength = Int(min(size, 65_557))
        guard tailLength >= 22 else { throw Failure.notZip }
        let tail = try bytes(at: size - UInt64(tailLength), tailLength)
        guard let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: { tail.le32($0) == 0x0605_4B50 }) else {
            throw Failure.notZip
        }
        var count = UInt64(tail.le16(end + 10))
        var directorySize = UInt64(tail.le32(end + 12))
        var directoryOffset = UInt64(tail.le32(end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the record says where the larger record is.
            guard end >= 20, tail.le32(end - 20) == 0x0706_4B50 else { throw Failure.damaged("zip64 locator") }
            let record = try bytes(at: tail.le64(end - 12), 56)
            guard record.le32(0) == 0x0606_4B50 else { throw Failure.damaged("zip64 record") }
            count = record.le64(32)
            directorySize = record.le64(40)
            directoryOffset = record.le64(48)
        }
        guard count <= UInt64(Self.maxMembers), directorySize <= UInt64(Self.maxDirectory) else { throw Failure.damaged("directory too large") }
        let dir = try bytes(at: directoryOffset, Int(directorySize))
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= dir.count, dir.le32(p) == 0x0201_4B50 else { throw Failure.damaged("directory entry") }
            let nameLength = Int(dir.le16(p + 28))
            let extraLength = Int(dir.le16(p + 30))
            let commentLength = Int(dir.le16(p + 32))
            guard p + 46 + nameLength + extraLength + commentLength <= dir.count else { throw Failure.damaged("directory entry") }
            var compressed = UInt64(dir.le32(p + 20))
            var uncompressed = UInt64(dir.le32(p + 24))
            var offset = UInt64(dir.le32(p + 42))
            // ZIP64 extra field: 64-bit values for exactly the fields that hold 0xFFFFFFFF, in this order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = dir.le16(e)
                let length = Int(dir.le16(e + 2))
                guard e + 4 + length <= extraEnd else { break }
                if id == 0x0001 {
                    var q = e + 4
                    func next() -> UInt64? {
                        guard q + 8 <= e + 4 + length else { return nil }
                        defer { q += 8 }
                        return dir.le64(q)
                    }
                    if uncompressed == 0xFFFF_FFFF, let v = next() { uncompressed = v }
                    if compressed == 0xFFFF_FFFF, let v = next() { compressed = v }
                    if offset == 0xFFFF_FFFF, let v = next() { offset = v }
                }
                e += 4 + length
            }
            let path = String(decoding: dir[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            if members[path] == nil {
                members[path] = Member(
                    path: path, method: dir.le16(p + 10), flags: dir.le16(p + 8), compressedSize: compressed,
                    uncompressedSize: uncompressed, crc: dir.le32(p + 16), headerOffset: offset)
            }
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    // MARK: a member's bytes

    /// Inflates a member, handing each piece to `consume` as it comes; checks the CRC at the end.
    func read(_ m: Member, consume: (Data) throws -> Void) throws {
        guard m.flags & 1 == 0 else { throw Failure.unsupported("encrypted") }
        let local = try bytes(at: m.headerOffset, 30)
        guard local.le32(0) == 0x0403_4B50 else { throw Failure.damaged("local header") }
        let dataOffset = m.headerOffset + 30 + UInt64(local.le16(26)) + UInt64(local.le16(28))
        guard dataOffset <= size, m.compressedSize <= size - dataOffset else { throw Failure.damaged("member past the end") }
        try handle.seek(toOffset: dataOffset)
        var remaining = m.compressedSize
        var crc = crc32(0, nil, 0)
        let inSize = 64 * 1024
        let outSize = 256 * 1024
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: inSize)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: outSize)
        defer {
            input.deallocate()
            output.deallocate()
        }

        /// The next piece of compressed bytes into `input`; 0 once the member's bytes are used up.
        func fill() throws -> Int {
            guard remaining > 0 else { return 0 }
            let want = Int(min(UInt64(inSize), remaining))
            let d = try handle.read(upToCount: want) ?? Data()
            guard !d.isEmpty else { throw Failure.damaged("truncated") }
            remaining -= UInt64(d.count)
            return d.copyBytes(to: UnsafeMutableBufferPointer(start: input, count: inSize))
        }

        switch m.method {
        case 0:  // stored
            while true {
                let n = try fill()
                if n == 0 { break }
                crc = crc32(crc, input, uInt(n))
                try consume(Data(bytes: input, count: n))
            }
        case 8:  // deflate
            var stream = z_stream()
            guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw Failure.damaged("zlib")
            }
            defer { inflateEnd(&stream) }
            var ended = false
            while !ended {
                if stream.avail_in == 0 {
                    let n = try fill()
                    // The directory's compressed size is used up and the stream has not ended: a cut or forged file.
                    guard n > 0 else { throw Failure.damaged("truncated") }
                    stream.next_in = input
                    stream.avail_in = uInt(n)
                }
                stream.next_out = output
                stream.avail_out = uInt(outSize)
                let r = inflate(&stream, Z_NO_FLUSH)
                let produced = outSize - Int(stream.avail_out)
                if produced > 0 {
                    crc = crc32(crc, output, uInt(produced))
                    try consume(Data(bytes: output, count: produced))
                }
                switch r {
                case Z_STREAM_END: ended = true
                case Z_OK: break
                case Z_BUF_ERROR where stream.avail_in == 0: break  // wants more input: the loop reads it or fails
                default: throw Failure.damaged("compressed data")
                }
            }
        default:
            throw Failure.unsupported("compression method \(m.method)")
        }
        guard UInt32(truncatingIfNeeded: crc) == m.crc else { throw Failure.damaged("checksum") }
    }
}

extension [UInt8] {
    func le16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func le32(_ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(self[i + $1]) << (8 * UInt32($1)) } }
    func le64(_ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(self[i + $1]) << (8 * UInt64($1)) } }
}
