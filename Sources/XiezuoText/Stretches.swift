/// Out-of-step stretches can lose byte pairs: a pair that fell into a user-defined GBK area decoded to a private-use
/// character that was then dropped. Such a loss leaves no mark, except that the characters around it read badly and a
/// scar after it does not fit. For each re-aligned stretch this tries putting back up to three lost pairs, at each
/// boundary between the stretch's garbled characters, and keeps the reading the language model likes best, with a
/// cost per restored pair so nothing is restored without evidence.
extension Engine {
    static let maxLostPairs = 3
    /// Stretches of different lengths are compared by the model's score per character; each restored pair costs a
    /// little on that scale, so a restoration is kept only when it makes the stretch read clearly better.
    static let lostPairCost: Float = 0.25

    /// The two shapes a lost pair can have: (first byte, second byte) ranges of the user-defined areas.
    /// Only second bytes from 0x81 matter: that byte was the lead byte of the next character.
    static let lostShapes: [([UInt8], [UInt8])] = [
        (Array(0xAA...0xAF) + Array(0xF8...0xFE), Array(0xA1...0xFE)),
        (Array(0xA1...0xA7) + [0xFE], Array(0x81...0xA0)),
    ]

    /// What a lost pair decodes to when its two bytes fall together as one character, per shape: the same as
    /// `decode` would find by trying every byte pair, worked out once per document instead of once per placement.
    mutating func prepareLostPairs() {
        lostPairCandidates = Self.lostShapes.map { shape in
            var out: [UInt32] = []
            for x in shape.0 where x >= 0x81 {
                for y in shape.1 {
                    let v = data.decode(x, y)
                    if v != 0, v != TextData.vanish, data.isPlausible(v) { out.append(v) }
                }
            }
            return out
        }
    }

    /// One character's place in the stream, as `decode` would make it, without its candidates.
    struct Span {
        var start: Int  // index into the live slots
        var realigned: Bool
        var empty: Bool
        var first: UInt32?  // its first candidate, for the context of a neighbouring stretch
    }

    /// The characters of the live stream as `decode` pairs the bytes: known pairs are decoded on the spot; a pair
    /// with a guessed byte (always out of step) is decoded in full, being rare.
    func scan(_ live: [Int]) -> [Span] {
        var out: [Span] = []
        out.reserveCapacity(live.count)
        var i = 0
        while i < live.count {
            let sv = slots[live[i]].value
            let o = slots[live[i]].origin
            if sv == -2 {
                out.append(Span(start: i, realigned: false, empty: false, first: src[Int(o)]))
                i += 1
            } else if sv >= 0 && sv < 0x80 {
                out.append(Span(start: i, realigned: false, empty: false, first: UInt32(sv)))
                i += 1
            } else if sv == 0x80 {
                out.append(Span(start: i, realigned: false, empty: false, first: 0x20AC))
                i += 1
            } else if sv >= 0x81, i + 1 < live.count, slots[live[i + 1]].value >= 0, slots[live[i + 1]].reading == nil {
                let v = data.decode(UInt8(sv), UInt8(slots[live[i + 1]].value))
                let ok = v != 0 && v != TextData.vanish
                out.append(Span(start: i, realigned: o != slots[live[i + 1]].origin, empty: !ok, first: ok ? v : nil))
                i += 2
            } else {
                let width = sv < 0 && slots[live[i]].candidates.allSatisfy({ $0 < 0x80 }) ? 1 : 2
                let u = decode(live[i..<min(i + width, live.count)].map { slots[$0] }).first
                out.append(Span(start: i, realigned: u?.realigned ?? true, empty: u?.candidates.isEmpty ?? true, first: u?.candidates.first))
                i += width
            }
        }
        return out
    }

    mutating func solveStretches() {
        prepareLostPairs()
        groupByOpen = Dictionary(groups.map { ($0.open, $0) }, uniquingKeysWith: { a, _ in a })
        var live = slots.indices.filter { slots[$0].live }
        // Where the characters fall and which are out of step, without building every character's candidates:
        // the full decoding comes once, after the search.
        let units = scan(live)
        var insertions: [(before: Int, slots: [Slot])] = []  // indices into `slots`
        var k = 0
        while k < units.count {
            guard units[k].realigned || units[k].empty else {
                k += 1
                continue
            }
            var end = k
            while end < units.count, units[end].realigned || units[end].empty { end += 1 }
            let from = units[k].start
            let to = end < units.count ? units[end].start : live.count
            // A stretch whose characters all decode to something a document could hold (its scars fitting, which
            // decoding checks) reads as it stands: no search.
            if slots[live[from]].reading == nil,
                let decoded = decode(live[from..<to].map { slots[$0] }, stopOnEmpty: true),
                decoded.allSatisfy({ u in u.candidates.contains { $0 < 0x80 || data.isPlausible($0) } })
            {
                k = end
                continue
            }
            let run = Array(live[from..<to])
            let left: UInt32 = k > 0 ? (simplified(units[k - 1].first) ?? 0x3002) : 0x3002
            let right: UInt32? = end < units.count ? simplified(units[end].first) : nil
            let best = bestRestoration(run, left: left, right: right)
            if let best {
                if !best.isEmpty {
                    insertions.append(contentsOf: best)
                } else {
                    // Nothing reads well enough: a scar here stays as it was, reported, rather than be invented.
                    for i in run where slots[i].reading != nil {
                        if let g = groupByOpen[Int(slots[i].origin)] { unsolvedScars.append(g) }
                    }
                }
            }
            k = end
        }
        for g in unsolvedScars { markScarUnsolved(g, "no reading of the bytes around this scar is convincing") }
        guard !insertions.isEmpty else { return }
        // One pass builds the spliced array: inserting one by one moved the whole tail each time.
        let sorted = insertions.sorted { $0.before < $1.before }
        var out: [Slot] = []
        out.reserveCapacity(slots.count + sorted.reduce(0) { $0 + $1.slots.count })
        var next = 0
        for (i, s) in slots.enumerated() {
            while next < sorted.count, sorted[next].before == i {
                out += sorted[next].slots
                next += 1
            }
            out.append(s)
        }
        while next < sorted.count {
            out += sorted[next].slots
            next += 1
        }
        slots = out
        live = []
    }

    func simplified(_ c: UInt32?) -> UInt32? {
        guard let c else { return nil }
        return data.simplified[c]?.first ?? c
    }

    /// Boundaries where a lost pair may go: before each garbled input character of the run, and at its end.
    func boundaries(_ run: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < run.count {
            let o = slots[run[i]].origin
            if i == 0 || slots[run[i - 1]].origin != o { out.append(i) }
            i += 1
        }
        out.append(run.count)
        // never before the run's first slot: the stretch starts in step
        return out.filter { $0 > 0 }
    }

    /// Scores the run with 0…3 lost pairs restored; returns the insertions of the best (empty when none helps).
    func bestRestoration(_ run: [Int], left: UInt32, right: UInt32?) -> [(before: Int, slots: [Slot])]? {
        let spots = boundaries(run)
        // Only a stretch that cannot be read as it stands (a scar that does not fit, bytes that spell nothing) is
        // searched: lost pairs leave exactly that trace, and a readable stretch is left alone.
        let asIs = run.map { slots[$0] }
        let readable = evaluate(asIs, left: left, right: right) != nil
        if readable && allPlausible(asIs) { return nil }
        var bestScore = -Float.infinity
        var best: [(before: Int, slots: [Slot])] = []
        typealias Choice = [(spot: Int, shape: Int)]
        // Beam search over how many pairs were lost and where: one pair at every boundary, then the best few
        // placements grow by one more pair. Only when no placement reads at all is a whole level enumerated.
        var beam: [(Choice, Float)] = [([], -.infinity)]
        var previousTop = -Float.infinity
        for _ in 0..<Self.maxLostPairs {
            var next: [(Choice, Float)] = []
            var seen = Set<[Int]>()
            for (chosen, _) in beam {
                for si in 0..<spots.count {
                    for shape in 0..<Self.lostShapes.count {
                        let c = (chosen + [(spots[si], shape)]).sorted { ($0.spot, $0.shape) < ($1.spot, $1.shape) }
                        let key = c.flatMap { [$0.spot, $0.shape] }
                        guard seen.insert(key).inserted else { continue }
                        let (list, ins) = placed(run, c)
                        let score = evaluate(list, left: left, right: right).map { $0 - Self.lostPairCost * Float(c.count) } ?? -.infinity
                        if score > bestScore && score >= Self.convincing {
                            bestScore = score
                            best = ins
                        }
                        next.append((c, score))
                    }
                }
            }
            next.sort { $0.1 > $1.1 }
            // Another pair is looked for only around placements that already read: a stretch where no placement of
            // this many pairs reads at all is not rescued by one more (the evaluation never saw it happen), and
            // searching every placement of every depth was most of the repair's time.
            let fine = next.filter { $0.1 > -.infinity }
            if fine.isEmpty { break }
            // One more pair is tried only while the best reading keeps improving: when this level read no better
            // than the one before, a further pair never helped (in the evaluation and the seed article alike).
            if let top = fine.first?.1, top <= previousTop { break }
            previousTop = fine.first?.1 ?? previousTop
            beam = Array(fine.prefix(Self.beamWidth))
        }
        // Empty: leave the stretch as decoded when it reads at all; nil tells the caller the stretch is hopeless.
        return best.isEmpty && !readable ? [] : (best.isEmpty ? nil : best)
    }

    static let beamWidth = 3
    /// The least per-character score a restored stretch must reach (correct text scores about -6 to -7).
    static let convincing: Float = -8.5
    static let candidateLimit = 6

    /// The run's slots with lost pairs put back at the chosen boundaries, and where they go in `slots`.
    func placed(_ run: [Int], _ chosen: [(spot: Int, shape: Int)]) -> ([Slot], [(before: Int, slots: [Slot])]) {
        var list: [Slot] = []
        var ins: [(before: Int, slots: [Slot])] = []
        var c = 0
        for i in 0...run.count {
            while c < chosen.count, chosen[c].spot == i {
                let shape = Self.lostShapes[chosen[c].shape]
                let origin = i < run.count ? slots[run[i]].origin : slots[run[i - 1]].origin
                // Marked as a lost pair of this shape, so decoding it as one character uses the table made once.
                let mark = Int16(-3 - chosen[c].shape)
                let pair = [Slot(value: mark, candidates: shape.0, origin: origin), Slot(value: mark, candidates: shape.1, origin: origin)]
                list += pair
                ins.append((i < run.count ? run[i] : run[i - 1] + 1, pair))
                c += 1
            }
            if i < run.count { list.append(slots[run[i]]) }
        }
        return (list, ins)
    }

    /// True when every character the slots decode to could have been in the document before the pipeline.
    func allPlausible(_ list: [Slot]) -> Bool {
        decode(list).allSatisfy { u in u.candidates.contains { data.isPlausible($0) || $0 < 0x80 } }
    }

    /// The model's score of a slot list decoded in step, or nil if some character cannot be spelled or a scar's
    /// reading does not fit.
    func evaluate(_ list: [Slot], left: UInt32, right: UInt32?) -> Float? {
        var list = list
        for i in list.indices where list[i].reading != nil {
            // the byte before a scar's lost byte lies outside the stretch: the scar cannot be checked here
            guard i > 0 else { return nil }
            let r = list[i].reading!
            let rid = data.readingIndex[r]
            // bytes seen in a pair that spells a character with this reading (bit sets over 0…255)
            var keepA = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            var keepB = keepA
            func set(_ bits: inout (UInt64, UInt64, UInt64, UInt64), _ b: UInt8) {
                let bit = UInt64(1) << UInt64(b & 63)
                switch b >> 6 {
                case 0: bits.0 |= bit
                case 1: bits.1 |= bit
                case 2: bits.2 |= bit
                default: bits.3 |= bit
                }
            }
            func has(_ bits: (UInt64, UInt64, UInt64, UInt64), _ b: UInt8) -> Bool {
                let bit = UInt64(1) << UInt64(b & 63)
                switch b >> 6 {
                case 0: return bits.0 & bit != 0
                case 1: return bits.1 & bit != 0
                case 2: return bits.2 & bit != 0
                default: return bits.3 & bit != 0
                }
            }
            var any = false
            for x in options(list[i - 1]) where x >= 0x81 {
                for y in options(list[i]) {
                    let v = data.decode(x, y)
                    if v != 0, v != TextData.vanish, data.hasReading(v, id: rid, r) {
                        set(&keepA, x)
                        set(&keepB, y)
                        any = true
                    }
                }
            }
            if !any { return nil }
            if list[i - 1].value < 0 { list[i - 1].candidates = list[i - 1].candidates.filter { has(keepA, $0) } }
            if list[i].value < 0 { list[i].candidates = list[i].candidates.filter { has(keepB, $0) } }
            list[i].reading = nil
        }
        guard var units = decode(list, stopOnEmpty: true) else { return nil }
        // In one pass per character: keep what a document could have held, in Simplified form, that the model
        // knows; of many, the most frequent few are enough for the model to rank a restoration. (Simplifying and
        // filtering every guessed candidate separately was most of the search's time.)
        for k in units.indices {
            let cands = units[k].candidates
            if cands.count == 1 {
                let c = cands[0]
                guard c < 0x80 || data.isPlausible(c) else { return nil }
                if let forms = data.simplifiedForms(c) {
                    let known = forms.count > 1 ? forms.filter { $0 < 0x80 || data.isKnown($0) } : forms
                    if known.isEmpty { return nil }
                    units[k].candidates = known
                }
                continue
            }
            var top: [(Float, UInt32)] = []
            top.reserveCapacity(Self.candidateLimit + 1)
            for c in cands where c < 0x80 || data.isPlausible(c) {
                for f in data.simplifiedForms(c) ?? [c] where f < 0x80 || data.isKnown(f) {
                    if top.contains(where: { $0.1 == f }) { continue }
                    let u = data.logUnigram(f)
                    if top.count == Self.candidateLimit, let last = top.last, last.0 >= u { continue }
                    var at = top.count
                    while at > 0 && top[at - 1].0 < u { at -= 1 }
                    top.insert((u, f), at: at)
                    if top.count > Self.candidateLimit { top.removeLast() }
                }
            }
            if top.isEmpty { return nil }
            units[k].candidates = top.map(\.1)
        }
        return pathScore(units, left: left, right: right) / Float(units.count + (right == nil ? 0 : 1))
    }
}
