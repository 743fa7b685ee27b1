import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

/// A ledger row from the form is either saved as a draft (its office finishes it; no reviewer sees it) or submitted
/// for review; a draft or returned row is submitted from its page. Only its office may do either.
@Suite struct LedgerDraftTests {
    static let users: [(String, Role, String)] = [
        ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("zunyi.officer", .prefectureOfficer, "520300"), ("bijie.viewer", .viewer, "520500"),
    ]

    static let row: [(String, String)] = [
        ("product", "纳雍草稿茶DRAFT"), ("supplier", "纳雍某茶厂"), ("county", "纳雍县"), ("buyer", "广州某食堂"),
        ("channel", "canteen"), ("amount", "1,234.5"), ("date", "2024-06-03"),
    ]

    func page(_ c: AuthedClient, _ id: String) async throws -> String {
        try await c.execute(uri: "/ledgers/consumption/\(id)", method: .get).text
    }

    func state(_ page: String) -> String? {
        page.range(of: "data-state=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    func version(_ page: String) -> String {
        guard let r = page.range(of: "name=\"version\" value=\"") else { return "" }
        return String(page[r.upperBound...].prefix { $0.isNumber })
    }

    @Test func aDraftWaitsForItsOfficeThenGoesToReview() async throws {
        try await withRawApp(users: Self.users) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let stranger = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            let viewer = try await AuthedClient.signIn(raw, username: "bijie.viewer")

            // The form offers both; "保存草稿" keeps the row as a draft and says what comes next.
            let blank = try await reporter.execute(uri: "/ledgers/consumption/new", method: .get).text
            #expect(blank.contains("id=\"save-draft\"") && blank.contains("id=\"submit-row\""))
            let saved = try await reporter.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders, body: form(Self.row + [("intent", "draft")]))
            #expect(saved.status == .seeOther && (saved.headers[.location] ?? "").hasSuffix("?done=saved"))
            let id = locationID(saved)
            let draft = try await reporter.execute(uri: saved.headers[.location]!, method: .get).text
            #expect(state(draft) == "draft" && draft.contains("已保存为草稿") && draft.contains("id=\"submit-row-form\""))

            // Nobody reviews a draft: not in the officer's queue, no approve button, approving it is refused.
            #expect(!(try await officer.execute(uri: "/review", method: .get).text.contains("/ledgers/consumption/\(id)")))
            #expect(!(try await page(officer, id).contains("id=\"approve-form\"")))
            let early = try await officer.execute(uri: "/ledgers/consumption/\(id)/approve", method: .post, headers: formHeaders, body: form([]))
            #expect(early.status == .conflict)
            // The office's start page lists it among its drafts.
            let bench = try await reporter.execute(uri: "/workbench", method: .get).text
            #expect(bench.contains("id=\"drafts\"") && bench.contains("/ledgers/consumption/\(id)"))

            // Only its own office submits it: another prefecture finds nothing, a viewer and the reviewer may not.
            let v = version(draft)
            #expect(
                try await stranger.execute(
                    uri: "/ledgers/consumption/\(id)/submit", method: .post, headers: formHeaders, body: form([("version", v)])
                )
                .status == .notFound)
            #expect(
                try await viewer.execute(uri: "/ledgers/consumption/\(id)/submit", method: .post, headers: formHeaders, body: form([("version", v)]))
                    .status == .forbidden)
            #expect(!(try await page(viewer, id).contains("id=\"submit-row-form\"")))
            // A page left open while the row changed does not submit the newer version unseen.
            let stale = try await reporter.execute(
                uri: "/ledgers/consumption/\(id)/submit", method: .post, headers: formHeaders, body: form([("version", "999")]))
            #expect(stale.status == .conflict)
            #expect(state(try await page(reporter, id)) == "draft")

            let sent = try await reporter.execute(
                uri: "/ledgers/consumption/\(id)/submit", method: .post, headers: formHeaders, body: form([("version", v)]))
            #expect(sent.status == .seeOther && (sent.headers[.location] ?? "").hasSuffix("?done=submitted"))
            #expect(state(try await page(reporter, id)) == "submitted")
            #expect(try await officer.execute(uri: "/review", method: .get).text.contains("/ledgers/consumption/\(id)"))
            #expect(!(try await reporter.execute(uri: "/workbench", method: .get).text.contains("id=\"drafts\"")))
            #expect(
                try await reporter.execute(uri: "/ledgers/consumption/\(id)/submit", method: .post, headers: formHeaders, body: form([])).status
                    == .conflict)

            // Returned: the fix may be kept as a draft with the reviewer's comment still beside it, then submitted.
            let back = try await officer.execute(
                uri: "/ledgers/consumption/\(id)/return", method: .post, headers: formHeaders, body: form([("comment", "金额请核对发票")]))
            #expect(back.status == .seeOther)
            let returned = try await page(reporter, id)
            #expect(state(returned) == "returned" && returned.contains("金额请核对发票") && returned.contains("id=\"submit-row-form\""))
            let fixed = Self.row.map { $0.0 == "amount" ? ("amount", "1,200") : $0 }
            let kept = try await reporter.execute(
                uri: "/ledgers/consumption/\(id)", method: .post, headers: formHeaders,
                body: form(fixed + [("intent", "draft"), ("version", version(returned))]))
            #expect(kept.status == .seeOther)
            let redraft = try await page(reporter, id)
            #expect(state(redraft) == "draft" && redraft.contains("金额请核对发票") && redraft.contains("1,200"))
            let resent = try await reporter.execute(
                uri: "/ledgers/consumption/\(id)", method: .post, headers: formHeaders,
                body: form(fixed + [("intent", "submit"), ("version", version(redraft))]))
            #expect(resent.status == .seeOther)
            let final = try await reporter.execute(uri: resent.headers[.location] ?? "", method: .get).text
            #expect(state(final) == "submitted" && !final.contains("金额请核对发票") && final.contains("已提交审核"))
            // Each step is in the row's history as the reporter's.
            let history = try await reporter.execute(uri: "/history/ledger_row/\(id)/export", method: .get).text
            #expect(history.contains("submit") && history.contains("nayong.reporter"))
        }
    }
}
