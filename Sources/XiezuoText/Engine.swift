import Foundation

/// One repair of one garbled document. See Repairer for the idea; the steps are in `run`.
struct Engine {
    let data: TextData
    let src: [UInt32]
    let groups: [Repairer.Group]

    /// A byte of the rebuilt stream: known, or a set of candidates (a byte the decoder swallowed into a "?").
    struct Slot {
        var value: Int16  // 0…255 known; -1 unknown (see candidates); -2 a character outside GBK, kept as is
        var candidates: [UInt8]
        var origin: Int32  // the input character it came from
        var live = true
        /// Set on a scar's lost byte: this byte and the live byte before it spell a character read this way.
        var reading: String? = nil
    }

    /// One character of the output with everything the bytes allow it to be.
    struct Unit {
        var candidates: [UInt32]  // empty: unsolved
        var originLow: Int
        var originHigh: Int
        var realigned: Bool  // its bytes came from different input characters
        var chosen: UInt32 = 0
        var confidence: Double = 1
    }

    var slots: [Slot] = []
    var lostPairCandidates: [[UInt32]] = []
    var groupByOpen: [Int: Repairer.Group] = [:]
    var groupCloses = Set<Int>()
    var unsolvedScars: [Repairer.Group] = []
    var firstSlot: [Int] = []  // input character index → its first slot
    var unsolved: [UnsolvedSpan] = []
    var stripped: [(range: ClosedRange<Int>, scar: Bool)] = []

    let restoreLostPairs: Bool

    init(data: TextData, src: [UInt32], groups: [Repairer.Group], restoreLostPairs: Bool = true) {
        self.data = data
        self.src = src
        self.groups = groups
        self.restoreLostPairs = restoreLostPairs
    }

    static let leadBytes: [UInt8] = Array(0x81...0xFE)
    /// ASCII bytes a swallowed pair can have hidden after a trail byte, most likely first (commas were ASCII).
    static let hiddenASCII: [UInt8] = Array(",;0123456789 .:%()-/\n".utf8)

    mutating func run(reason: String, annotations: Int, scars: Int) -> RepairResult {
        buildStream()
        stripAnnotations()
        if restoreLostPairs { solveStretches() }
        var units = decode(slots.filter(\.live))
        simplify(&units)
        choose(&units)
        return render(units, reason: reason, annotations: annotations, scars: scars)
    }

    // MARK: 1. the byte stream as it was before decoding

    mutating func buildStream() {
        var scarAt = Set<Int>()
        for g in groups where g.scar { scarAt.insert(g.open) }
        for g in groups { groupCloses.insert(g.close) }
        slots.reserveCapacity(src.count * 2)
        firstSlot = [Int](repeating: 0, count: src.count + 1)
        for (i, c) in src.enumerated() {
            firstSlot[i] = slots.count
            let o = Int32(i)
            if c == 0x3F, scarAt.contains(i) {
                // "?" = a lead byte that took the annotation's "(" as its trail.
                slots.append(Slot(value: -1, candidates: Self.leadBytes, origin: o))
                slots.append(Slot(value: 0x28, candidates: [], origin: o))
            } else if c == 0x3F, i == src.count - 1, i > 0, src[i - 1] >= 0x80 {
                // at the very end: a trail byte that swallowed the final line break
                slots.append(Slot(value: -1, candidates: Self.leadBytes, origin: o))
                slots.append(Slot(value: -1, candidates: [0x0A], origin: o))
            } else if c == 0x3F, isSwallowedPair(i) {
                slots.append(Slot(value: -1, candidates: Self.leadBytes, origin: o))
                slots.append(Slot(value: -1, candidates: Self.hiddenASCII, origin: o))
            } else if c < 0x80 {
                slots.append(Slot(value: Int16(c), candidates: [], origin: o))
            } else if c == 0x20AC {
                slots.append(Slot(value: 0x80, candidates: [], origin: o))
            } else if let code = data.encodeGBK(c) {
                slots.append(Slot(value: Int16(code >> 8), candidates: [], origin: o))
                slots.append(Slot(value: Int16(code & 0xFF), candidates: [], origin: o))
            } else {
                slots.append(Slot(value: -2, candidates: [], origin: o))
            }
        }
        firstSlot[src.count] = slots.count
    }

    /// A "?" between two non-ASCII characters, or between one and a digit, is a pair the decoder could not read,
    /// not a question mark.
    /// (A "?" right after a pinyin group's ")" counts too: the stream was out of step there.)
    func isSwallowedPair(_ i: Int) -> Bool {
        guard i > 0, i + 1 < src.count else { return false }
        // Before a digit too: the pair took the first digit of a number as its trail ("从88%" → "?8%").
        guard src[i + 1] >= 0x80 || (0x30...0x39).contains(src[i + 1]) && src[i - 1] >= 0x80 else { return false }
        return src[i - 1] >= 0x80 || (src[i - 1] == 0x29 && groupCloses.contains(i - 1))
    }

    // MARK: 2. remove the inserted "(pinyin)" where the two bytes before it spell a character with that reading

    func previousLive(_ k: Int) -> Int? {
        var j = k - 1
        while j >= 0 {
            if slots[j].live { return j }
            j -= 1
        }
        return nil
    }

    func options(_ s: Slot) -> [UInt8] { s.value >= 0 ? [UInt8(s.value)] : s.candidates }

    mutating func stripAnnotations() {
        for g in groups {
            // the "(" is the second slot of a scar's "?", or the group's own first slot
            let open = g.scar ? firstSlot[g.open] + 1 : firstSlot[g.open]
            guard let b2 = previousLive(open), let b1 = previousLive(b2),
                slots[b1].value != -2, slots[b2].value != -2
            else {
                if g.scar { markScarUnsolved(g, "no character before the scar") }
                continue
            }
            let rid = data.readingIndex[g.pinyin]
            let v1 = slots[b1].value
            let v2 = slots[b2].value
            if v1 >= 0 && v2 >= 0 {
                // Both bytes known (the usual case): one character to check, nothing to narrow.
                let v = v1 >= 0x81 ? data.decode(UInt8(v1), UInt8(v2)) : 0
                let fits = v != 0 && v != TextData.vanish && data.hasReading(v, id: rid, g.pinyin)
                if !fits && !g.scar { continue }  // real parentheses, not an annotation
                if !fits { slots[b2].reading = g.pinyin }
                for k in open..<firstSlot[g.close + 1] { slots[k].live = false }
                stripped.append((g.open...g.close, g.scar))
                continue
            }
            var keep1 = Set<UInt8>()
            var keep2 = Set<UInt8>()
            for x in options(slots[b1]) where x >= 0x81 {
                for y in options(slots[b2]) {
                    let v = data.decode(x, y)
                    if v != 0, v != TextData.vanish, data.hasReading(v, id: rid, g.pinyin) {
                        keep1.insert(x)
                        keep2.insert(y)
                    }
                }
            }
            if keep1.isEmpty && !g.scar { continue }  // real parentheses, not an annotation
            if !keep1.isEmpty {
                if slots[b1].value < 0 { slots[b1].candidates = slots[b1].candidates.filter(keep1.contains) }
                if slots[b2].value < 0 { slots[b2].candidates = slots[b2].candidates.filter(keep2.contains) }
            }
            // A scar whose bytes do not fit yet is solved with the stretch before it (lost pairs, below).
            if g.scar && keep1.isEmpty { slots[b2].reading = g.pinyin }
            for k in open..<firstSlot[g.close + 1] { slots[k].live = false }
            stripped.append((g.open...g.close, g.scar))
        }
    }

    mutating func markScarUnsolved(_ g: Repairer.Group, _ why: String) {
        // Keep the scar as a literal "?" so nothing is invented; its pinyin stays in the text too.
        let k = firstSlot[g.open]
        slots[k] = Slot(value: 0x3F, candidates: [], origin: Int32(g.open))
        slots[k + 1].live = false
        for j in (k + 2)..<firstSlot[g.close + 1] { slots[j].live = true }
        stripped.removeAll { $0.range.lowerBound == g.open }
        unsolved.append(UnsolvedSpan(offset: g.open, length: g.close - g.open + 1, text: text(g.open...g.close), reason: why))
    }

    func text(_ r: ClosedRange<Int>) -> String {
        var s = ""
        for v in src[r] { s.unicodeScalars.append(Unicode.Scalar(v) ?? "\u{FFFD}") }
        return s
    }

    // MARK: 3. decode the stream in step

    func decode(_ live: [Int]) -> [Unit] {
        decode(live.map { slots[$0] })
    }

    func decode(_ live: [Slot]) -> [Unit] { decode(live, stopOnEmpty: false) ?? [] }

    /// With `stopOnEmpty`, nil as soon as some character cannot be spelled (what a search wants to know first).
    func decode(_ live: [Slot], stopOnEmpty: Bool) -> [Unit]? {
        var units: [Unit] = []
        units.reserveCapacity(live.count)
        var i = 0
        while i < live.count {
            if stopOnEmpty, let last = units.last, last.candidates.isEmpty { return nil }
            // Fields are read in place: copying each slot (and retaining its arrays) was a good part of decoding.
            let sv = live[i].value
            let o = Int(live[i].origin)
            if sv == -2 {
                units.append(Unit(candidates: data.single(src[o]), originLow: o, originHigh: o, realigned: false))
                i += 1
                continue
            } else if sv >= 0 && sv < 0x80 {
                units.append(Unit(candidates: data.single(UInt32(sv)), originLow: o, originHigh: o, realigned: false))
                i += 1
                continue
            } else if sv == 0x80 {
                units.append(Unit(candidates: data.single(0x20AC), originLow: o, originHigh: o, realigned: false))
                i += 1
                continue
            } else if sv >= 0x81, i + 1 < live.count, live[i + 1].value >= 0, live[i + 1].reading == nil {
                // Both bytes known: one character, no arrays of options to build.
                let v = data.decode(UInt8(sv), UInt8(live[i + 1].value))
                let p = Int(live[i + 1].origin)
                units.append(
                    Unit(
                        candidates: v != 0 && v != TextData.vanish ? data.single(v) : [], originLow: min(o, p), originHigh: max(o, p),
                        realigned: o != p))
                i += 2
                continue
            }
            let s = live[i]
            if s.value < 0 && s.candidates.allSatisfy({ $0 < 0x80 }) {
                // a hidden ASCII character
                units.append(Unit(candidates: s.candidates.map(UInt32.init), originLow: o, originHigh: o, realigned: true))
                i += 1
            } else if s.value <= -3, i + 1 < live.count, live[i + 1].value == s.value, live[i + 1].reading == nil,
                Int(-3 - s.value) < lostPairCandidates.count
            {
                // a restored lost pair read as one character
                units.append(
                    Unit(
                        candidates: lostPairCandidates[Int(-3 - s.value)], originLow: o, originHigh: Int(live[i + 1].origin),
                        realigned: true))
                i += 2
            } else {
                guard i + 1 < live.count else {
                    units.append(Unit(candidates: [], originLow: o, originHigh: o, realigned: true))
                    break
                }
                let t = live[i + 1]
                var cands: [UInt32] = []
                let xs = options(s)
                let ys = options(t)
                let guessing = xs.count * ys.count > 200  // two guessed bytes: thousands of characters otherwise
                // Distinct byte pairs are distinct characters, so no duplicates arise. Where bytes are guessed,
                // only characters a document could have held are kept.
                for x in xs where x >= 0x81 {
                    for y in ys {
                        let v = data.decode(x, y)
                        if v != 0, v != TextData.vanish, !guessing || data.isPlausible(v) { cands.append(v) }
                    }
                }
                // a scar's constraint on a pair that is also a character of the decoded text
                if let r = t.reading {
                    let id = data.readingIndex[r]
                    cands = cands.filter { data.hasReading($0, id: id, r) }
                }
                let p = Int(t.origin)
                units.append(
                    Unit(
                        candidates: cands, originLow: min(o, p), originHigh: max(o, p),
                        realigned: o != p || s.value < 0 || t.value < 0))
                i += 2
            }
        }
        if stopOnEmpty, let last = units.last, last.candidates.isEmpty { return nil }
        return units
    }

    // MARK: 4. Traditional back to Simplified

    func simplify(_ units: inout [Unit]) {
        for k in units.indices {
            let cands = units[k].candidates
            if cands.count == 1 {
                // One character: its Simplified forms as the table holds them (shared, nothing to build).
                if let forms = data.simplifiedForms(cands[0]) { units[k].candidates = forms }
                continue
            }
            // Nothing to change unless some candidate has a Simplified form.
            if !cands.contains(where: { data.simplifiedForms($0) != nil }) { continue }
            var out: [UInt32] = []
            var seen = Set<UInt32>()
            for c in cands {
                for s in data.simplifiedForms(c) ?? [c] where seen.insert(s).inserted { out.append(s) }
            }
            units[k].candidates = out
        }
    }

    // MARK: 5. choose where the bytes leave a choice

    func isHan(_ v: UInt32) -> Bool { (0x3400...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v) }

    func score(_ a: UInt32, _ b: UInt32) -> Float {
        // Digits go together: a hidden byte before a digit is likelier a digit than a comma.
        if (0x30...0x39).contains(a) && (0x30...0x39).contains(b) { return -2 }
        guard isHan(a), isHan(b) else {
            if !isHan(b) { return Self.symbolCost(b) }
            return data.logUnigram(b)
        }
        return data.logBigram(a, b)
    }

    /// What a non-Han character costs the model: the punctuation of ordinary Chinese text is cheap, commas (which
    /// the pipeline made ASCII) cheapest, and the rest of GBK's symbol area dear, so garbled symbols lose to words.
    static func symbolCost(_ b: UInt32) -> Float {
        switch b {
        case 0x2C: return -3
        case 0x30...0x39: return -6
        case 0x3001, 0x3002, 0x201C, 0x201D, 0xFF0C, 0xFF1B, 0xFF1A, 0x300A, 0x300B, 0xFF08, 0xFF09: return -6
        case 0x0A, 0x20: return -8
        default: return -14
        }
    }

    /// Viterbi over each run of ambiguous units between fixed neighbours. The first candidate (the bytes' or the
    /// converter's usual reading) gets a small head start, so the model only overrides it with evidence.
    /// The best path score of a run of units between fixed neighbours (the stretch solver compares with it).
    func pathScore(_ units: [Unit], left: UInt32, right: UInt32?) -> Float { bestPath(units, left: left, right: right).score }

    /// The best path through a run of units and its score.
    func bestPath(_ units: [Unit], left: UInt32, right: UInt32?) -> (score: Float, path: [UInt32]) {
        var prev: [Float] = []
        var back: [[Int]] = []
        back.reserveCapacity(units.count)
        for (p, u) in units.enumerated() {
            var row = [Float](repeating: -.infinity, count: u.candidates.count)
            var from = [Int](repeating: 0, count: u.candidates.count)
            for (ci, c) in u.candidates.enumerated() {
                let prior: Float = ci == 0 ? 0 : -1.0
                if p == 0 {
                    row[ci] = score(left, c) + prior
                } else {
                    for (pi, pc) in units[p - 1].candidates.enumerated() {
                        let v = prev[pi] + score(pc, c) + prior
                        if v > row[ci] {
                            row[ci] = v
                            from[ci] = pi
                        }
                    }
                }
                if p == units.count - 1, let right { row[ci] += score(c, right) }
            }
            prev = row
            back.append(from)
        }
        guard let top = prev.indices.max(by: { prev[$0] < prev[$1] }) else { return (-.infinity, []) }
        var path = [UInt32](repeating: 0, count: units.count)
        var ci = top
        for p in stride(from: units.count - 1, through: 0, by: -1) {
            path[p] = units[p].candidates[ci]
            ci = back[p][ci]
        }
        return (prev[top], path)
    }

    func choose(_ units: inout [Unit]) {
        var k = 0
        while k < units.count {
            if units[k].candidates.count <= 1 {
                units[k].chosen = units[k].candidates.first ?? 0
                k += 1
                continue
            }
            var end = k
            while end < units.count, units[end].candidates.count > 1 { end += 1 }
            let left: UInt32 = k > 0 ? units[k - 1].chosen : 0x3002
            let right: UInt32? = end < units.count ? units[end].candidates.first : nil
            // dynamic programming over the run
            var best: [[Float]] = []
            var back: [[Int]] = []
            for p in k..<end {
                let cands = units[p].candidates
                var row = [Float](repeating: -.infinity, count: cands.count)
                var from = [Int](repeating: 0, count: cands.count)
                for (ci, c) in cands.enumerated() {
                    let prior: Float = ci == 0 ? 0 : -1.0
                    if p == k {
                        row[ci] = score(left, c) + prior
                    } else {
                        let prevC = units[p - 1].candidates
                        for (pi, pc) in prevC.enumerated() {
                            let v = best[p - 1 - k][pi] + score(pc, c) + prior
                            if v > row[ci] {
                                row[ci] = v
                                from[ci] = pi
                            }
                        }
                    }
                    if p == end - 1, let right { row[ci] += score(c, right) }
                }
                best.append(row)
                back.append(from)
            }
            var ci = best.last!.indices.max { best.last![$0] < best.last![$1] }!
            for p in stride(from: end - 1, through: k, by: -1) {
                let row = best[p - k]
                units[p].chosen = units[p].candidates[ci]
                // confidence: the chosen path's share against the other candidates at this position
                let m = row.max()!
                let z = row.reduce(Float(0)) { $0 + exp($1 - m) }
                units[p].confidence = Double(exp(row[ci] - m) / z)
                ci = back[p - k][ci]
            }
            k = end
        }
    }

    // MARK: 6. the text and the report

    static let fullWidth: [UInt32: UInt32] = [0x2C: 0xFF0C, 0x3B: 0xFF1B]

    func isChineseContext(_ v: UInt32) -> Bool {
        isHan(v) || (0x3000...0x303F).contains(v) || (0xFF00...0xFFEF).contains(v) || v == 0x201D || v == 0x2019
    }

    mutating func render(_ units: [Unit], reason: String, annotations: Int, scars: Int) -> RepairResult {
        var out: [UInt32] = units.map(\.chosen)
        // Punctuation: the pipeline turned every full-width ， ； into ASCII, so an ASCII , ; with Chinese on either
        // side was full-width ("指出,2024年", "表示,“…", "95%,同比"). Between digits ("1,234") or inside English
        // it stays; after a percentage before a digit ("5%,2024年") it was Chinese too.
        var punctuated = [Bool](repeating: false, count: out.count)
        for k in out.indices {
            guard out[k] < 0x80, let fw = Self.fullWidth[out[k]] else { continue }
            var l = k - 1
            while l >= 0, out[l] == 0x20 { l -= 1 }
            var r = k + 1
            while r < out.count, out[r] == 0x20 { r += 1 }
            let left: UInt32? = l >= 0 ? out[l] : nil
            let right: UInt32? = r < out.count ? out[r] : nil
            let leftChinese = left.map(isChineseContext) ?? false
            let rightChinese = right.map { isChineseContext($0) || $0 == 0x201C || $0 == 0x2018 } ?? false
            let afterPercent = left == 0x25 && right.map { (0x30...0x39).contains($0) } == true
            if leftChinese || rightChinese || afterPercent {
                out[k] = fw
                punctuated[k] = true
            }
        }

        let scarRanges = stripped.filter(\.scar).map(\.range).sorted { $0.lowerBound < $1.lowerBound }
        // Group the output by the input stretch it came from; unchanged stretches are not reported.
        var changes: [RepairChange] = []
        var text = ""
        text.unicodeScalars.reserveCapacity(out.count)
        var k = 0
        var consumed = 0  // input characters accounted for
        var strippedIter = stripped.makeIterator()
        var nextStrip = strippedIter.next()
        func emitStrips(upTo limit: Int) {
            while let s = nextStrip, s.range.lowerBound < limit {
                if !s.scar {
                    changes.append(
                        RepairChange(
                            offset: s.range.lowerBound, length: s.range.count, before: self.text(s.range),
                            after: "", step: .pinyin, confidence: 1))
                }
                nextStrip = strippedIter.next()
            }
        }
        while k < units.count {
            let u = units[k]
            if u.realigned || u.candidates.isEmpty {
                // a re-aligned stretch: consecutive realigned units plus the scars inside it
                var end = k
                var low = u.originLow
                var high = u.originHigh
                var conf = 1.0
                while end < units.count, units[end].realigned || units[end].candidates.isEmpty {
                    low = min(low, units[end].originLow)
                    high = max(high, units[end].originHigh)
                    conf = min(conf, units[end].confidence)
                    end += 1
                }
                // include the scars inside or right before this stretch, pinyin and all
                var grew = true
                while grew {
                    grew = false
                    // Scars are in text order and do not overlap: start at the first that may touch the stretch
                    // rather than walk them all for every stretch.
                    var lo = 0
                    var hi = scarRanges.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if scarRanges[mid].upperBound + 2 < low { lo = mid + 1 } else { hi = mid }
                    }
                    var j = lo
                    while j < scarRanges.count, scarRanges[j].lowerBound <= high + 1 {
                        let r = scarRanges[j]
                        if r.lowerBound < low || r.upperBound > high {
                            low = min(low, r.lowerBound)
                            high = max(high, r.upperBound)
                            grew = true
                        }
                        j += 1
                    }
                }
                emitStrips(upTo: low)
                let unsolvedHere = units[k..<end].contains { $0.candidates.isEmpty }
                var after = ""
                for p in k..<end { after.unicodeScalars.append(Unicode.Scalar(out[p]) ?? "\u{FFFD}") }
                if unsolvedHere {
                    unsolved.append(
                        UnsolvedSpan(
                            offset: low, length: high - low + 1, text: self.text(low...high),
                            reason: "the surviving bytes spell no character"))
                    after = self.text(low...high)
                } else {
                    changes.append(
                        RepairChange(
                            offset: low, length: high - low + 1, before: self.text(low...high),
                            after: after, step: .scar, confidence: conf))
                }
                text += after
                while let s = nextStrip, s.range.upperBound <= high { nextStrip = strippedIter.next() }
                consumed = high + 1
                k = end
                continue
            }
            emitStrips(upTo: u.originLow)
            let c = out[k]
            text.unicodeScalars.append(Unicode.Scalar(c) ?? "\u{FFFD}")
            if c != src[u.originLow] {
                changes.append(
                    RepairChange(
                        offset: u.originLow, length: 1, before: self.text(u.originLow...u.originLow),
                        after: String(Unicode.Scalar(c)!), step: punctuated[k] ? .punctuation : .traditional,
                        confidence: u.confidence))
            }
            consumed = u.originHigh + 1
            k += 1
        }
        emitStrips(upTo: Int.max)
        _ = consumed
        return RepairResult(
            text: text,
            report: RepairReport(
                garbled: true, reason: reason, changes: changes,
                unsolved: unsolved, annotations: annotations, scars: scars))
    }
}
