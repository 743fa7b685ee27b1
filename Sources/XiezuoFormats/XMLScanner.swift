import Foundation

/// A small pull scanner for the XML inside Office files: start and end tags with their attributes, and text.
/// It reads its input a chunk at a time, so a sheet of any length passes through a buffer of a few hundred kilobytes.
/// It refuses document type declarations (so no entity can expand — the "billion laughs" bomb has nothing to work
/// with) and text runs longer than `maxText`, and knows only the five predefined entities and character references.
struct XMLScanner {
    enum Event: Equatable {
        case start(name: String, attributes: XMLAttributes, selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    enum Failure: Error, Equatable {
        case doctype
        case malformed(String)
        case textTooLong(Int)
        case truncated
        case tooDeep(Int)
    }

    /// Office files nest a dozen elements deep; thousands of open elements are an attack on whoever keeps a stack.
    static let maxDepth = 256
    private(set) var depth = 0

    private var buffer: [UInt8] = []
    private var pos = 0
    private var finished = false
    private let read: () throws -> Data?
    let maxText: Int
    static let maxTag = 1 << 16

    /// `read` returns the next chunk, or nil at the end.
    init(maxText: Int, read: @escaping () throws -> Data?) {
        self.maxText = maxText
        self.read = read
    }

    static func reading(_ handle: FileHandle, maxText: Int) -> XMLScanner {
        XMLScanner(maxText: maxText) { try handle.read(upToCount: 256 * 1024).flatMap { $0.isEmpty ? nil : $0 } }
    }

    /// Makes at least `count` bytes available from `pos`, reading on; false at the end of input. Only appends, so
    /// indices stay valid during one `next()` (the buffer is compacted at the start of each).
    private mutating func ensure(_ count: Int) throws -> Bool {
        while buffer.count - pos < count {
            if finished { return false }
            if let chunk = try read() { buffer.append(contentsOf: chunk) } else { finished = true }
        }
        return true
    }

    /// Index of `byte` at or after `from`, reading on as needed; nil past `limit` bytes or at the end of input.
    private mutating func find(_ byte: UInt8, from: Int, limit: Int) throws -> Int? {
        var i = from
        while true {
            let stop = min(buffer.count, from + limit + 1)
            while i < stop {
                if buffer[i] == byte { return i }
                i += 1
            }
            if i > from + limit { return nil }
            guard try ensure(buffer.count - pos + 1) else { return nil }
        }
    }

    private mutating func findSequence(_ seq: [UInt8], from: Int, limit: Int) throws -> Int? {
        var i = from
        while true {
            guard let j = try find(seq[0], from: i, limit: limit - (i - from)) else { return nil }
            guard try ensure(j - pos + seq.count) else { return nil }
            if buffer[j..<j + seq.count].elementsEqual(seq) { return j }
            i = j + 1
        }
    }

    /// The next event. Comments and processing instructions are skipped in a loop (never by calling itself: a
    /// sheet of two million empty comments must not exhaust the stack).
    mutating func next() throws -> Event? {
        while true {
            if pos >= 1 << 16 {
                buffer.removeFirst(pos)
                pos = 0
            }
            guard try ensure(1) else { return nil }
            if buffer[pos] != UInt8(ascii: "<") {
                guard let lt = try find(UInt8(ascii: "<"), from: pos, limit: maxText) else {
                    if buffer.count - pos > maxText { throw Failure.textTooLong(maxText) }
                    // text at the very end of the document (only whitespace is legal there)
                    let text = try Self.decode(buffer[pos..<buffer.count])
                    pos = buffer.count
                    return .text(text)
                }
                let text = try Self.decode(buffer[pos..<lt])
                pos = lt
                return .text(text)
            }
            guard try ensure(2) else { throw Failure.truncated }
            let second = buffer[pos + 1]
            if second == UInt8(ascii: "?") {
                guard let end = try findSequence(Array("?>".utf8), from: pos, limit: Self.maxTag) else { throw Failure.truncated }
                pos = end + 2
                continue
            }
            if second == UInt8(ascii: "!") {
                guard try ensure(9) else {
                    // a comment can be shorter than nine bytes: "<!---->"
                    if try ensure(4), buffer[pos..<pos + 4].elementsEqual(Array("<!--".utf8)) {
                        guard let end = try findSequence(Array("-->".utf8), from: pos + 4, limit: maxText) else { throw Failure.truncated }
                        pos = end + 3
                        continue
                    }
                    throw Failure.truncated
                }
                let head = buffer[pos..<pos + 9]
                if head.starts(with: Array("<!--".utf8)) {
                    guard let end = try findSequence(Array("-->".utf8), from: pos + 4, limit: maxText) else { throw Failure.truncated }
                    pos = end + 3
                    continue
                }
                if head.elementsEqual(Array("<![CDATA[".utf8)) {
                    guard let end = try findSequence(Array("]]>".utf8), from: pos + 9, limit: maxText) else {
                        throw buffer.count - pos > maxText ? Failure.textTooLong(maxText) : Failure.truncated
                    }
                    let text = String(decoding: buffer[(pos + 9)..<end], as: UTF8.self)
                    pos = end + 3
                    return .text(text)
                }
                throw Failure.doctype
            }
            guard let gt = try find(UInt8(ascii: ">"), from: pos, limit: Self.maxTag) else {
                throw buffer.count - pos > Self.maxTag ? Failure.malformed("tag too long") : Failure.truncated
            }
            let tag = buffer[(pos + 1)..<gt]
            pos = gt + 1
            if tag.first == UInt8(ascii: "/") {
                depth = max(0, depth - 1)
                return .end(name: Self.localName(tag.dropFirst()))
            }
            var body = tag[...]
            var selfClosing = false
            if body.last == UInt8(ascii: "/") {
                selfClosing = true
                body = body.dropLast()
            }
            if !selfClosing {
                depth += 1
                if depth > Self.maxDepth { throw Failure.tooDeep(Self.maxDepth) }
            }
            let nameEnd = body.firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ?? body.endIndex
            let name = Self.localName(body[body.startIndex..<nameEnd])
            // Attributes are parsed when asked for: a sheet has millions of cells, and most attributes are never read.
            return .start(name: name, attributes: XMLAttributes(bytes: Array(body[nameEnd...])), selfClosing: selfClosing)
        }
    }

    /// The name without a namespace prefix (x:c → c).
    static func localName(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = bytes.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if let colon = trimmed.lastIndex(of: UInt8(ascii: ":")) { return String(decoding: trimmed[(colon + 1)...], as: UTF8.self) }
        return String(decoding: trimmed, as: UTF8.self)
    }

    static func attributes(_ bytes: ArraySlice<UInt8>) throws -> [String: String] {
        var out: [String: String] = [:]
        var i = bytes.startIndex
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < bytes.endIndex {
            while i < bytes.endIndex && isSpace(bytes[i]) { i += 1 }
            guard i < bytes.endIndex else { break }
            guard let eq = bytes[i...].firstIndex(of: UInt8(ascii: "=")) else { throw Failure.malformed("attribute") }
            let name = localName(bytes[i..<eq])
            var q = eq + 1
            while q < bytes.endIndex && isSpace(bytes[q]) { q += 1 }
            guard q < bytes.endIndex, bytes[q] == UInt8(ascii: "\"") || bytes[q] == UInt8(ascii: "'") else { throw Failure.malformed("attribute") }
            guard let close = bytes[(q + 1)...].firstIndex(of: bytes[q]) else { throw Failure.malformed("attribute") }
            out[name] = try decode(bytes[(q + 1)..<close])
            i = close + 1
        }
        return out
    }

    /// Text with entities and character references replaced.
    static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            guard let semi = bytes[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { throw Failure.malformed("entity") }
            let name = String(decoding: bytes[(i + 1)..<semi], as: UTF8.self)
            switch name {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var value: UInt32?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    value = UInt32(name.dropFirst(2), radix: 16)
                } else if name.hasPrefix("#") {
                    value = UInt32(name.dropFirst())
                }
                guard let v = value, let scalar = Unicode.Scalar(v) else { throw Failure.malformed("entity &\(name);") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semi + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The attributes of a start tag, kept as their bytes and read by name on demand.
struct XMLAttributes: Equatable {
    let bytes: [UInt8]

    subscript(_ name: String) -> String? {
        (try? XMLScanner.attributes(bytes[...]))?[name]
    }

    /// One attribute without building them all (the common case: `r` and `t` of a cell).
    func value(_ name: String) -> String? {
        let key = Array(name.utf8)
        var i = 0
        let n = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < n {
            while i < n && isSpace(bytes[i]) { i += 1 }
            let start = i
            while i < n && bytes[i] != UInt8(ascii: "=") && !isSpace(bytes[i]) { i += 1 }
            var nameBytes = bytes[start..<i]
            if let colon = nameBytes.lastIndex(of: UInt8(ascii: ":")) { nameBytes = nameBytes[(colon + 1)...] }
            while i < n && bytes[i] != UInt8(ascii: "=") { i += 1 }
            i += 1
            while i < n && isSpace(bytes[i]) { i += 1 }
            guard i < n else { return nil }
            let quote = bytes[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            let vStart = i + 1
            i = vStart
            while i < n && bytes[i] != quote { i += 1 }
            guard i < n else { return nil }
            if nameBytes.elementsEqual(key) { return try? XMLScanner.decode(bytes[vStart..<i]) }
            i += 1
        }
        return nil
    }
}
