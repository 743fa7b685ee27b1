import Foundation
import SQLKit
import XiezuoDomain

extension Store {
    public var cipher: PersonalDataCipher {
        get throws { try dataKey.get() }
    }

    /// The row's tokens for keyword search (LedgerSearch): its ledger and county, and its text fields (never
    /// personal data, which has kinds of its own).
    static func searchText(_ d: LedgerDefinition, _ values: [String]) -> String {
        LedgerSearch.text(
            ledger: d.name, county: d.value(values, d.countyField),
            values: zip(d.fields, values).lazy.filter {
                if case .text = $0.0.kind { return true }
                return false
            }.map(\.1))
    }

    /// The stored JSON of values: field key → value, personal data encrypted.
    static func storedJSON(_ d: LedgerDefinition, _ values: [String], cipher: PersonalDataCipher) throws -> (String, [String: String]) {
        var out: [String: String] = [:]
        for (f, v) in zip(d.fields, values) where !v.isEmpty { out[f.key] = f.kind.isPersonal ? try cipher.encrypt(v) : v }
        return (CanonicalJSON.object(out), out)
    }

    static func values(_ d: LedgerDefinition, json text: String, cipher: PersonalDataCipher) throws -> [String] {
        // Foundation's JSONSerialization reads a flat object of strings in a fraction of JSONDecoder's time (a list
        // page reads fifty of them).
        let map = ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String]) ?? [:]
        return try d.fields.map { f in
            let v = map[f.key] ?? ""
            return f.kind.isPersonal ? try cipher.decrypt(v) : v
        }
    }

    static func naturalKey(_ d: LedgerDefinition, _ values: [String], cipher: PersonalDataCipher) -> String {
        // Text is kept as the office wrote it (full-width brackets and all) but compared without width, so a row
        // written either way is the same row.
        cipher.digest(
            ([d.name.rawValue]
                + zip(d.fields, values).filter { $0.0.inKey }.map { f, v in
                    if case .text = f.kind { return SheetText.normalize(v) }
                    return v
                }).joined(separator: "\u{1F}"))
    }

    static func record(_ r: any SQLRow, cipher: PersonalDataCipher) throws -> LedgerRecord {
        let name = LedgerName(rawValue: try r.decode(column: "ledger", as: String.self)) ?? .consumption
        return LedgerRecord(
            id: try r.decode(column: "id", as: Int64.self), ledger: name,
            values: try values(name.definition, json: try r.decode(column: "values_json", as: String.self), cipher: cipher),
            countyCode: try r.decode(column: "county_code", as: String.self),
            date: try r.decode(column: "occurred_on", as: String.self),
            state: ProgressState(rawValue: try r.decode(column: "state", as: String.self)) ?? .submitted,
            reviewComment: try r.decode(column: "review_comment", as: String.self),
            version: try r.decode(column: "version", as: Int64.self),
            updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    /// Records that this database's personal data uses the current key; refuses another key.
    static func checkDataKey(_ db: any SQLDatabase, _ cipher: PersonalDataCipher) async throws {
        let stored = try await db.raw("SELECT value FROM app_meta WHERE key = 'data_key'").first()?.decode(column: "value", as: String.self)
        if let stored {
            guard stored == cipher.fingerprint else { throw PersonalDataError.keyMismatch }
        } else {
            try await db.raw("INSERT INTO app_meta (key, value) VALUES ('data_key', \(bind: cipher.fingerprint))").run()
        }
    }

    /// At start: a database that has personal data must be opened with the key it was written with.
    public func verifyDataKey() async throws {
        let stored = try await backend.read { db in
            try await db.raw("SELECT value FROM app_meta WHERE key = 'data_key'").first()?.decode(column: "value", as: String.self)
        }
        guard let stored else { return }
        guard stored == (try cipher).fingerprint else { throw PersonalDataError.keyMismatch }
    }

    /// The filter's conditions, after `lead` (" WHERE", or " AND" behind a search index's own condition). Keywords
    /// are LIKE patterns over the stored tokens unless `words` is false (the index has taken them).
    func filterSQL(_ ledger: LedgerName, _ f: LedgerFilter, lead: String = " WHERE", words: Bool = true) -> SQLQueryString {
        var w: SQLQueryString = "\(unsafeRaw: lead) ledger = \(bind: ledger.rawValue)"
        if let c = f.regionCode { w += Self.countyRange(Region.scopePrefix(code: c, level: ProjectDraft.levelOf(c))) }
        if let d = f.from { w += " AND occurred_on >= \(bind: d.description)" }
        if let d = f.to { w += " AND occurred_on <= \(bind: d.description)" }
        // The year also as a range of dates, which the (ledger, county, date) index walks.
        if let y = f.year { w += " AND year = \(bind: y) AND occurred_on BETWEEN \(bind: "\(y)-01-01") AND \(bind: "\(y)-12-31")" }
        if let s = f.state { w += " AND state = \(bind: s.rawValue)" }
        if words { for word in LedgerSearch.words(f.query ?? "") { w += " AND search_text LIKE \(bind: LedgerSearch.likePattern(word))" } }
        // The stored JSON is canonical (sorted keys, no spaces), so a field's value is an exact substring.
        for (k, v) in f.fields.sorted(by: { $0.key < $1.key }) {
            w += " AND values_json LIKE \(bind: likePattern(contains: "\"\(k)\":\"\(v)\"")) ESCAPE '\\'"
        }
        w += scopeSQL("county_code", f.scope)
        return w
    }

    /// Counties whose code starts with a prefix, as a range of six-digit codes: unlike LIKE, both engines walk an
    /// index for it (and digit strings of one length sort the same in every collation).
    static func countyRange(_ prefix: String, column: String = "county_code") -> SQLQueryString {
        " AND " + codeRange(column, prefix)
    }

    /// Rows and rows awaiting review per ledger, inside the prefixes (nil: all), from the running totals: the same
    /// cost for a thousand rows or a million.
    public func ledgerCounts(scope: RegionScope) async throws -> [LedgerName: (total: Int, pending: Int)] {
        var w: SQLQueryString = " WHERE indicator_code IN (\(binds: LedgerName.allCases.map(Self.rowCountCode)))"
        w += scopeSQL("region_code", scope)
        let filter = w
        return try await backend.read { db in
            var out: [LedgerName: (total: Int, pending: Int)] = [:]
            for r in try await db.raw(
                "SELECT indicator_code, state, CAST(SUM(total) AS BIGINT) AS n FROM progress_totals" + filter + " GROUP BY indicator_code, state"
            ).all() {
                guard let name = LedgerName(rawValue: String(try r.decode(column: "indicator_code", as: String.self).dropFirst(5))) else { continue }
                let n = Int(try r.decode(column: "n", as: Int64.self))
                var c = out[name] ?? (0, 0)
                c.total += n
                if try r.decode(column: "state", as: String.self) == ProgressState.submitted.rawValue { c.pending += n }
                out[name] = c
            }
            return out
        }
    }

    public func ledgerRows(_ ledger: LedgerName, _ f: LedgerFilter, page: Page) async throws -> PageOf<LedgerRecord> {
        let cipher = try self.cipher
        let w = filterSQL(ledger, f)
        // Filters by region, year and state only (the lists the dashboard links to) are counted from the running
        // totals; others count the rows.
        var totals: SQLQueryString?
        if f.from == nil && f.to == nil && (f.query ?? "").isEmpty && f.fields.isEmpty {
            var t: SQLQueryString =
                "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS n FROM progress_totals WHERE indicator_code = \(bind: Self.rowCountCode(ledger))"
            if let c = f.regionCode { t += Self.countyRange(Region.scopePrefix(code: c, level: ProjectDraft.levelOf(c)), column: "region_code") }
            if let y = f.year { t += " AND year = \(bind: y)" }
            if let st = f.state { t += " AND state = \(bind: st.rawValue)" }
            t += scopeSQL("region_code", f.scope)
            totals = t
        }
        let countSQL = totals
        let words = LedgerSearch.words(f.query ?? "")
        if !words.isEmpty { return try await searchedRows(ledger, f, words, page: page, cipher: cipher) }
        // A prefecture's rows lie in its counties' stretches of the (ledger, county, date) index, which SQLite would
        // merge by sorting them all for every page; the keyword index holds the prefecture as a facet, newest first.
        let prefix = f.regionCode.map { Region.scopePrefix(code: $0, level: ProjectDraft.levelOf($0)) }
        let ids: SQLQueryString
        if backend.dialect == .sqlite, let prefix, prefix.utf8.count == 4 {
            let (matches, order) = indexedMatches(ledger, f, [])
            ids = matches + order
        } else {
            ids = "SELECT id FROM ledger_rows" + w + " ORDER BY occurred_on DESC, id DESC"
        }
        return try await backend.read { db in
            let total =
                countSQL != nil
                ? Int(try await db.raw(countSQL!).first()!.decode(column: "n", as: Int64.self))
                : try await db.raw("SELECT COUNT(*) AS n FROM ledger_rows" + w).first()!.decode(column: "n", as: Int.self)
            // The page's ids first, ordered from an index alone; then only those rows are read whole.
            let items = try await db.raw(
                "SELECT * FROM ledger_rows WHERE id IN (" + ids
                    + " LIMIT \(bind: page.size) OFFSET \(bind: page.offset)) ORDER BY occurred_on DESC, id DESC"
            )
            .all().map { try Self.record($0, cipher: cipher) }
            return PageOf(items: items, total: total, page: page)
        }
    }

    /// Rows in id order after `afterId`: how exports walk a ledger of any size a slice at a time.
    public func ledgerRows(_ ledger: LedgerName, _ f: LedgerFilter, afterId: Int64, limit: Int) async throws -> [LedgerRecord] {
        let cipher = try self.cipher
        let w = filterSQL(ledger, f)
        return try await backend.read { db in
            try await db.raw("SELECT * FROM ledger_rows" + w + " AND id > \(bind: afterId) ORDER BY id LIMIT \(bind: limit)")
                .all().map { try Self.record($0, cipher: cipher) }
        }
    }

    /// How many rows a filter selects, counted row by row (lists count from the running totals where they can).
    public func ledgerCount(_ ledger: LedgerName, _ f: LedgerFilter) async throws -> Int {
        let w = filterSQL(ledger, f)
        return try await backend.read { db in try await db.raw("SELECT COUNT(*) AS n FROM ledger_rows" + w).first()!.decode(column: "n", as: Int.self)
        }
    }

    public func ledgerRow(id: Int64) async throws -> LedgerRecord? {
        let cipher = try self.cipher
        return try await backend.read { db in
            try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id)").first().map { try Self.record($0, cipher: cipher) }
        }
    }

    /// Moves measures between totals: `sign` -1 takes a row's contribution out, +1 puts it in. The row itself is
    /// counted there too (`rows.<ledger>`), so how many rows a scope holds is read without counting them.
    static func ledgerDeltas(
        _ d: LedgerDefinition, _ values: [String], county: String, date: String, state: ProgressState, sign: Int64
    ) -> [ProgressReport] {
        guard let day = Day(date) else { return [] }
        return (d.measures(values) + [LedgerMeasure(rowCountCode(d.name), 1)]).map {
            ProgressReport(
                id: 0, indicatorCode: $0.indicatorCode, regionCode: county, year: day.year, month: 0, value: sign * $0.value, state: state, note: "")
        }
    }

    /// The running total that counts a ledger's rows (not an indicator; no catalogue entry has such a code).
    public static func rowCountCode(_ ledger: LedgerName) -> String { "rows." + ledger.rawValue }

    static func audited(_ d: LedgerDefinition, stored: [String: String], county: String, date: String, state: ProgressState) -> AuditedLedgerRow {
        AuditedLedgerRow(ledger: d.name.rawValue, county: county, date: date, state: state.rawValue, values: stored)
    }
}
