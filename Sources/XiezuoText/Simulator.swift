/// Reproduces the pipeline that garbles web documents (docs of the repair issue): naive character-by-character
/// Simplified→Traditional conversion, ASCII commas, GBK encoding, pinyin inserted by a byte-level replace for every
/// character of a fixed dictionary in ascending code order, then a double-byte decode that loses step ("?" for
/// pairs it cannot read, nothing for user-defined ones). Used to evaluate the repair on text we wrote ourselves.
public struct PipelineSimulator: Sendable {
    let data: TextData
    let toTraditional: [UInt32: UInt32]
    /// GBK code → the annotation inserted after it ("(pinyin)" as GBK bytes), ascending by code.
    let dictionary: [(code: UInt16, annotation: [UInt8])]

    /// `share`: percent of Traditional forms that the annotation dictionary holds (the sample report suggests ~40).
    public init(data: TextData = .shared, seed: UInt64 = 1, share: UInt64 = 40) {
        self.data = data
        var s2t: [UInt32: [UInt32]] = [:]
        for (t, alts) in data.simplified { for s in alts where s != t { s2t[s, default: []].append(t) } }
        var naive: [UInt32: UInt32] = [:]
        for (s, ts) in s2t {
            let options = ts.sorted()
            // One-to-many characters: a naive converter sometimes leaves them alone (并, 于 …), sometimes picks one.
            if options.count > 1, Self.mix(UInt64(s), seed) % 2 == 0 { continue }
            naive[s] = options[0]
        }
        toTraditional = naive
        var dict: [(UInt16, [UInt8])] = []
        for t in Set(naive.values) where Self.mix(UInt64(t), seed &+ 7) % 100 < share {
            guard let code = data.gbkEncode[t], let reading = data.readings[t]?.first else { continue }
            var ann: [UInt8] = [0x28]
            for u in reading.unicodeScalars {
                if u.value < 0x80 {
                    ann.append(UInt8(u.value))
                } else if let g = data.gbkEncode[u.value] {
                    ann.append(UInt8(g >> 8))
                    ann.append(UInt8(g & 0xFF))
                }
            }
            ann.append(0x29)
            dict.append((code, ann))
        }
        dictionary = dict.sorted { $0.0 < $1.0 }.map { (code: $0.0, annotation: $0.1) }
    }

    static func mix(_ v: UInt64, _ seed: UInt64) -> UInt64 {
        var g = SplitMix(state: v &* 0x9E37_79B9 &+ seed)
        return g.next()
    }

    public func garble(_ clean: String) -> String {
        // 1–2: naive conversion and ASCII commas
        var bytes: [UInt8] = []
        for u in clean.unicodeScalars {
            var v = u.value
            if v == 0xFF0C { v = 0x2C } else if v == 0xFF1B { v = 0x3B }
            v = toTraditional[v] ?? v
            if v < 0x80 {
                bytes.append(UInt8(v))
            } else if let g = data.gbkEncode[v] {
                bytes.append(UInt8(g >> 8))
                bytes.append(UInt8(g & 0xFF))
            } else {
                bytes.append(0x3F)
            }
        }
        // 3: byte-level replace, one dictionary entry after another
        var present = Set<UInt16>()
        for i in 0..<(max(bytes.count, 1) - 1) { present.insert(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        for entry in dictionary where present.contains(entry.code) {
            let a = UInt8(entry.code >> 8)
            let b = UInt8(entry.code & 0xFF)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            var i = 0
            var changed = false
            while i < bytes.count {
                if i + 1 < bytes.count, bytes[i] == a, bytes[i + 1] == b {
                    out.append(a)
                    out.append(b)
                    out += entry.annotation
                    i += 2
                    changed = true
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            if changed {
                bytes = out
                for j in 0..<(max(bytes.count, 1) - 1) { present.insert(UInt16(bytes[j]) << 8 | UInt16(bytes[j + 1])) }
            }
        }
        // 4: decode as double-byte text
        var text = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                text.unicodeScalars.append(Unicode.Scalar(b))
                i += 1
                continue
            }
            if b == 0x80 {
                text.unicodeScalars.append("\u{20AC}")
                i += 1
                continue
            }
            if b == 0xFF || i + 1 >= bytes.count {
                text.append("?")
                i += 1
                continue
            }
            let t = bytes[i + 1]
            if t < 0x40 || t == 0x7F || t == 0xFF {
                text.append("?")
                i += 2
                continue
            }
            let v = data.decode(b, t)
            if v == TextData.vanish {
                i += 2
                continue
            }
            if v == 0 { text.append("?") } else { text.unicodeScalars.append(Unicode.Scalar(v)!) }
            i += 2
        }
        return text
    }
}

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Character error rate: edit distance over the reference length.
public func characterErrors(_ output: String, _ reference: String) -> Int {
    let a = Array(output.unicodeScalars)
    let b = Array(reference.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
