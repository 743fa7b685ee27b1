import Foundation

/// The tables document repair needs, built by scripts/data/gen_text_data.py (sources and licences noted there) and
/// loaded once from the module's resources.
public final class TextData: Sendable {
    /// Unicode scalar for each two-byte GBK code, indexed by (lead - 0x81) * 191 + (trail - 0x40); 0 = invalid,
    /// `vanish` = a user-defined code that a decoder maps to a private-use character (later dropped).
    let gbkDecode: [UInt32]
    let gbkEncode: [UInt32: UInt16]
    /// The same over U+3400…U+9FFF (0: not in GBK), looked up for every character of a document.
    let gbkEncodeFlat: [UInt16]
    /// Every reading of a character, tone marks included.
    let readings: [UInt32: [String]]
    /// The same readings as numbers (`readingIndex`), in a flat table over U+3400…U+9FFF, for the hot loops.
    let readingIndex: [String: Int32]
    let readingIDsFlat: [[Int32]]
    /// Simplified candidates for a Traditional form (first = the usual one).
    let simplified: [UInt32: [UInt32]]
    /// Whether a character over U+3400…U+9FFF has an entry in `simplified`, so the hot loops skip the lookup.
    let hasSimplifiedFlat: [Bool]
    let unigramLog: [UInt32: Float]
    let unigramFloor: Float
    /// The same unigram log-probabilities as a flat table over U+3400…U+9FFF (NaN: unseen), for the hot loops.
    let unigramFlat: [Float]
    /// Characters that can stand in a document before the pipeline: those the model knows, and the Traditional
    /// forms a naive converter makes of them. A re-aligned character outside this set means bytes are missing.
    let plausible: Set<UInt32>
    let plausibleFlat: [Bool]

    @inline(__always) func isPlausible(_ c: UInt32) -> Bool {
        if c >= 0x3400 && c < 0xA000 { return plausibleFlat[Int(c) - 0x3400] }
        return plausible.contains(c)
    }

    /// True when the model has seen the character.
    @inline(__always) func isKnown(_ c: UInt32) -> Bool {
        if c >= 0x3400 && c < 0xA000 { return !unigramFlat[Int(c) - 0x3400].isNaN }
        return unigramLog[c] != nil
    }
    /// One-element candidate lists for every BMP character, made once: most decoded characters have exactly one
    /// reading, and sharing these lists spares an allocation per character.
    let singles: [[UInt32]]
    @inline(__always) func single(_ c: UInt32) -> [UInt32] { c < 0x10000 ? singles[Int(c)] : [c] }

    let bigramKeys: [UInt64]
    let bigramLog: [Float]
    /// Private-use characters → the two-byte GBK code a GB 18030 decoder reads as them (user-defined and
    /// unassigned codes).
    let privateUseGBK: [UInt32: UInt16]
    /// The word model: words of two to four characters (keys: code points packed 16 bits each from the top) and
    /// their log probabilities, sorted by key for binary search (lm-words.bin, read in place).
    let wordKeys: [UInt64]
    let wordLog: [Float]

    static let vanish: UInt32 = 0xFFFF_FFFF
    static let logUnseen: Float = log(0.2)

    public static let shared: TextData = {
        do { return try TextData(bundle: .module) } catch { fatalError("XiezuoText resources are missing: \(error)") }
    }()

    init(bundle: Bundle) throws {
        func url(_ name: String, _ ext: String) throws -> URL {
            guard let u = bundle.url(forResource: name, withExtension: ext) else { throw CocoaError(.fileNoSuchFile) }
            return u
        }
        var pua: [UInt32: UInt16] = [:]
        for line in try String(contentsOf: url("gb18030-pua", "tsv"), encoding: .ascii).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t")
            if parts.count == 2, let code = UInt16(parts[0], radix: 16), let c = UInt32(parts[1], radix: 16) { pua[c] = code }
        }
        privateUseGBK = pua
        let words = try Data(contentsOf: url("lm-words", "bin"), options: .alwaysMapped)
        let wn = words.count / 12
        var wk = [UInt64](repeating: 0, count: wn)
        var wl = [Float](repeating: 0, count: wn)
        words.withUnsafeBytes { raw in
            for i in 0..<wn {
                wk[i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 12, as: UInt64.self))
                wl[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)))
            }
        }
        wordKeys = wk
        wordLog = wl
        let gbk = try Data(contentsOf: url("gbk", "bin"), options: .alwaysMapped)
        var decode = [UInt32](repeating: 0, count: gbk.count / 4)
        _ = decode.withUnsafeMutableBytes { gbk.copyBytes(to: $0) }
        gbkDecode = decode
        var encode: [UInt32: UInt16] = [:]
        encode.reserveCapacity(22_000)
        for (i, v) in decode.enumerated() where v != 0 && v != Self.vanish && encode[v] == nil {
            encode[v] = UInt16(0x81 + i / 191) << 8 | UInt16(0x40 + i % 191)
        }
        gbkEncode = encode
        var encodeFlat = [UInt16](repeating: 0, count: 0xA000 - 0x3400)
        for (c, code) in encode where c >= 0x3400 && c < 0xA000 { encodeFlat[Int(c) - 0x3400] = code }
        gbkEncodeFlat = encodeFlat

        var r: [UInt32: [String]] = [:]
        for line in try String(contentsOf: url("readings", "tsv"), encoding: .utf8).split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t"), let c = line[..<tab].unicodeScalars.first else { continue }
            r[c.value] = line[line.index(after: tab)...].split(separator: ",").map(String.init)
        }
        readings = r
        var index: [String: Int32] = [:]
        var ids = [[Int32]](repeating: [], count: 0xA000 - 0x3400)
        for (c, list) in r {
            let nums = list.map { p -> Int32 in
                if let n = index[p] { return n }
                let n = Int32(index.count)
                index[p] = n
                return n
            }
            if c >= 0x3400 && c < 0xA000 { ids[Int(c) - 0x3400] = nums }
        }
        readingIndex = index
        readingIDsFlat = ids

        var s: [UInt32: [UInt32]] = [:]
        for line in try String(contentsOf: url("t2s", "tsv"), encoding: .utf8).split(separator: "\n") {
            let scalars = Array(line.unicodeScalars)
            guard scalars.count >= 3, scalars[1] == "\t" else { continue }
            s[scalars[0].value] = scalars[2...].map(\.value)
        }
        simplified = s
        var hs = [Bool](repeating: false, count: 0xA000 - 0x3400)
        for c in s.keys where c >= 0x3400 && c < 0xA000 { hs[Int(c) - 0x3400] = true }
        hasSimplifiedFlat = hs

        var uni: [UInt32: Float] = [:]
        var total: Float = 1
        for line in try String(contentsOf: url("lm-unigrams", "tsv"), encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let n = Float(parts[1]) else { continue }
            if parts[0] == "#total" {
                total = n
                continue
            }
            if let c = parts[0].unicodeScalars.first { uni[c.value] = n }
        }
        let logTotal = log(total)
        unigramLog = uni.mapValues { log($0) - logTotal }
        unigramFloor = log(0.5) - logTotal
        var flat = [Float](repeating: .nan, count: 0xA000 - 0x3400)
        for (c, v) in unigramLog where c >= 0x3400 && c < 0xA000 { flat[Int(c) - 0x3400] = v }
        unigramFlat = flat
        var ok = Set(uni.keys)
        for (t, alts) in s where alts.contains(where: { uni[$0] != nil }) { ok.insert(t) }
        plausible = ok
        var flags = [Bool](repeating: false, count: 0xA000 - 0x3400)
        for c in ok where c >= 0x3400 && c < 0xA000 { flags[Int(c) - 0x3400] = true }
        plausibleFlat = flags

        singles = (0..<0x10000).map { [UInt32($0)] }

        let bi = try Data(contentsOf: url("lm-bigrams", "bin"), options: .alwaysMapped)
        let n = bi.count / 12
        var keys = [UInt64](repeating: 0, count: n)
        var logs = [Float](repeating: 0, count: n)
        bi.withUnsafeBytes { raw in
            for i in 0..<n {
                let a = raw.loadUnaligned(fromByteOffset: i * 12, as: UInt32.self)
                let b = raw.loadUnaligned(fromByteOffset: i * 12 + 4, as: UInt32.self)
                keys[i] = UInt64(a) << 32 | UInt64(b)
                logs[i] = raw.loadUnaligned(fromByteOffset: i * 12 + 8, as: Float.self)
            }
        }
        // Store the interpolated log P(b | a) directly so a query is one binary search.
        for i in 0..<n {
            let a = UInt32(keys[i] >> 32)
            let b = UInt32(keys[i] & 0xFFFF_FFFF)
            let ua = (uni[a] ?? 1)
            let ub = exp(unigramLog[b] ?? unigramFloor)  // before the flat table exists
            let p = min(exp(logs[i]) / ua, 1)
            logs[i] = log(0.8 * p + 0.2 * ub)
        }
        bigramKeys = keys
        bigramLog = logs
    }

    @inline(__always) func decode(_ lead: UInt8, _ trail: UInt8) -> UInt32 {
        guard lead >= 0x81, lead != 0xFF, trail >= 0x40, trail != 0xFF else { return 0 }
        return gbkDecode[Int(lead - 0x81) * 191 + Int(trail - 0x40)]
    }

    @inline(__always) func encodeGBK(_ c: UInt32) -> UInt16? {
        if c >= 0x3400 && c < 0xA000 {
            let v = gbkEncodeFlat[Int(c) - 0x3400]
            return v == 0 ? nil : v
        }
        return gbkEncode[c]
    }

    /// The Simplified forms of a character, or nil when it has none other than itself.
    @inline(__always) func simplifiedForms(_ c: UInt32) -> [UInt32]? {
        if c >= 0x3400 && c < 0xA000 && !hasSimplifiedFlat[Int(c) - 0x3400] { return nil }
        return simplified[c]
    }

    /// `hasReading` with the reading already looked up in `readingIndex`.
    @inline(__always) func hasReading(_ scalar: UInt32, id: Int32?, _ pinyin: String) -> Bool {
        if scalar >= 0x3400 && scalar < 0xA000 {
            guard let id else { return false }
            return readingIDsFlat[Int(scalar) - 0x3400].contains(id)
        }
        return hasReading(scalar, pinyin)
    }

    func hasReading(_ scalar: UInt32, _ pinyin: String) -> Bool {
        readings[scalar]?.contains(pinyin) ?? false
    }

    /// log P(b | a), interpolated with the unigram so unseen pairs are possible but unlikely.
    @inline(__always) func logUnigram(_ c: UInt32) -> Float {
        if c >= 0x3400 && c < 0xA000 {
            let v = unigramFlat[Int(c) - 0x3400]
            return v.isNaN ? unigramFloor : v
        }
        return unigramLog[c] ?? unigramFloor
    }

    func logBigram(_ a: UInt32, _ b: UInt32) -> Float {
        let ub = logUnigram(b)
        let key = UInt64(a) << 32 | UInt64(b)
        var lo = 0
        var hi = bigramKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if bigramKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        if lo < bigramKeys.count, bigramKeys[lo] == key { return bigramLog[lo] }
        return Self.logUnseen + ub
    }
}

extension TextData {
    /// Decodes GBK bytes (ASCII and two-byte codes; user-defined codes become U+FFFD). Nil when the bytes are not
    /// GBK: a lead byte without a valid trail, or a four-byte GB 18030 sequence.
    public func decodeGBK(_ bytes: [UInt8]) -> String? {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                out.append(Unicode.Scalar(b))
                i += 1
                continue
            }
            if b == 0x80 {
                out.append("\u{20AC}")
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return nil }
            let v = decode(b, bytes[i + 1])
            if v == 0 { return nil }
            out.append(v == Self.vanish ? "\u{FFFD}" : (Unicode.Scalar(v) ?? "\u{FFFD}"))
            i += 2
        }
        return String(out)
    }
}

extension TextData {
    /// log P of a word of two to four characters, nil when the word list does not hold it.
    @inline(__always) func logWord(_ chars: ArraySlice<UInt32>) -> Float? {
        guard (2...4).contains(chars.count) else { return nil }
        var key: UInt64 = 0
        var shift: UInt64 = 48
        for c in chars {
            guard c >= 0x3400 && c < 0xA000 else { return nil }
            key |= UInt64(c) << shift
            shift &-= 16
        }
        var lo = 0
        var hi = wordKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if wordKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < wordKeys.count && wordKeys[lo] == key ? wordLog[lo] : nil
    }

    /// How well a stretch reads as words: the best segmentation into listed words and single characters (a single
    /// character costs its unigram and a penalty), as jieba's own segmenter scores one. Other characters cut it.
    func wordScore(_ s: [UInt32]) -> Float {
        let n = s.count
        var best = [Float](repeating: -.infinity, count: n + 1)
        best[0] = 0
        for i in 1...max(n, 1) where i <= n {
            let c = s[i - 1]
            let single: Float = c >= 0x3400 && c < 0xA000 ? logUnigram(c) + Self.singlePenalty : -6
            best[i] = best[i - 1] + single
            for len in 2...4 where i - len >= 0 {
                if let w = logWord(s[(i - len)..<i]) { best[i] = max(best[i], best[i - len] + w) }
            }
        }
        return best[n]
    }

    /// What reading a character alone costs beside reading it in a word.
    static let singlePenalty: Float = -2
}
