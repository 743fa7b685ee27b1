/// Undoes the web-scraping pipeline described in docs (naive Simplified→Traditional conversion, GBK encoding, pinyin
/// inserted by byte replacement, double-byte decoding that lost step, ASCII punctuation): it rebuilds the byte stream
/// from the garbled text, removes the inserted annotations at the byte level, decodes the stream back in step and
/// lets a character language model choose wherever the bytes leave a choice. A document without the pipeline's
/// signature is returned exactly as given.
public struct Repairer: Sendable {
    let data: TextData
    let readingSet: Set<String>
    /// Put back byte pairs the decoder dropped (the costly step; switchable to measure it).
    let restoreLostPairs: Bool

    let encoding: EncodingRepair
    let byReading: [String: [String]]
    /// Characters that some Traditional form simplifies to, other than itself (会, 协, 并 …), over U+3400…U+9FFF.
    let simplifiedTargets: [Bool]

    public init(data: TextData = .shared, restoreLostPairs: Bool = true) {
        self.data = data
        encoding = EncodingRepair(data: data)
        var targets = [Bool](repeating: false, count: 0xA000 - 0x3400)
        for (t, forms) in data.simplified { for f in forms where f != t && f >= 0x3400 && f < 0xA000 { targets[Int(f) - 0x3400] = true } }
        simplifiedTargets = targets
        byReading = Self.likeliestByReading(data)
        self.restoreLostPairs = restoreLostPairs
        var all = Set<String>()
        for list in data.readings.values { for r in list { all.insert(r) } }
        readingSet = all
    }

    public func repair(_ text: String) -> RepairResult {
        guard Self.mayCarryAnnotations(text) else {
            return repairEncoding(text) ?? RepairResult(text: text, report: RepairReport(garbled: false, reason: "no pinyin annotations or scars"))
        }
        let src = text.unicodeScalars.map(\.value)
        let groups = findGroups(src)
        let verdict = judge(src, groups)
        guard verdict.garbled else {
            return repairEncoding(text)
                ?? RepairResult(
                    text: text,
                    report: RepairReport(
                        garbled: false, reason: verdict.reason,
                        annotations: verdict.annotations, scars: verdict.scars, verdict: verdict.code))
        }
        // A long document is repaired a stretch of lines at a time. A surviving line break is a point where the
        // byte stream is in step (0x0A can be no part of a two-byte character) and no annotation crosses one, so
        // the pieces repair exactly as the whole would, in a working set that stays in the caches.
        var pieces: [Range<Int>] = []
        var start = 0
        while start < src.count {
            var end = min(start + Self.pieceLength, src.count)
            while end < src.count && src[end - 1] != 0x0A { end += 1 }
            pieces.append(start..<end)
            start = end
        }
        var text = ""
        var changes: [RepairChange] = []
        var unsolved: [UnsolvedSpan] = []
        var g = 0
        for piece in pieces {
            var local: [Group] = []
            while g < groups.count, groups[g].open < piece.upperBound {
                var x = groups[g]
                x.open -= piece.lowerBound
                x.close -= piece.lowerBound
                local.append(x)
                g += 1
            }
            var engine = Engine(data: data, src: Array(src[piece]), groups: local, restoreLostPairs: restoreLostPairs)
            let r = engine.run(reason: verdict.reason, annotations: verdict.annotations, scars: verdict.scars)
            text += r.text
            changes += r.report.changes.map {
                var c = $0
                c.offset += piece.lowerBound
                return c
            }
            unsolved += r.report.unsolved.map {
                var u = $0
                u.offset += piece.lowerBound
                return u
            }
        }
        let marked = markUnsolved(src, groups, changes: changes, unsolved: unsolved)
        return RepairResult(
            text: marked.text ?? text,
            report: RepairReport(
                garbled: true, reason: verdict.reason, changes: marked.changes, unsolved: marked.unsolved,
                annotations: verdict.annotations, scars: verdict.scars))
    }

    /// Unsolved stretches are not left in clean-looking text as they came: overlapping reports of one stretch are
    /// joined, each scar in it becomes □ (a character whose bytes were lost, as an editor marks one), and the
    /// change is reported with the characters the □ may be. The output is rebuilt from the input and the changes,
    /// so the report accounts for every character. Nil text: nothing unsolved, the engine's text stands.
    func markUnsolved(
        _ src: [UInt32], _ groups: [Group], changes: [RepairChange], unsolved: [UnsolvedSpan]
    )
        -> (text: String?, changes: [RepairChange], unsolved: [UnsolvedSpan])
    {
        guard !unsolved.isEmpty else { return (nil, changes, unsolved) }
        var joined: [(range: Range<Int>, reason: String)] = []
        for u in unsolved.sorted(by: { $0.offset < $1.offset }) {
            let r = u.offset..<(u.offset + u.length)
            if let last = joined.last, r.lowerBound <= last.range.upperBound {
                joined[joined.count - 1].range = last.range.lowerBound..<max(last.range.upperBound, r.upperBound)
            } else {
                joined.append((r, u.reason))
            }
        }
        func string(_ v: ArraySlice<UInt32>) -> String {
            var s = String.UnicodeScalarView()
            for c in v { s.append(Unicode.Scalar(c) ?? "\u{FFFD}") }
            return String(s)
        }
        var spans: [UnsolvedSpan] = []
        var covered: [Range<Int>] = []
        var all: [RepairChange] = []
        // Groups are in text order and the stretches too: one pointer walks both.
        let scarGroups = groups.filter(\.scar)
        var gi = 0
        for j in joined {
            // Scars inside the stretch, and a scar that ends inside it.
            while gi < scarGroups.count && scarGroups[gi].close < j.range.lowerBound { gi += 1 }
            var scars: [Group] = []
            var gk = gi
            while gk < scarGroups.count && scarGroups[gk].open < j.range.upperBound {
                scars.append(scarGroups[gk])
                gk += 1
            }
            var range = j.range
            for g in scars { range = min(range.lowerBound, g.open)..<max(range.upperBound, g.close + 1) }
            var shown = ""
            var candidates: [[String]] = []
            var k = range.lowerBound
            for g in scars.sorted(by: { $0.open < $1.open }) {
                shown += string(src[k..<g.open]) + "□"
                candidates.append(likeliest(reading: g.pinyin))
                k = g.close + 1
            }
            shown += string(src[k..<range.upperBound])
            let before = string(src[range])
            spans.append(
                UnsolvedSpan(offset: range.lowerBound, length: range.count, text: before, reason: j.reason, shown: shown, candidates: candidates))
            covered.append(range)
            all.append(RepairChange(offset: range.lowerBound, length: range.count, before: before, after: shown, step: .unsolved, confidence: 0))
        }
        // A change a stretch now covers is folded into it (both lists are in text order).
        var ci = 0
        for c in changes {
            while ci < covered.count && covered[ci].upperBound <= c.offset { ci += 1 }
            if ci < covered.count && c.offset >= covered[ci].lowerBound && c.offset + c.length <= covered[ci].upperBound { continue }
            all.append(c)
        }
        all.sort { $0.offset < $1.offset }
        // Collected as scalars and made a string once: appending to a string view piece by piece copies it each time.
        var text: [Unicode.Scalar] = []
        text.reserveCapacity(src.count)
        var pos = 0
        var kept: [RepairChange] = []
        for c in all where c.offset >= pos {
            for v in src[pos..<c.offset] { text.append(Unicode.Scalar(v) ?? "\u{FFFD}") }
            text.append(contentsOf: c.after.unicodeScalars)
            pos = c.offset + c.length
            kept.append(c)
        }
        for v in src[pos...] { text.append(Unicode.Scalar(v) ?? "\u{FFFD}") }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text)
        return (String(out), kept, spans)
    }

    /// Characters with a reading, the likeliest in the language model first (at most eight).
    func likeliest(reading: String) -> [String] { byReading[reading] ?? [] }

    /// Every reading's eight likeliest characters, made once.
    static func likeliestByReading(_ data: TextData) -> [String: [String]] {
        var all: [String: [UInt32]] = [:]
        for (c, readings) in data.readings where (0x3400...0x9FFF).contains(c) && data.isKnown(c) {
            for r in readings { all[r, default: []].append(c) }
        }
        return all.mapValues { list in
            list.sorted { (data.logUnigram($0), $1) > (data.logUnigram($1), $0) }.prefix(8).map { String(Unicode.Scalar($0)!) }
        }
    }

    /// Text decoded with the wrong character set is a garbling of its own, looked for where the pipeline's
    /// signature is absent (the pipeline's out-of-step characters would look like it and only cost time).
    func repairEncoding(_ text: String) -> RepairResult? {
        guard encoding.worthALook(text), let fixed = encoding.repair(text) else { return nil }
        let kinds = Set(fixed.fixes.map(\.kind))
        return RepairResult(
            text: fixed.text,
            report: RepairReport(
                garbled: true, reason: "decoded with the wrong character set (" + kinds.map(\.rawValue).sorted().joined(separator: ", ") + ")",
                changes: fixed.fixes.map {
                    RepairChange(
                        offset: $0.offset, length: $0.length, before: $0.before, after: $0.after, step: .encoding,
                        confidence: $0.guessed > 0 ? 0.5 : 1)
                }, verdict: .wrongCharacterSet, encodings: kinds.map(\.rawValue).sorted()))
    }

    /// Characters per piece of a long document (extended to the next line break).
    static let pieceLength = 16_384

    /// Fast screen on the UTF-8 bytes: a "(" or "?" followed by a pinyin syllable and ")" somewhere. Clean text
    /// without one passes straight through.
    static func mayCarryAnnotations(_ text: String) -> Bool {
        if let r = text.utf8.withContiguousStorageIfAvailable(scan) { return r }
        return Array(text.utf8).withUnsafeBufferPointer(scan)
    }

    private static func scan(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = buf.count
        var i = 0
        while i + 1 < n {
            let b = buf[i]
            if b == 0x28 || b == 0x3F {
                // A syllable closed by ")" within a pinyin syllable's length: lower-case letters and the bytes of
                // tone-marked vowels only ("(a < b)" in code, "(e.g." in English are not annotations).
                var j = i + 1
                while j < n && j - i <= 13 {
                    let c = buf[j]
                    if c == 0x29 { break }
                    guard (c >= 0x61 && c <= 0x7A) || c == 0xC3 || c == 0xC4 || c == 0xC5 || c == 0xC7 || c == 0xE1 || (c >= 0x80 && c <= 0xBF)
                    else { break }
                    j += 1
                }
                if j < n && buf[j] == 0x29 && j > i + 1 { return true }
            }
            i += 1
        }
        return false
    }

    struct Group {
        var open: Int  // index of "(" or "?"
        var close: Int  // index of ")"
        var pinyin: String
        var scar: Bool
    }

    func findGroups(_ s: [UInt32]) -> [Group] {
        var out: [Group] = []
        var i = 0
        while i < s.count {
            if s[i] == 0x28 || s[i] == 0x3F, let (py, close) = Pinyin.syllable(in: s, at: i, readings: readingSet) {
                out.append(Group(open: i, close: close, pinyin: py, scar: s[i] == 0x3F))
                i = close + 1
            } else {
                i += 1
            }
        }
        return out
    }

    struct Verdict {
        var garbled: Bool
        var reason: String
        var annotations: Int
        var scars: Int
        var code: RepairReport.Verdict
    }

    /// The pipeline's signature: scars (a "?" that swallowed the "(" of an annotation), or annotations that follow
    /// a fixed per-character dictionary — every occurrence of an annotated character carries the same reading — on
    /// Traditional forms. A teaching text that glosses some characters, or words, does not look like that.
    func judge(_ s: [UInt32], _ groups: [Group]) -> Verdict {
        let scars = groups.filter(\.scar).count
        var confirmed = 0
        var annotatedChars: [UInt32: String] = [:]
        var traditional = 0
        for g in groups where !g.scar && g.open > 0 {
            let c = s[g.open - 1]
            if data.hasReading(c, g.pinyin) {
                confirmed += 1
                if annotatedChars[c] == nil, data.simplified[c] != nil { traditional += 1 }
                annotatedChars[c] = g.pinyin
            }
        }
        if scars > 0 && scars + confirmed >= 2 {
            return Verdict(
                garbled: true, reason: "\(scars) scar(s) and \(confirmed) annotation(s)", annotations: confirmed, scars: scars, code: .pipeline)
        }
        // The pipeline's other two steps leave their own signature where its dictionary held few characters: a
        // naive converter's mix of Traditional forms with Simplified ones it left alone (協 and 会 side by side;
        // genuine Traditional text writes 會), and ASCII commas between Chinese characters. With at least one
        // annotation of the dictionary's kind, that is enough.
        if confirmed >= 1 && (confirmed < 3 || traditional * 2 < annotatedChars.count), Self.hasCommaBetweenChinese(s) {
            let mix = scriptMix(s)
            if mix.commas >= 2 && mix.traditional >= 5 && mix.simplifiedOnly >= 3 {
                return Verdict(
                    garbled: true,
                    reason: "\(confirmed) annotation(s), \(mix.traditional) Traditional forms among Simplified ones, \(mix.commas) ASCII commas",
                    annotations: confirmed, scars: scars, code: .pipeline)
            }
        }
        guard confirmed >= 3, traditional * 2 >= annotatedChars.count else {
            return Verdict(
                garbled: false, reason: "too few dictionary-style annotations (\(confirmed))", annotations: confirmed, scars: scars,
                code: confirmed == 0 && scars == 0 ? .clean : .tooFew)
        }
        // Every occurrence of an annotated character must be annotated, as a byte-level replacement does.
        var occurrences = 0
        var annotated = 0
        for (i, c) in s.enumerated() where annotatedChars[c] != nil {
            occurrences += 1
            if i + 1 < s.count, s[i + 1] == 0x28 { annotated += 1 }
        }
        if annotated * 10 >= occurrences * 9 {
            return Verdict(
                garbled: true, reason: "\(confirmed) annotations on every occurrence of \(annotatedChars.count) characters",
                annotations: confirmed, scars: scars, code: .pipeline)
        }
        return Verdict(
            garbled: false, reason: "annotations are occasional glosses, not a pipeline's dictionary",
            annotations: confirmed, scars: scars, code: .glosses)
    }

    /// Whether an ASCII comma or semicolon stands between two Chinese characters somewhere (a cheap first look).
    static func hasCommaBetweenChinese(_ s: [UInt32]) -> Bool {
        var i = 1
        while i + 1 < s.count {
            if (s[i] == 0x2C || s[i] == 0x3B) && (0x3400...0x9FFF).contains(s[i - 1]) && (0x3400...0x9FFF).contains(s[i + 1]) { return true }
            i += 1
        }
        return false
    }

    /// Counts for the naive converter's signature: Traditional forms (characters with a Simplified form other than
    /// themselves), Simplified-only forms (characters some Traditional form simplifies to, other than themselves),
    /// and ASCII commas or semicolons between Chinese characters.
    func scriptMix(_ s: [UInt32]) -> (traditional: Int, simplifiedOnly: Int, commas: Int) {
        var traditional = 0
        var simplifiedOnly = 0
        var commas = 0
        for (i, c) in s.enumerated() {
            if c == 0x2C || c == 0x3B {
                if i > 0, i + 1 < s.count, (0x3400...0x9FFF).contains(s[i - 1]), (0x3400...0x9FFF).contains(s[i + 1]) { commas += 1 }
                continue
            }
            guard (0x3400...0x9FFF).contains(c) else { continue }
            if let forms = data.simplifiedForms(c), !forms.contains(c) {
                traditional += 1
            } else if simplifiedTargets[Int(c) - 0x3400] {
                simplifiedOnly += 1
            }
        }
        return (traditional, simplifiedOnly, commas)
    }
}
