import FuzzDriver
import XiezuoDomain

/// Keyword search's tokens (LedgerSearch) from arbitrary text: the input is a row's values (split on tabs) and,
/// whole, a query. What must hold whatever the text: only ASCII letters, digits and single spaces come out (both
/// engines split them alike and nothing needs quoting in either query language), the stored text begins and ends
/// with a space, a query is bounded, and every whitespace-separated piece of a value, asked as a query, finds that
/// row (its tokens stand in the row's text in order).
@_cdecl("fuzz_search_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        let text = String(decoding: input, as: UTF8.self)
        let values = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let row = LedgerSearch.text(ledger: .labour, county: "520525", values: values)
        precondition(row.hasPrefix(" ") && row.hasSuffix(" "))
        precondition(row.utf8.allSatisfy { $0 == 0x20 || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) })
        precondition(!row.contains("  "))
        let words = LedgerSearch.words(text)
        precondition(words.count <= LedgerSearch.maxWords)
        for w in words {
            precondition(!w.tokens.isEmpty && w.tokens.count <= LedgerSearch.maxTokensPerWord)
            precondition(w.tokens.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) } })
            _ = LedgerSearch.ftsQuery(ledger: .labour, facets: ["r5205"], words: [w])
            _ = LedgerSearch.tsQuery(ledger: .labour, facets: [], words: [w])
        }
        // A row is found by the pieces of its own values.
        for v in values {
            for piece in v.split(whereSeparator: { $0.isWhitespace }) {
                for w in LedgerSearch.words(String(piece)) where w.tokens.count < LedgerSearch.maxTokensPerWord {
                    let phrase = " " + w.tokens.joined(separator: " ") + (w.open ? "" : " ")
                    precondition(row.contains(phrase), "\(piece) is not found in its own row: \(w.tokens) in \(row)")
                }
            }
        }
    }
}
