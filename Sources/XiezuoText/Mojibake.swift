/// The other common garbling (乱码): bytes decoded with the wrong character set. Three readings reach offices:
///
/// - UTF-8 read as GBK — `绮ら粩涓ょ渷` for 粤黔两省: each Chinese character's three UTF-8 bytes became one and a half
///   rare GBK characters;
/// - GBK read as Latin-1 or Windows-1252 — `¹ã¶«` for 广东;
/// - UTF-8 read as Latin-1 or Windows-1252, then saved as UTF-8 again (doubly encoded) — `å¹¿ä¸œ` for 广东.
///
/// Each is undone by the round trip that made it: the characters are turned back into the bytes the wrong decoder
/// read, and those bytes decoded as they were meant to be. A stretch is changed only where the round trip decodes
/// cleanly and what it gives reads far better as Chinese than what was there, so clean text — Simplified or
/// Traditional, with rare characters, English, accented names — stays as it is. The round trips repeat (text can be
/// garbled twice), and work stretch by stretch, so a page whose title is fine and whose body is garbled is mended
/// where it is garbled only.
public struct EncodingRepair: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case utf8AsGBK = "utf8-as-gbk"
        case gbkAsLatin1 = "gbk-as-latin1"
        case utf8AsLatin1 = "utf8-as-latin1"
    }

    /// One mended stretch: `length` characters of the input at `offset` became `after`.
    public struct Fix: Sendable, Equatable {
        public var offset: Int
        public var length: Int
        public var before: String
        public var after: String
        public var kind: Kind
        /// Characters of `after` whose bytes were partly lost and chosen by the language model.
        public var guessed: Int
    }

    let data: TextData
    /// Per character over U+3400…U+9FFF, by its GBK code: bit 1 — the code starts the way UTF-8 starts a Chinese
    /// character (lead E3–E9, trail 80–BF), what UTF-8 read as GBK is made of and rare in real text; bit 2 — the code
    /// is the UTF-8 of a Latin-1 letter (lead C2–C3, trail 80–BF), what Latin-1 mojibake read as GBK once more is made
    /// of (some are common — 路, 没, 每 — so only three or more in a row count).
    let shapes: [UInt8]
    static let utf8Shaped: UInt8 = 1
    static let latinShaped: UInt8 = 2

    public init(data: TextData = .shared) {
        self.data = data
        var shapes = [UInt8](repeating: 0, count: 0xA000 - 0x3400)
        for c in 0x3400..<0xA000 {
            guard let g = data.encodeGBK(UInt32(c)) else { continue }
            let lead = g >> 8
            let trail = g & 0xFF
            guard (0x80...0xBF).contains(trail) else { continue }
            if (0xE3...0xE9).contains(lead) { shapes[c - 0x3400] = Self.utf8Shaped }
            if (0xC2...0xC3).contains(lead) { shapes[c - 0x3400] = Self.latinShaped }
        }
        self.shapes = shapes
    }

    func shape(_ c: UInt32) -> UInt8 { c >= 0x3400 && c < 0xA000 ? shapes[Int(c) - 0x3400] : 0 }

    /// The repaired text and what changed, or nil when nothing in the text reads as a wrong decoding.
    public func repair(_ text: String) -> (text: String, fixes: [Fix])? {
        var scalars = Array(text.unicodeScalars).map(\.value)
        // Offsets of the fixes are kept in the original's terms: `origin[i]` is the input range behind character i.
        var origin: [Range<Int>] = scalars.indices.map { $0..<($0 + 1) }
        var fixes: [(range: Range<Int>, after: [UInt32], kind: Kind, guessed: Int)] = []
        for _ in 0..<3 {
            var changed = false
            for kind in [Kind.utf8AsLatin1, .gbkAsLatin1, .utf8AsGBK] where mayHold(kind, scalars) {
                // A text found garbled one way by a stretch that proves it (two or more characters, far better) is
                // garbled that way throughout: its short stretches — a 年 between digits, a lone comma — are mended
                // too, on weaker evidence.
                guard !candidates(kind, scalars).isEmpty else { continue }
                let spans = candidates(kind, scalars, settled: true)
                guard !spans.isEmpty else { continue }
                var out: [UInt32] = []
                var outOrigin: [Range<Int>] = []
                var k = 0
                for s in spans {
                    out += scalars[k..<s.range.lowerBound]
                    outOrigin += origin[k..<s.range.lowerBound]
                    let from = origin[s.range.lowerBound].lowerBound
                    let to = origin[s.range.upperBound - 1].upperBound
                    // The whole input stretch behind the span becomes the decoded text; an earlier fix inside it is
                    // folded into this one.
                    fixes.removeAll { $0.range.lowerBound >= from && $0.range.upperBound <= to }
                    fixes.append((from..<to, s.decoded, kind, s.guessed))
                    out += s.decoded
                    outOrigin += s.decoded.map { _ in from..<to }
                    k = s.range.upperBound
                }
                out += scalars[k...]
                outOrigin += origin[k...]
                scalars = out
                origin = outOrigin
                changed = true
            }
            if !changed { break }
        }
        guard !fixes.isEmpty else { return nil }
        let input = Array(text.unicodeScalars)
        func string(_ v: some Sequence<UInt32>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: v.map { Unicode.Scalar($0) ?? "\u{FFFD}" })
            return String(s)
        }
        // A fix's `after` is what its input stretch finally became (later rounds may have mended it further).
        // What each fixed stretch finally became, in one pass over the text.
        let fixed = Set(fixes.map(\.range))
        var became: [Int: [UInt32]] = [:]
        for (c, o) in zip(scalars, origin) where fixed.contains(o) { became[o.lowerBound, default: []].append(c) }
        let final = fixes.sorted { $0.range.lowerBound < $1.range.lowerBound }.map { f -> Fix in
            let after = became[f.range.lowerBound] ?? []
            return Fix(
                offset: f.range.lowerBound, length: f.range.count, before: String(String.UnicodeScalarView(input[f.range])),
                after: string(after), kind: f.kind, guessed: f.guessed)
        }
        return (string(scalars), final)
    }

    // MARK: screening

    /// A scan of the UTF-8 bytes, fast enough for every document, for what a wrong reading leaves close together:
    /// three Latin-1 or Windows-1252 letters in a row (an accented name has one at a time), three characters of the
    /// shape UTF-8 read as GBK makes within eight, or three in a row of the
    /// shape a second reading makes. A rare character here and there in a long clean text does not count.
    public func worthALook(_ text: String) -> Bool {
        if let r = text.utf8.withContiguousStorageIfAvailable(screen) { return r }
        return Array(text.utf8).withUnsafeBufferPointer(screen)
    }

    private func screen(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        shapes.withUnsafeBufferPointer { flags in screen(b, flags) }
    }

    private func screen(_ b: UnsafeBufferPointer<UInt8>, _ flags: UnsafeBufferPointer<UInt8>) -> Bool {
        var latin = 0  // Latin-1 / Windows-1252 letters in a row
        var letters = 0  // of which Latin-1 letters proper (a run of “”… alone is Chinese punctuation)
        var index = 0  // characters seen
        var shapedAt = (Int.min / 2, Int.min / 2)  // where the last two shaped characters stood
        var inARow = 0
        var i = 0
        let n = b.count
        while i < n {
            let x = b[i]
            if x < 0x80 {
                latin = 0
                letters = 0
                inARow = 0
                index += 1
                i += 1
                continue
            }
            if x < 0xC2 {
                i += 1  // a continuation byte: part of the character already counted
                continue
            }
            if x <= 0xDF {
                // Two-byte characters: Latin-1 (C2, C3) and Windows-1252's letters and signs (Œ œ Š š Ž ž Ÿ ƒ ˆ ˜).
                if x <= 0xC3 || x == 0xC5 || x == 0xC6 || x == 0xCB {
                    latin += 1
                    letters += 1
                } else {
                    latin = 0
                    letters = 0
                }
                if latin >= 3 && letters >= 1 { return true }
                inARow = 0
                index += 1
                i += 2
            } else if x <= 0xEF && i + 2 < n {
                let v = Int(x & 0x0F) << 12 | Int(b[i + 1] & 0x3F) << 6 | Int(b[i + 2] & 0x3F)
                // Windows-1252's punctuation (‚ „ … † ‡ ‰ ‹ › ‘ ’ “ ” • – — ™ €) continues a Latin-1 run.
                if v >= 0x3400 && v < 0xA000 {
                    latin = 0
                    letters = 0
                    let f = flags[v - 0x3400]
                    if f & Self.utf8Shaped != 0 {
                        // A third within eight characters: clean text has at most two (憧憬), UTF-8 read as GBK three
                        // or four in every such window of a sentence.
                        if index - shapedAt.0 < 8 { return true }
                        shapedAt = (shapedAt.1, index)
                    }
                    inARow = f & Self.latinShaped != 0 ? inARow + 1 : 0
                    if inARow >= 3 { return true }
                } else {
                    latin = (0x2013...0x2122).contains(v) || v == 0x20AC ? latin + 1 : 0
                    if latin == 0 { letters = 0 }
                    if latin >= 3 && letters >= 1 { return true }
                    inARow = 0
                }
                index += 1
                i += 3
            } else {
                latin = 0
                letters = 0
                inARow = 0
                i += 1
            }
        }
        return false
    }

    /// Whether the text has enough of what a kind of garbling leaves to be worth a look.
    func mayHold(_ kind: Kind, _ s: [UInt32]) -> Bool {
        var n = 0
        switch kind {
        case .utf8AsGBK:
            var inARow = 0
            for c in s {
                let f = shape(c)
                if f & Self.utf8Shaped != 0 {
                    n += 1
                    if n >= 2 { return true }
                }
                inARow = f & Self.latinShaped != 0 ? inARow + 1 : 0
                if inARow >= 3 { return true }
            }
        case .gbkAsLatin1, .utf8AsLatin1:
            for c in s where c >= 0x80 && c <= 0xFF {
                n += 1
                if n >= 2 { return true }
            }
        }
        return false
    }

    // MARK: the round trips

    /// The bytes a wrong decoder read to produce a character, or nil when it could not have produced it.
    func bytes(_ kind: Kind, _ c: UInt32) -> [UInt8]? {
        if c < 0x80 { return [UInt8(c)] }
        switch kind {
        case .utf8AsGBK:
            guard let g = data.encodeGBK(c) ?? data.privateUseGBK[c] else { return c == 0x20AC ? [0x80] : nil }
            return [UInt8(g >> 8), UInt8(g & 0xFF)]
        case .gbkAsLatin1, .utf8AsLatin1:
            if c <= 0xFF { return [UInt8(c)] }
            return Self.windows1252[c].map { [$0] }
        }
    }

    /// Windows-1252's characters in 0x80–0x9F (where Latin-1 has control codes).
    static let windows1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88,
        0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
        0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// A byte the wrong decoder could not read and wrote as U+FFFD: any value, chosen when decoding.
    static let lost: UInt16 = 0x100

    /// One character decoded from `b` at `i` as the text was meant to be read: its byte length and the characters
    /// it may be — one where every byte was read, every Chinese character the model knows that fits where bytes
    /// were lost (two per character at most); nil where the bytes are not valid there.
    func decodeOne(_ kind: Kind, _ b: [UInt16], _ i: Int) -> (options: [UInt32], length: Int)? {
        let x = b[i]
        if x < 0x80 { return ([UInt32(x)], 1) }
        let n: Int
        switch kind {
        case .gbkAsLatin1: n = 2
        case .utf8AsGBK, .utf8AsLatin1:
            switch x {
            case 0xC2...0xDF: n = 2
            case 0xE0...0xEF, Self.lost: n = 3  // a lost lead: a Chinese character's, the only kind worth guessing
            case 0xF0...0xF4: n = 4
            default: return nil
            }
        }
        guard i + n <= b.count else { return nil }
        let lostAt = (i..<(i + n)).filter { b[$0] == Self.lost }
        guard lostAt.count <= 2, lostAt.count < n else { return nil }
        func value(_ bytes: [UInt8]) -> UInt32? {
            switch kind {
            case .gbkAsLatin1:
                let v = data.decode(bytes[0], bytes[1])
                return v == 0 || v == TextData.vanish ? nil : v
            case .utf8AsGBK, .utf8AsLatin1:
                var v: UInt32
                switch bytes[0] {
                case 0xC2...0xDF: v = UInt32(bytes[0] & 0x1F)
                case 0xE0...0xEF: v = UInt32(bytes[0] & 0x0F)
                case 0xF0...0xF4: v = UInt32(bytes[0] & 0x07)
                default: return nil
                }
                for c in bytes.dropFirst() {
                    guard c & 0xC0 == 0x80 else { return nil }
                    v = v << 6 | UInt32(c & 0x3F)
                }
                // Overlong forms, surrogates and values past Unicode are not UTF-8.
                if (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) || (0xD800...0xDFFF).contains(v) { return nil }
                return v
            }
        }
        var bytes = (i..<(i + n)).map { UInt8(truncatingIfNeeded: b[$0]) }
        guard !lostAt.isEmpty else { return value(bytes).map { ([$0], n) } }
        func range(_ at: Int) -> ClosedRange<UInt8> {
            switch (kind, at - i) {
            case (.gbkAsLatin1, 0): return 0x81...0xFE
            case (.gbkAsLatin1, _): return 0x40...0xFE
            case (_, 0): return 0xE4...0xE9
            default: return 0x80...0xBF
            }
        }
        var options: [UInt32] = []
        func fill(_ k: Int) {
            guard k < lostAt.count else {
                if let v = value(bytes), ((0x3400...0x9FFF).contains(v) && data.isKnown(v)) || Self.chinesePunctuation.contains(v) {
                    options.append(v)
                }
                return
            }
            for o in range(lostAt[k]) {
                bytes[lostAt[k] - i] = o
                fill(k + 1)
            }
        }
        fill(0)
        return options.isEmpty ? nil : (options, n)
    }

    /// The punctuation of Chinese text a lost byte may belong to (。，、；：？！“”《》（）).
    static let chinesePunctuation: Set<UInt32> = [
        0x3000, 0x3001, 0x3002, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0x201C, 0x201D, 0x300A, 0x300B, 0xFF08, 0xFF09,
    ]

    /// Chooses among the options where bytes were lost, each by its neighbours on both sides (left to right, so a
    /// choice counts for the next).
    /// `before` and `after`: the characters of the text around the run (a few each). Each option is judged by how
    /// the words around it read (the word model), left to right so a choice counts for the next. The character model
    /// knows nothing of digits, so beside a digit the characters that stand by numbers (年 月 日 万 元 …) are preferred.
    func choose(_ run: inout [(options: [UInt32], chosen: UInt32, start: Int, end: Int)], before: [UInt32], after: [UInt32]) {
        func digit(_ c: UInt32?) -> Bool { c.map { (0x30...0x39).contains($0) } ?? false }
        let all = before + run.map(\.chosen) + after
        var chosen = all
        for k in run.indices where run[k].options.count > 1 {
            let at = before.count + k
            let lo = max(0, at - 4)
            let hi = min(chosen.count, at + 5)
            let left = at > 0 ? chosen[at - 1] : nil
            let right = at + 1 < chosen.count ? chosen[at + 1] : nil
            var best: (UInt32, Float)?
            for v in run[k].options {
                var window = Array(chosen[lo..<hi])
                window[at - lo] = v
                var score = (0x3400...0x9FFF).contains(v) ? data.wordScore(window) : data.wordScore(window) + cost(v)
                if digit(left) && Self.afterNumbers.contains(v) { score += 4 }
                if digit(right) && Self.beforeNumbers.contains(v) { score += 3 }
                if best == nil || score > best!.1 { best = (v, score) }
            }
            run[k].chosen = best!.0
            chosen[at] = best!.0
        }
    }

    /// Characters that follow a number (units, measure words, dates) and that come before one.
    static let afterNumbers = Set("年月日号时分秒万亿元角人个家项次户名位亩吨台辆所场天周岁件条篇米千百倍期批届余多成股类种只头套间处座份张".unicodeScalars.map(\.value))
    static let beforeNumbers = Set("第共约达近超至到增长降为有计年月前后近逾占比较近每各以和与、，（".unicodeScalars.map(\.value))

    struct Span {
        var range: Range<Int>  // characters of the current text
        var decoded: [UInt32]
        var guessed: Int  // lost bytes put back by the model's choice
    }

    /// Stretches whose round trip decodes cleanly and reads better: maximal runs of non-ASCII decoded characters
    /// that begin and end on character boundaries of the current text.
    func candidates(_ kind: Kind, _ s: [UInt32], depth: Int = 0, settled: Bool = false) -> [Span] {
        var b: [UInt16] = []
        var owner: [Int] = []  // character behind each byte
        var firstByte: [Bool] = []
        var blocked: [Bool] = []  // a character the wrong decoder could not have made
        b.reserveCapacity(s.count * 2)
        for (i, c) in s.enumerated() {
            if let bs = c == 0xFFFD ? [Self.lost] : bytes(kind, c).map({ $0.map(UInt16.init) }) {
                for (k, x) in bs.enumerated() {
                    b.append(x)
                    owner.append(i)
                    firstByte.append(k == 0)
                    blocked.append(false)
                }
            } else {
                b.append(0)
                owner.append(i)
                firstByte.append(true)
                blocked.append(true)
            }
        }
        var spans: [Span] = []
        var run: [(options: [UInt32], chosen: UInt32, start: Int, end: Int)] = []

        typealias Decoded = (options: [UInt32], chosen: UInt32, start: Int, end: Int)
        func judge(_ part: ArraySlice<Decoded>) {
            var part = Array(part)
            // Trim to a start and an end on character boundaries of the current text.
            while let first = part.first, !firstByte[first.start] { part.removeFirst() }
            while let last = part.last, !(last.end == b.count || firstByte[last.end]) { part.removeLast() }
            guard !part.isEmpty else { return }
            let range = owner[part[0].start]..<(owner[part[part.count - 1].end - 1] + 1)
            choose(
                &part, before: Array(s[max(0, range.lowerBound - 3)..<range.lowerBound]),
                after: Array(s[range.upperBound..<min(s.count, range.upperBound + 3)]))
            let decoded = part.map(\.chosen)
            let guessed = part.filter { $0.options.count > 1 }.count
            let original = Array(s[range])
            if better(decoded, than: original, settled: settled) {
                spans.append(Span(range: range, decoded: decoded, guessed: guessed))
            } else if depth == 0, decoded.allSatisfy({ $0 <= 0xFF }) {
                // Garbled twice: this reading gives Latin-1 letters that are themselves a wrong reading.
                for inner in [Kind.gbkAsLatin1, .utf8AsLatin1] {
                    let again = candidates(inner, decoded, depth: 1, settled: settled)
                    guard !again.isEmpty else { continue }
                    let twice = Self.apply(again, to: decoded)
                    if better(twice, than: original, settled: settled) {
                        spans.append(Span(range: range, decoded: twice, guessed: guessed + again.reduce(0) { $0 + $1.guessed }))
                        break
                    }
                }
            }
        }
        func close() {
            defer { run = [] }
            // A run that is Latin-1 throughout may be garbled twice; otherwise a letter (which a wrong reading makes
            // of clean Chinese by chance) splits it, and each part is judged alone.
            if run.allSatisfy({ $0.chosen <= 0xFF }) { return judge(run[...]) }
            var start = 0
            for k in run.indices where Self.foreign(run[k].chosen) {
                judge(run[start..<k])
                start = k + 1
            }
            judge(run[start...])
        }
        var i = 0
        while i < b.count {
            if blocked[i] {
                close()
                i += 1
                continue
            }
            guard let (options, n) = decodeOne(kind, b, i), !blocked[i..<(i + n)].contains(true) else {
                close()
                i += 1
                while i < b.count && !firstByte[i] { i += 1 }
                continue
            }
            let v = options[0]
            if options.count == 1 && v < 0x80 {
                // ASCII reads the same either way; it ends a run (and the run may go on after it as another).
                close()
                i += n
                continue
            }
            if run.isEmpty && !firstByte[i] {
                i += 1
                continue
            }
            run.append((options, v, i, i + n))
            i += n
        }
        close()
        return spans
    }

    /// Letters of Latin, Greek, Cyrillic and other alphabets (and U+FFFD): what a wrong reading makes, never what
    /// undoing one gives (a few signs of Chinese text excepted: · × ° § ÷).
    static func foreign(_ c: UInt32) -> Bool { (c < 0x2000 && ![0xB7, 0xD7, 0xB0, 0xA7, 0xF7].contains(c)) || c == 0xFFFD }

    /// The text with the spans replaced by what they decode to.
    static func apply(_ spans: [Span], to s: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var k = 0
        for sp in spans {
            out += s[k..<sp.range.lowerBound]
            out += sp.decoded
            k = sp.range.upperBound
        }
        return out + s[k...]
    }

    // MARK: judging

    /// What a character costs as Chinese text: the model's unigram for Han characters, little for the punctuation
    /// of Chinese text, the unigram floor for anything else — the accented letters and symbols garbling makes.
    func cost(_ c: UInt32) -> Float {
        if (0x3400...0x9FFF).contains(c) {
            return data.isKnown(c) ? data.logUnigram(c) : data.unigramFloor - 4
        }
        switch c {
        // Marks of Chinese text by how often they occur, so that a mark whose last byte was lost is the likely one.
        case 0xFF0C: return -4.5  // ，
        case 0x3002: return -5  // 。
        case 0x3001: return -5.5  // 、
        case 0xFF1A, 0x201C, 0x201D, 0xFF08, 0xFF09: return -6.5  // ：“”（）
        case 0xFF1B, 0x300A, 0x300B: return -7  // ；《》
        case 0x3000: return -7.5  // the ideographic space of aligned names (组　长)
        case 0xFF01, 0xFF1F: return -8.5  // ！？
        case 0x3003...0x303F, 0xFF02...0xFF5E, 0x2014, 0x2018, 0x2019, 0x2026: return -8
        case 0xFFFD: return data.unigramFloor - 8
        case 0x20...0x7E: return -3  // English, digits and ASCII signs are ordinary in any text
        default: return data.unigramFloor
        }
    }

    /// A decoded stretch replaces the original only when it holds at least two Chinese characters the model knows,
    /// nothing unknown, and reads far better — by 3 nats a character of the original, a margin clean text never
    /// loses by (an accented name read as GBK gives one rare character, not a sentence).
    /// `settled`: the text is known to be garbled this way; one character (or a punctuation mark) that reads better
    /// than what stands there is enough.
    func better(_ decoded: [UInt32], than original: [UInt32], settled: Bool = false) -> Bool {
        var han = 0
        var new: Float = 0
        for c in decoded {
            if (0x3400...0x9FFF).contains(c) {
                guard data.isKnown(c) else { return false }
                han += 1
            } else if Self.foreign(c) {
                // Latin, Greek, Cyrillic and other letters are what wrong decodings make, not what they undo to.
                return false
            }
            new += cost(c)
        }
        // Real Chinese is made of common characters (about −7.8 a character in the model; UTF-8 read as GBK
        // averages −13): a decoding into rare ones is a coincidence, not the text.
        var hanSum: Float = 0
        for c in decoded where (0x3400...0x9FFF).contains(c) { hanSum += data.logUnigram(c) }
        if settled {
            guard han == 0 || hanSum / Float(han) >= -13 else { return false }
        } else {
            guard han >= 2, hanSum / Float(han) >= -11.5 else { return false }
        }
        // Bigrams too: real Chinese has them, a string of rare characters does not.
        for (a, c) in zip(decoded, decoded.dropFirst()) where (0x3400...0x9FFF).contains(a) && (0x3400...0x9FFF).contains(c) {
            new += data.logBigram(a, c) - data.logUnigram(c)
        }
        var old: Float = 0
        for c in original { old += cost(c) }
        for (a, c) in zip(original, original.dropFirst()) where (0x3400...0x9FFF).contains(a) && (0x3400...0x9FFF).contains(c) {
            old += data.logBigram(a, c) - data.logUnigram(c)
        }
        return new > old + (settled ? 0 : 3 * Float(original.count))
    }
}
