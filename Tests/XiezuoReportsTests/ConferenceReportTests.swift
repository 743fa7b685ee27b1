import Foundation
import Logging
import SQLKit
import Testing
import XiezuoDomain
import XiezuoFormats
import ZIPFoundation

@testable import XiezuoReports
@testable import XiezuoStore

func withDemoStore<T>(_ body: (Store) async throws -> T) async throws -> T {
    let scratch = try await ScratchDatabase.create()
    let store = try await Store.open(url: scratch.url, logger: Logger(label: "test"))
    do {
        try await store.migrate()
        try await store.loadDemo()
        let r = try await body(store)
        await store.close()
        await scratch.drop()
        return r
    } catch {
        await store.close()
        await scratch.drop()
        throw error
    }
}

@Suite struct ConferenceReportTests {
    let asOf = Day("2026-01-01")!

    func conference(_ store: Store) async throws -> Meeting {
        try await store.meetings().first { $0.kind == .jointConference && $0.date == Day("2024-06-04")! }!
    }

    /// The report's figures, recomputed here straight from the stored rows (not from the running totals the report reads).
    @Test func figuresMatchTheStoredRows() async throws {
        try await withDemoStore { store in
            let m = try await conference(store)
            let r = try #require(try await ConferenceReport.build(store: store, meetingId: m.id, asOf: asOf, lang: .zh, scope: .all))
            var sums: [String: Int64] = try await store.backend.read { db in
                var out: [String: Int64] = [:]
                for row in try await db.raw(
                    """
                    SELECT indicator_code, CAST(SUM(value) AS BIGINT) AS v FROM progress
                    WHERE year = 2024 AND state = 'approved' AND region_code LIKE '52%' GROUP BY indicator_code
                    """
                ).all() {
                    out[try row.decode(column: "indicator_code", as: String.self)] = try row.decode(column: "v", as: Int64.self)
                }
                return out
            }
            // Ledger-sourced indicators: the measures of the approved Guizhou ledger rows of 2024.
            for ledger in LedgerName.allCases {
                var last: Int64 = 0
                while true {
                    let page = try await store.ledgerRows(
                        ledger, LedgerFilter(regionCode: "520000", year: 2024, state: .approved, scope: .all), afterId: last, limit: 1000)
                    guard let end = page.last else { break }
                    for row in page { for m in ledger.definition.measures(row.values) { sums[m.indicatorCode, default: 0] += m.value } }
                    last = end.id
                }
            }
            let rows = try #require(r.completion?.rows)
            #expect(rows.count == 14)
            for row in rows { #expect(row.actual == (sums[row.indicator.code] ?? 0), "\(row.indicator.code)") }
            // A pending figure does not count.
            _ = try await store.addProgress(
                ProgressReport(
                    id: 0, indicatorCode: "demo_villages", regionCode: "520525", year: 2024,
                    month: 11, value: 5_000, state: .submitted, note: ""), actor: .system)
            let again = try #require(try await ConferenceReport.build(store: store, meetingId: m.id, asOf: asOf, lang: .zh, scope: .all))
            #expect(again.completion?.rows.first { $0.indicator.code == "demo_villages" }?.actual == sums["demo_villages"])

            // Key projects: the largest budgets first, each with its own transactions' totals.
            #expect(r.keyProjects.count == ConferenceReport.keyProjectLimit)
            #expect(r.keyProjects.map(\.funding.budget.fen) == r.keyProjects.map(\.funding.budget.fen).sorted(by: >))
            for p in r.keyProjects.prefix(5) {
                let f = FundingSummary(try await store.transactions(projectId: p.project.id))
                #expect(f == p.funding)
            }
            // Ledger totals: the ledger-sourced indicators, same sums.
            #expect(r.ledgerTotals.map(\.indicator.code).contains("consumption_amount"))
            for l in r.ledgerTotals { #expect(l.actual == (sums[l.indicator.code] ?? 0)) }

            // Tasks of the conference (the first of the pairing): 7, of which 3 done and 4 overdue as of 2026-01-01.
            #expect(r.previous == nil)
            #expect(r.tasks.count == 7)
            #expect(r.tasks.filter { $0.state == .done }.count == 3 && r.tasks.filter { $0.state == .overdue }.count == 4)

            // The HTML shows the same figures.
            let html = r.html()
            #expect(html.contains("id=\"report-overall\">\(Completion.percentText(r.completion!.overall))<"))
            for row in rows { #expect(html.contains("<td class=\"num\">\(row.indicator.format(row.actual))</td>")) }
            #expect(html.contains("已逾期") && html.contains("<svg"))
            // Self-contained: nothing loaded from anywhere (the SVG namespace is a name, not a fetch).
            #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=") && !html.contains("url("))
        }
    }

    @Test func theSameDataGiveTheSameReport() async throws {
        try await withDemoStore { store in
            let m = try await conference(store)
            let a = try #require(try await ConferenceReport.build(store: store, meetingId: m.id, asOf: asOf, lang: .zh, scope: .all))
            let b = try #require(try await ConferenceReport.build(store: store, meetingId: m.id, asOf: asOf, lang: .zh, scope: .all))
            #expect(a.html() == b.html())
            let x1 = try a.xlsx()
            let x2 = try b.xlsx()
            #expect(x1 == x2)
            // The workbook holds one sheet per section, with the stored targets as numbers of 万元.
            let archive = try Archive(data: x1, accessMode: .read)
            #expect(archive.filter { $0.path.hasPrefix("xl/worksheets/") }.count == 8)  // the warnings too
            var sheet = Data()
            _ = try archive.extract(archive["xl/worksheets/sheet2.xml"]!) { sheet.append($0) }
            let xml = String(decoding: sheet, as: UTF8.self)
            #expect(xml.contains("<v>320000</v>"))  // fiscal aid target, 万元
            #expect(xml.contains("财政援助资金"))
            // Columns fitted to their content, money to the fen of 万元 shown, completion as the page shows it.
            let widths = Set(xml.matches(of: /width="(\d+)"/).map { String($0.1) })
            #expect(widths.count > 2)
            for number in xml.matches(of: /<v>(-?\d+\.(\d+))<\/v>/) { #expect(number.2.count <= 2, "\(number.1)") }
            if let overall = a.completion?.overall {
                var first = Data()
                _ = try archive.extract(archive["xl/worksheets/sheet1.xml"]!) { first.append($0) }
                #expect(String(decoding: first, as: UTF8.self).contains("<v>\(Completion.percentNumber(overall))</v>"))
                #expect(a.html().contains(Completion.percentText(overall)))
            }

            if PDFPrinter.chromium() != nil {
                let p1 = try PDFPrinter.pdf(html: a.html(), stamp: asOf)
                let p2 = try PDFPrinter.pdf(html: b.html(), stamp: asOf)
                #expect(p1.starts(with: Array("%PDF".utf8)) && p1.count > 10_000)
                #expect(p1 == p2)
            } else if ProcessInfo.processInfo.environment["XIEZUO_REQUIRE_CHROMIUM"] != nil {
                Issue.record("Chromium is required here (XIEZUO_REQUIRE_CHROMIUM) but was not found")
            } else {
                print("skipped: no Chromium on PATH, so the PDF form is not checked here")
            }
        }
    }

    @Test func aMeetingThatDoesNotExistGivesNoReport() async throws {
        try await withDemoStore { store in
            let r = try await ConferenceReport.build(store: store, meetingId: 9_999, asOf: asOf, lang: .zh, scope: .all)
            #expect(r == nil)
        }
    }
}
