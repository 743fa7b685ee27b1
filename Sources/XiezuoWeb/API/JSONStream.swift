import Foundation

/// Encodes an `Encodable` value straight into JSON bytes as it walks it, keys in the order the type declares them.
/// Foundation's `JSONEncoder` first builds a tree of dictionaries and then writes it (with sorted keys, a sort per
/// object): on the project list that was a third of the request's time (docs/BENCHMARKS.md). The same value always
/// gives the same bytes here too, since a type's keys come in one order.
enum JSONStream {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let sink = JSONSink()
        let encoder = StreamEncoder(sink: sink, depth: 0, codingPath: [])
        try encoder.encodeValue(value)
        sink.close(deeperThan: 0)
        return sink.bytes
    }
}

/// The output and the containers still open: each with the byte that closes it and how many members it has so far.
/// Synthesized `Codable` finishes one member before it starts the next, so a container is closed when its parent
/// starts its next member or closes itself.
final class JSONSink {
    var bytes: [UInt8] = []
    var open: [(close: UInt8, members: Int)] = []

    init() { bytes.reserveCapacity(4096) }

    func close(deeperThan depth: Int) {
        while open.count > depth { bytes.append(open.removeLast().close) }
    }

    func openContainer(_ start: UInt8, _ end: UInt8) {
        bytes.append(start)
        open.append((end, 0))
    }

    /// Starts a member of the container at `index`, after closing what its previous member left open.
    func startMember(of index: Int) {
        close(deeperThan: index + 1)
        if open[index].members > 0 { bytes.append(UInt8(ascii: ",")) }
        open[index].members += 1
    }

    func key(_ key: String, of index: Int) {
        startMember(of: index)
        Self.append(string: key, colon: true, to: &bytes)
    }

    func string(_ s: String) { Self.append(string: s, colon: false, to: &bytes) }

    func integer<T: BinaryInteger>(_ v: T) { Self.append(integer: v, to: &bytes) }

    // The writers take the output `inout` so that a string or number is one access to it, not one per byte.

    static func append(string s: String, colon: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var plain = 0  // bytes from here on that need no escape are copied at once
            for (i, b) in utf8.enumerated() where b == 0x22 || b == 0x5C || b < 0x20 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plain..<i]))
                plain = i + 1
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let hex: StaticString = "0123456789abcdef"
                    let h = hex.utf8Start
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, h[Int(b >> 4)], h[Int(b & 15)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plain...]))
        }
        out.append(UInt8(ascii: "\""))
        if colon { out.append(UInt8(ascii: ":")) }
    }

    static func append<T: BinaryInteger>(integer v: T, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(v.magnitude)
        // Twenty digits hold any 64-bit magnitude; filled from the right.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    func floating(_ v: Double, _ path: [any CodingKey]) throws {
        guard v.isFinite else {
            throw EncodingError.invalidValue(v, .init(codingPath: path, debugDescription: "JSON has no \(v)"))
        }
        // Whole numbers as integers, as JSONEncoder writes them.
        if v == v.rounded(), abs(v) < 9_007_199_254_740_992 { integer(Int64(v)) } else { bytes.append(contentsOf: v.description.utf8) }
    }

    func literal(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
}

/// One position in the output: the value of a key, an element of an array, or the whole document. `depth` is how
/// many containers are open around it.
final class StreamEncoder: Encoder {
    let sink: JSONSink
    let depth: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// Whether anything was written at this position (an object asked for twice is opened once).
    var wrote = false
    var openedContainer = false

    init(sink: JSONSink, depth: Int, codingPath: [any CodingKey]) {
        self.sink = sink
        self.depth = depth
        self.codingPath = codingPath
    }

    /// Writes `value` here; a value that writes nothing is `{}`, as with JSONEncoder.
    func encodeValue(_ value: some Encodable) throws {
        try encodeValue(value, as: type(of: value))
    }

    private func encodeValue<T: Encodable>(_ value: T, as type: T.Type) throws {
        // Types compared by their metadata: far cheaper than a cast attempted on every value.
        if T.self == String.self {
            sink.string(unsafeBitCast(value, to: String.self))
        } else if T.self == Int64.self {
            sink.integer(unsafeBitCast(value, to: Int64.self))
        } else if T.self == Int.self {
            sink.integer(unsafeBitCast(value, to: Int.self))
        } else if T.self == Bool.self {
            if unsafeBitCast(value, to: Bool.self) { sink.literal("true") } else { sink.literal("false") }
        } else if T.self == URL.self || T.self == Decimal.self || T.self == Date.self || T.self == Data.self {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "sent as strings in this API"))
        } else if MemoryLayout<T>.size == MemoryLayout<[String: Int]>.size, let d = value as? any SortedJSONObject {
            // (Only a value the size of a dictionary reference can be one: the costlier check is skipped for others.)
            // A dictionary's own order changes from run to run: its keys are written sorted.
            try d.encodeSorted(self)
        } else {
            try value.encode(to: self)
            if !wrote { sink.literal("{}") }
        }
        wrote = true
        sink.close(deeperThan: depth)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if !openedContainer {
            sink.close(deeperThan: depth)
            sink.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}"))
            openedContainer = true
            wrote = true
        }
        return KeyedEncodingContainer(StreamKeyedContainer<Key>(encoder: self, index: depth, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if !openedContainer {
            sink.close(deeperThan: depth)
            sink.openContainer(UInt8(ascii: "["), UInt8(ascii: "]"))
            openedContainer = true
            wrote = true
        }
        return StreamUnkeyedContainer(encoder: self, index: depth, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { StreamSingleValue(encoder: self) }

    /// The encoder for a member just started inside the container at `index`.
    func child(_ key: any CodingKey) -> StreamEncoder {
        StreamEncoder(sink: sink, depth: depth + 1, codingPath: codingPath + [key])
    }
}

/// A dictionary keyed by strings.
protocol SortedJSONObject {
    func encodeSorted(_ encoder: StreamEncoder) throws
}

extension Dictionary: SortedJSONObject where Key == String, Value: Encodable {
    func encodeSorted(_ encoder: StreamEncoder) throws {
        let sink = encoder.sink
        _ = encoder.container(keyedBy: StreamUnkeyedContainer.Position.self)
        for key in keys.sorted() {
            sink.key(key, of: encoder.depth)
            try encoder.child(StreamUnkeyedContainer.Position(stringValue: key)).encodeValue(self[key]!)
        }
    }
}

struct StreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StreamEncoder
    let index: Int
    let codingPath: [any CodingKey]
    var sink: JSONSink { encoder.sink }

    /// Every integer type the protocol names, written one way.
    private func write<T: BinaryInteger>(_ value: T, _ key: Key) {
        sink.key(key.stringValue, of: index)
        sink.integer(value)
    }

    mutating func encodeNil(forKey key: Key) throws {
        sink.key(key.stringValue, of: index)
        sink.literal("null")
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        sink.key(key.stringValue, of: index)
        if value { sink.literal("true") } else { sink.literal("false") }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        sink.key(key.stringValue, of: index)
        sink.string(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        sink.key(key.stringValue, of: index)
        try sink.floating(value, codingPath + [key])
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        sink.key(key.stringValue, of: index)
        try sink.floating(Double(value), codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { write(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { write(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        sink.key(key.stringValue, of: index)
        try encoder.child(key).encodeValue(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        sink.key(key.stringValue, of: index)
        return encoder.child(key).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        sink.key(key.stringValue, of: index)
        return encoder.child(key).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        // Written at once as an empty object, filled only if the caller asks for a keyed container at its depth.
        sink.key(key.stringValue, of: index)
        let e = encoder.child(key)
        _ = e.container(keyedBy: Key.self)
        return e
    }
}

struct StreamUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StreamEncoder
    let index: Int
    let codingPath: [any CodingKey]
    var count: Int { encoder.sink.open.count > index ? encoder.sink.open[index].members : 0 }
    var sink: JSONSink { encoder.sink }

    struct Position: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(_ i: Int) {
            stringValue = String(i)
            intValue = i
        }
        init(stringValue: String) {
            self.stringValue = stringValue
            intValue = nil
        }
        init?(intValue: Int) { self.init(intValue) }
    }

    mutating func encodeNil() throws {
        sink.startMember(of: index)
        sink.literal("null")
    }
    mutating func encode(_ value: String) throws {
        sink.startMember(of: index)
        sink.string(value)
    }
    mutating func encode(_ value: Bool) throws {
        sink.startMember(of: index)
        if value { sink.literal("true") } else { sink.literal("false") }
    }
    mutating func encode(_ value: Int) throws {
        sink.startMember(of: index)
        sink.integer(value)
    }
    mutating func encode(_ value: Int64) throws {
        sink.startMember(of: index)
        sink.integer(value)
    }
    mutating func encode(_ value: Double) throws {
        sink.startMember(of: index)
        try sink.floating(value, codingPath)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let position = count
        sink.startMember(of: index)
        try encoder.child(Position(position)).encodeValue(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let position = count
        sink.startMember(of: index)
        return encoder.child(Position(position)).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let position = count
        sink.startMember(of: index)
        return encoder.child(Position(position)).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        let position = count
        sink.startMember(of: index)
        let e = encoder.child(Position(position))
        _ = e.container(keyedBy: Position.self)
        return e
    }
}

struct StreamSingleValue: SingleValueEncodingContainer {
    let encoder: StreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var sink: JSONSink { encoder.sink }

    private func mark() { encoder.wrote = true }

    /// Every integer type the protocol names, written one way.
    private func write<T: BinaryInteger>(_ value: T) {
        mark()
        sink.integer(value)
    }

    mutating func encodeNil() throws {
        mark()
        sink.literal("null")
    }
    mutating func encode(_ value: Bool) throws {
        mark()
        if value { sink.literal("true") } else { sink.literal("false") }
    }
    mutating func encode(_ value: String) throws {
        mark()
        sink.string(value)
    }
    mutating func encode(_ value: Double) throws {
        mark()
        try sink.floating(value, codingPath)
    }
    mutating func encode(_ value: Float) throws {
        mark()
        try sink.floating(Double(value), codingPath)
    }
    mutating func encode(_ value: Int) throws { write(value) }
    mutating func encode(_ value: Int64) throws { write(value) }
    mutating func encode(_ value: Int32) throws { write(value) }
    mutating func encode(_ value: UInt64) throws { write(value) }
    mutating func encode(_ value: Int8) throws { write(value) }
    mutating func encode(_ value: Int16) throws { write(value) }
    mutating func encode(_ value: UInt) throws { write(value) }
    mutating func encode(_ value: UInt8) throws { write(value) }
    mutating func encode(_ value: UInt16) throws { write(value) }
    mutating func encode(_ value: UInt32) throws { write(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        mark()
        // The value takes this very position: a fresh encoder at the same depth.
        try StreamEncoder(sink: sink, depth: encoder.depth, codingPath: codingPath).encodeValue(value)
    }
}
