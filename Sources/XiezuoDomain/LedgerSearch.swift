/// Keyword search over ledger rows through each database's own full-text index (SQLite FTS5, PostgreSQL tsvector
/// with GIN), the same way on both.
///
/// Chinese has no spaces and offices search for two-character words (茶叶, 遵义), which trigram indexes cannot find,
/// while an index of single characters makes every name with 王 a candidate for 王明. So each row's searchable text is
/// stored as tokens both engines split the same way — plain ASCII words:
/// - every ideograph (any letter or digit outside ASCII) with the one after it in the same run, `b` + both code
///   points in four base-36 digits (`0000` when the run ends there): 茶叶有 → 茶叶 叶有 有∅. A word of two or more
///   such characters is a phrase of these pairs; a single character is the prefix `b` + its code;
/// - every run of ASCII letters and digits (full-width ones folded to ASCII) is one token, `a` + the run in lower case;
/// - facets a list filters on: `l` + the ledger, `r` + the county code's 4- and 6-digit prefixes.
/// The first letter of each token says its kind, so no text can pose as a facet. Only text fields are searched
/// (names, employers, products, places); numbers, dates, regions and choices have filters of their own. A query
/// word matches when its tokens stand next to each other in that order (the index finds the rows holding them all,
/// the row's text confirms the order); a word of one token (an ASCII word, a lone character) is a prefix:
/// 茶叶 finds 贵州茶叶有限公司, `plat` finds `platform832`, `832` does not (ASCII words match from their start), 企业16
/// does not find 企业1680. Words of a query separated by spaces must all be present, anywhere. The stored text begins and ends
/// with a space, so a word's tokens are also an exact `LIKE` pattern (exports, which walk every row anyway).
/// Personal data (ID numbers, phones) is never in it.
public enum LedgerSearch {
    /// A query word: its tokens, and whether its last token is a prefix (a word of one token that may go on, or a
    /// lone character ending a longer word).
    public struct Word: Sendable, Hashable {
        public var tokens: [String]
        public var open: Bool
        public init(tokens: [String], open: Bool) {
            self.tokens = tokens
            self.open = open
        }
    }

    /// At most this many words and tokens per word are taken from a query (a search box, not a document).
    public static let maxWords = 16
    public static let maxTokensPerWord = 32

    /// The stored search text of a row.
    public static func text(ledger: LedgerName, county: String, values: some Sequence<String>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(0x20)
        out.append(0x6C)
        out.append(contentsOf: ledger.rawValue.utf8)
        out.append(0x20)
        // The prefecture and the county (the province is nearly every row of a ledger: a filter the rows do better).
        for n in [4, 6] where county.utf8.count >= n && county.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            out.append(0x72)
            out.append(contentsOf: county.utf8.prefix(n))
            out.append(0x20)
        }
        for v in values where !v.isEmpty { _ = tokens(v, endRun: true, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The words of a query (split at spaces, full-width ones too); words without a letter or digit are left out.
    public static func words(_ query: String) -> [Word] {
        var words: [Word] = []
        for part in query.split(whereSeparator: { $0.isWhitespace }) {
            var bytes: [UInt8] = []
            let last = tokens(String(part), endRun: false, into: &bytes)
            let toks = bytes.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            guard !toks.isEmpty else { continue }
            // Only a word of one token is a prefix: FTS5 reads every row of a phrase's other tokens to place a prefix
            // in it (ten times the time of the exact phrase), and 企业1680 is one thing, not 企业1680 and 企业16800.
            // A lone character ending a longer word stays a prefix too: the row's text checks it, the index asks the
            // rest of the word (see `required`).
            let open = toks.count <= maxTokensPerWord && (toks.count == 1 ? last != .whole : last == .loneCharacter)
            let w = Word(tokens: Array(toks.prefix(maxTokensPerWord)), open: open)
            if !words.contains(w) { words.append(w) }
            if words.count == maxWords { break }
        }
        return words
    }

    /// Every token the query needs, each once, the prefixes marked.
    private static func required(_ ledger: LedgerName, _ facets: [String], _ words: [Word]) -> [(String, Bool)] {
        var out: [(String, Bool)] = (["l" + ledger.rawValue] + facets).map { ($0, false) }
        for w in words {
            // A prefix inside a longer word is left to the row's check: FTS5 reads every row of the word's other
            // tokens to place it.
            let asked = w.open && w.tokens.count > 1 ? w.tokens.dropLast() : w.tokens[...]
            for (i, t) in asked.enumerated() where !out.contains(where: { $0.0 == t }) { out.append((t, w.open && i == w.tokens.count - 1)) }
        }
        return out
    }

    /// The FTS5 query: every token required. The index keeps no positions (`detail=none`: a third of the
    /// work of writing it), so a word of several tokens is checked in its order on the rows (`recheck`).
    public static func ftsQuery(ledger: LedgerName, facets: [String], words: [Word]) -> String {
        required(ledger, facets, words).map { "\"\($0.0)\"" + ($0.1 ? " *" : "") }.joined(separator: " AND ")
    }

    /// The same as a PostgreSQL tsquery (`:*`: a prefix).
    public static func tsQuery(ledger: LedgerName, facets: [String], words: [Word]) -> String {
        required(ledger, facets, words).map { $0.0 + ($0.1 ? ":*" : "") }.joined(separator: " & ")
    }

    /// The words whose tokens must also stand together, in order, on the row (`likePattern`).
    public static func recheck(_ words: [Word]) -> [Word] { words.filter { $0.tokens.count > 1 } }

    /// A word as a LIKE pattern over the stored text (tokens hold only letters and digits: nothing to escape).
    public static func likePattern(_ w: Word) -> String {
        "% " + w.tokens.joined(separator: " ") + (w.open ? "%" : " %")
    }

    /// The facet token a filter by region selects (a prefecture's or county's code prefix of 4 or 6 digits).
    public static func facets(regionPrefix: String?) -> [String] {
        guard let p = regionPrefix, [4, 6].contains(p.utf8.count), p.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return [] }
        return ["r" + p]
    }

    private static let digits36 = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// Four base-36 digits: every code point (up to 0x10FFFF < 36⁴) in the same width, so a pair's first half is a
    /// prefix of the pair.
    private static func base36(_ v: UInt32, into out: inout [UInt8]) {
        let n = Int(v)
        out.append(digits36[n / 46656 % 36])
        out.append(digits36[n / 1296 % 36])
        out.append(digits36[n / 36 % 36])
        out.append(digits36[n % 36])
    }

    /// What the last token of a text is: a whole token, an ASCII word (which may go on), or a lone character left
    /// open at the end of a query word (the first half of a pair).
    enum LastToken { case whole, asciiWord, loneCharacter }

    /// Appends the tokens of a text, each followed by a space. A run of ideographs that ends the text gets its
    /// closing pair only if `endRun` (a stored row); at the end of a query word the run is left open: its last pair
    /// already says where it ends, and a lone character becomes the first half of a pair.
    static func tokens(_ s: String, endRun: Bool, into out: inout [UInt8]) -> LastToken {
        var inASCII = false
        var run: [UInt32] = []
        var last = LastToken.whole
        func flushRun(atEnd: Bool) {
            guard !run.isEmpty else { return }
            for i in 0..<(run.count - 1) {
                out.append(0x62)
                base36(run[i], into: &out)
                base36(run[i + 1], into: &out)
                out.append(0x20)
            }
            last = .whole
            if !atEnd || endRun {
                out.append(0x62)
                base36(run[run.count - 1], into: &out)
                out.append(contentsOf: [0x30, 0x30, 0x30, 0x30, 0x20])
            } else if run.count == 1 {
                out.append(0x62)
                base36(run[0], into: &out)
                out.append(0x20)
                last = .loneCharacter
            }
            run.removeAll(keepingCapacity: true)
        }
        for u in s.unicodeScalars {
            var v = u.value
            // Full-width ASCII (ＡＢＣ１２３) is the same word as its ASCII form. The common ideographs are tested by
            // range before Unicode's property tables, which cost more than all the rest.
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            if v < 0x80 {
                var b = UInt8(v)
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
                if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) {
                    flushRun(atEnd: false)
                    if !inASCII {
                        out.append(0x61)
                        inASCII = true
                    }
                    out.append(b)
                    last = .asciiWord
                    continue
                }
            } else if (v >= 0x4E00 && v <= 0x9FFF) || u.properties.isAlphabetic || u.properties.numericType != nil {
                if inASCII {
                    out.append(0x20)
                    inASCII = false
                }
                run.append(v)
                continue
            }
            if inASCII {
                out.append(0x20)
                inASCII = false
                last = .whole
            }
            flushRun(atEnd: false)
        }
        if inASCII { out.append(0x20) }
        flushRun(atEnd: true)
        return last
    }
}
