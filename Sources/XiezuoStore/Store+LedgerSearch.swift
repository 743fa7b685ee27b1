import Foundation
import SQLKit
import XiezuoDomain

extension Store {
    /// Matches are counted up to this many; past it the list says "more than" (counting a word found in half the
    /// rows would cost as much as reading them).
    public static let searchCountCap = 1000

    /// A keyword search's page: the index finds the matches and, on SQLite, hands them out newest first (its rowid
    /// is the date and id), so a page costs about its rows whether the word is in ten rows or in a hundred thousand.
    /// The count goes through the index too, up to the cap.
    func searchedRows(
        _ ledger: LedgerName, _ f: LedgerFilter, _ words: [LedgerSearch.Word], page: Page, cipher: PersonalDataCipher
    ) async throws -> PageOf<LedgerRecord> {
        let (matches, order) = indexedMatches(ledger, f, words)
        let cap = Self.searchCountCap
        return try await backend.read { db in
            let n = try await db.raw("SELECT COUNT(*) AS n FROM (" + matches + " LIMIT \(bind: cap + 1)) AS m").first()!.decode(
                column: "n", as: Int.self)
            let ids = matches + order + " LIMIT \(bind: page.size) OFFSET \(bind: page.offset)"
            let items = try await db.raw("SELECT * FROM ledger_rows WHERE id IN (" + ids + ") ORDER BY occurred_on DESC, id DESC").all()
                .map { try Self.record($0, cipher: cipher) }
            return PageOf(items: items, total: min(n, cap), page: page, totalAtLeast: n > cap)
        }
    }

    /// The ids of the rows a filter and its words select, through the keyword index, and the order that lists
    /// them newest first (on SQLite the index's own).
    func indexedMatches(_ ledger: LedgerName, _ f: LedgerFilter, _ words: [LedgerSearch.Word]) -> (SQLQueryString, SQLQueryString) {
        let prefix = f.regionCode.map { Region.scopePrefix(code: $0, level: ProjectDraft.levelOf($0)) }
        let facets = LedgerSearch.facets(regionPrefix: prefix)
        let rest = filterSQL(ledger, f, lead: " AND", words: false)
        switch backend.dialect {
        case .sqlite:
            // CROSS JOIN keeps the index as the outer loop; the rows are looked up by the ids it gives. Dates narrow
            // the index's own range.
            var m: SQLQueryString =
                "SELECT ledger_rows.id FROM ledger_search CROSS JOIN ledger_rows ON ledger_rows.id = (ledger_search.rowid & 4294967295) WHERE ledger_search MATCH \(bind: LedgerSearch.ftsQuery(ledger: ledger, facets: facets, words: words))"
            let first = [f.from?.description, f.year.map { "\($0)-01-01" }].compactMap { $0 }.max()
            let last = [f.to?.description, f.year.map { "\($0)-12-31" }].compactMap { $0 }.min()
            if let first { m += " AND ledger_search.rowid >= (CAST(julianday(\(bind: first)) AS INTEGER) << 32)" }
            if let last { m += " AND ledger_search.rowid <= ((CAST(julianday(\(bind: last)) AS INTEGER) << 32) | 4294967295)" }
            for w in LedgerSearch.recheck(words) { m += " AND ledger_rows.search_text LIKE \(bind: LedgerSearch.likePattern(w))" }
            return (m + rest, " ORDER BY ledger_search.rowid DESC")
        case .postgres:
            var m: SQLQueryString =
                "SELECT id FROM ledger_rows WHERE search_vector @@ to_tsquery('simple', \(bind: LedgerSearch.tsQuery(ledger: ledger, facets: facets, words: words)))"
            for w in LedgerSearch.recheck(words) { m += " AND search_text LIKE \(bind: LedgerSearch.likePattern(w))" }
            return (m + rest, " ORDER BY occurred_on DESC, id DESC")
        }
    }

    /// Migration 15: every row's search text as tokens. Personal values are left out, so their encrypted form
    /// is never read here; 500 rows a statement.
    static func rewriteLedgerSearchText(_ db: any SQLDatabase) async throws {
        var last: Int64 = 0
        while true {
            let rows = try await db.raw(
                "SELECT id, ledger, values_json FROM ledger_rows WHERE id > \(bind: last) ORDER BY id LIMIT 500"
            ).all()
            guard !rows.isEmpty else { return }
            var pairs: [SQLQueryString] = []
            for r in rows {
                let id = try r.decode(column: "id", as: Int64.self)
                last = id
                guard let name = LedgerName(rawValue: try r.decode(column: "ledger", as: String.self)) else { continue }
                let d = name.definition
                let text = try r.decode(column: "values_json", as: String.self)
                let map = ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String]) ?? [:]
                let values = d.fields.map { $0.kind.isPersonal ? "" : map[$0.key] ?? "" }
                pairs.append("(\(bind: id), \(bind: searchText(d, values)))")
            }
            guard !pairs.isEmpty else { continue }
            try await db.raw(
                "WITH v(id, t) AS (VALUES " + pairs.joined(separator: ", ")
                    + ") UPDATE ledger_rows SET search_text = (SELECT t FROM v WHERE v.id = ledger_rows.id) WHERE id IN (SELECT id FROM v)"
            ).run()
        }
    }
}
