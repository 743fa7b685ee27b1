import Foundation
import SQLKit
import Testing
import XiezuoDomain

@testable import XiezuoStore

@Suite struct LedgerSearchTokenTests {
    // Expected tokens worked out by hand: 贵 U+8D35 = 0rw5 in base 36, 州 0iji, 茶 0px2, 叶 0gl2, 一 0feo, 遵 0sj9, 义 0fgp.
    @Test func rowsBecomePairsWordsAndFacetsWithoutPersonalData() {
        let text = LedgerSearch.text(ledger: .labour, county: "520525", values: ["贵州茶叶", "Platform８３２", "2024-03-01"])
        #expect(text == " llabour r5205 r520525 b0rw50iji b0iji0px2 b0px20gl2 b0gl20000 aplatform832 a2024 a03 a01 ")
        // Only letters and digits become tokens; punctuation, emoji and spaces separate them.
        #expect(LedgerSearch.text(ledger: .parks, county: "", values: ["（一）😀 A-b"]) == " lparks b0feo0000 aa ab ")
    }

    @Test func aRowIsFoundByEveryPieceOfItsOwnValues() {
        // Found by fuzz-search (Fuzz/crashes/search, the same bytes): 遵义Ab followed by a broken UTF-8 sequence and 叶
        // ended in a lone character that the query asked as a whole token no row holds.
        let bytes: [UInt8] = [
            0xe8, 0x8c, 0xb6, 0xe5, 0x8f, 0xb6, 0x20, 0xe9, 0x81, 0xb5, 0xe4, 0xb9, 0x89, 0x41, 0x62, 0x8c, 0xb6, 0xe5, 0x8f, 0xb6,
        ]
        let text = String(decoding: bytes, as: UTF8.self)
        let row = LedgerSearch.text(ledger: .labour, county: "520525", values: [text])
        for w in LedgerSearch.words(text) {
            #expect(row.contains(" " + w.tokens.joined(separator: " ") + (w.open ? "" : " ")), "\(w.tokens)")
        }
    }

    @Test func queriesAreWordsOfTokensTheLastOneAPrefixWhereItMayBeCutShort() {
        let w = LedgerSearch.words("  茶叶　遵义Ab  ！！ 茶叶 ")
        #expect(w.map(\.tokens) == [["b0px20gl2"], ["b0sj90fgp", "b0fgp0000", "aab"]])
        // Only a word of one token is a prefix.
        #expect(w.map(\.open) == [false, false])
        // A lone character is a prefix: the first half of every pair it begins.
        #expect(LedgerSearch.words("茶") == [.init(tokens: ["b0px2"], open: true)])
        #expect(LedgerSearch.words("遵义茶") == [.init(tokens: ["b0sj90fgp", "b0fgp0px2"], open: false)])
        // A lone character ending a longer word: a prefix checked on the row, left out of the index's query.
        let tail = LedgerSearch.words("A茶")
        #expect(tail == [.init(tokens: ["aa", "b0px2"], open: true)])
        #expect(LedgerSearch.ftsQuery(ledger: .labour, facets: [], words: tail) == "\"llabour\" AND \"aa\"")
        #expect(LedgerSearch.likePattern(tail[0]) == "% aa b0px2%")
        #expect(LedgerSearch.words("%_\\ ！").isEmpty)
        #expect(LedgerSearch.words(String(repeating: "词 ", count: 40)).count == 1)
        #expect(LedgerSearch.words((1...40).map { "w\($0)" }.joined(separator: " ")).count == LedgerSearch.maxWords)
        let q = LedgerSearch.words("茶叶 plat")
        #expect(LedgerSearch.ftsQuery(ledger: .labour, facets: ["r5205"], words: q) == "\"llabour\" AND \"r5205\" AND \"b0px20gl2\" AND \"aplat\" *")
        #expect(LedgerSearch.tsQuery(ledger: .labour, facets: ["r5205"], words: q) == "llabour & r5205 & b0px20gl2 & aplat:*")
        // Every token once; words of several tokens are checked in order on the row.
        let two = LedgerSearch.words("遵义茶 茶叶 ab")
        #expect(
            LedgerSearch.ftsQuery(ledger: .pairs, facets: [], words: two)
                == "\"lpairs\" AND \"b0sj90fgp\" AND \"b0fgp0px2\" AND \"b0px20gl2\" AND \"aab\" *")
        #expect(LedgerSearch.recheck(two) == [two[0]])
        #expect(q.map(LedgerSearch.likePattern) == ["% b0px20gl2 %", "% aplat%"])
    }
}

@Suite struct LedgerSearchStoreTests {
    let anywhere: @Sendable (String) -> Bool = { _ in true }

    func load(_ store: Store, _ rows: [KeyedRow]) async throws {
        let parsed = rows.enumerated().map { ParsedLedgerRow(rowNumber: $0.offset + 2, values: $0.element.values, issues: []) }
        let r = try await store.importLedger(.labour, commit: true, actor: tester, canWrite: anywhere) { RowsStream(parsed) }
        #expect(r.committed && r.added == rows.count)
    }

    func names(_ store: Store, _ q: String, region: String? = nil, year: Int? = nil, scope: RegionScope = .all) async throws -> [String] {
        try await store.ledgerRows(.labour, LedgerFilter(regionCode: region, year: year, query: q, scope: scope), page: Page(number: 1, size: 100))
            .items.map { $0[field: "name"] }
    }

    /// A worker with an ID number of their own (the helper's serial repeats every 1,000: a county per thousand).
    func worker(_ n: Int, _ employer: String, county: String? = nil, start: String = "2024-03-01") -> KeyedRow {
        var r = labour(n, county: county ?? ["520525", "520502", "520521"][n / 1000])
        r["employer"] = employer
        r["startDate"] = start
        return r
    }

    @Test func wordsAreFoundInsideLongerTextAndEveryWordMustBeThere() async throws {
        try await withStore { store in
            try await load(
                store,
                [
                    worker(1, "贵州茶叶有限公司"), worker(2, "遵义茶叶合作社", county: "520302"), worker(3, "佛山Midea电器厂"),
                    worker(4, "ＭＩＤＥＡ（佛山）", start: "2023-05-01"), worker(5, "茶园"),
                    worker(6, "遵义 X Midea"), worker(7, "ＡＢ茶厂"),
                ])
            #expect(Set(try await names(store, "茶叶")) == ["工人1", "工人2"])
            #expect(Set(try await names(store, "茶")) == ["工人1", "工人2", "工人5", "工人7"])
            // A word ending in a lone character: that character begins the next pair.
            #expect(try await names(store, "ab茶") == ["工人7"])
            #expect(try await names(store, "ab茶叶").isEmpty)
            #expect(try await names(store, "茶叶 遵义") == ["工人2"])
            #expect(Set(try await names(store, "遵义")) == ["工人2", "工人6"])
            #expect(try await names(store, "遵义 茶叶") == ["工人2"])
            // Latin words from their start, in any width and case; not from the middle.
            #expect(Set(try await names(store, "midea")) == ["工人3", "工人4", "工人6"])
            #expect(Set(try await names(store, "MID")) == ["工人3", "工人4", "工人6"])
            // A word's parts must stand together: 遵义 and Midea are both in row 6, but not side by side.
            #expect(try await names(store, "遵义midea").isEmpty)
            #expect(try await names(store, "遵义 midea") == ["工人6"])
            #expect(try await names(store, "遵义x") == ["工人6"])
            #expect(try await names(store, "x mid") == ["工人6"])
            // A word of several parts is exact: 佛山Mid is not 佛山Midea.
            #expect(try await names(store, "佛山Mid").isEmpty)
            #expect(try await names(store, "佛山Midea") == ["工人3"])
            #expect(try await names(store, "idea").isEmpty)
            // The order of characters counts: 叶茶 is not 茶叶.
            #expect(try await names(store, "叶茶").isEmpty)
            // Facets and filters narrow the index's answer.
            #expect(try await names(store, "茶叶", region: "520300") == ["工人2"])
            #expect(try await names(store, "midea", year: 2023) == ["工人4"])
            #expect(try await names(store, "茶叶", scope: .within(["5205"])) == ["工人1"])
            // Personal data is never searchable: not the ID number, not the phone.
            #expect(try await names(store, idNumber("520525", 1)).isEmpty)
            #expect(try await names(store, "13800000001").isEmpty)
            // Punctuation alone is no filter at all, as an empty box.
            #expect(try await names(store, "（）").count == 7)
        }
    }

    @Test func anEditedRowIsFoundByItsNewWordsOnly() async throws {
        try await withStore { store in
            try await load(store, [worker(1, "贵州茶叶有限公司")])
            let row = try #require(try await store.ledgerRows(.labour, LedgerFilter(scope: .all), page: Page(number: 1, size: 5)).items.first)
            var values = row.values
            values[LedgerName.labour.definition.index("employer")!] = "毕节刺梨加工厂"
            _ = try await store.saveLedgerRow(.labour, id: row.id, values: values, expectedVersion: row.version, actor: tester)
            #expect(try await names(store, "茶叶").isEmpty)
            #expect(try await names(store, "刺梨") == ["工人1"])
        }
    }

    @Test func aRowAddedAndChangedByOneLargeImportIsFoundByItsFinalWords() async throws {
        try await withStore { store in
            // Row 1,500 of the sheet repeats worker 10 (read in the first chunk of 1,000) with another city: the
            // import adds the row, then changes it, inside one transaction.
            var rows = (1...1600).map { worker($0, "甲厂") }
            rows[1499] = worker(10, "甲厂")
            rows[1499]["city"] = "广州市"
            let parsed = rows.enumerated().map { ParsedLedgerRow(rowNumber: $0.offset + 2, values: $0.element.values, issues: []) }
            let r = try await store.importLedger(.labour, commit: true, actor: tester, canWrite: anywhere) { RowsStream(parsed) }
            #expect(r.committed && r.added == 1599 && r.repeated == 1)
            #expect(try await names(store, "广州") == ["工人10"])
            let first = try await store.ledgerRows(.labour, LedgerFilter(query: "甲厂", scope: .all), page: Page(number: 1, size: 5))
            #expect(first.total == Store.searchCountCap && first.totalAtLeast)
            #expect(try await names(store, "佛山 工人10").isEmpty)
            // Another import afterwards is indexed as well, and the index is whole.
            var more = worker(2000, "乙厂")
            more["city"] = "广州市"
            try await load(store, [more])
            #expect(Set(try await names(store, "广州")) == ["工人10", "工人2000"])
            if store.backend.dialect == .sqlite {
                try await store.backend.write { db in
                    try await db.raw("INSERT INTO ledger_search(ledger_search) VALUES ('integrity-check')").run()
                    #expect(try await db.raw("SELECT COUNT(*) AS n FROM ledger_search_backlog").first()!.decode(column: "n", as: Int.self) == 0)
                }
            }
        }
    }

    @Test func aWordInMoreRowsThanTheCapIsListedNewestFirstAndCountedAsAtLeast() async throws {
        try await withStore { store in
            let n = Store.searchCountCap + 60
            // Every row has 茶叶; a few also 遵义, so that word goes through the index.
            try await load(
                store,
                (1...n).map { i in
                    worker(
                        i, i % 1000 == 0 ? "遵义茶叶\(i)" : "茶叶\(i)",
                        start: "2024-\(String(format: "%02d", 1 + i % 12))-\(String(format: "%02d", 1 + i % 28))")
                })
            let page = try await store.ledgerRows(.labour, LedgerFilter(query: "茶叶", scope: .all), page: Page(number: 1, size: 20))
            #expect(page.totalAtLeast && page.total == Store.searchCountCap && page.items.count == 20)
            let all = try await store.ledgerRows(.labour, LedgerFilter(scope: .all), page: Page(number: 1, size: 20))
            #expect(page.items.map(\.id) == all.items.map(\.id))
            let few = try await store.ledgerRows(.labour, LedgerFilter(query: "遵义 茶叶", scope: .all), page: Page(number: 1, size: 20))
            #expect(!few.totalAtLeast && few.total == n / 1000)
            #expect(few.items.map(\.date) == few.items.map(\.date).sorted(by: >))
        }
    }
}
