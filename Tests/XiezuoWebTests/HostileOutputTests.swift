import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Output that must not attack its reader, and objects a partner may read but not rearrange.
@Suite struct HostileOutputTests {
    static let users: [(String, Role, String)] = [
        ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("guangzhou.officer", .prefectureOfficer, "440100"),
    ]

    @Test func formulaLikeCellsLeaveAsTextAndComeBackUnchanged() async throws {
        try await withRawApp(users: Self.users) { raw in
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let product = "=HYPERLINK(\"http://evil.example\",\"点我\")"
            let buyer = "@SUM(1+1)*cmd|' /C calc'!A0"
            let made = try await nayong.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders,
                body: form([
                    ("product", product), ("supplier", "+纳雍公司"), ("county", "520525"), ("buyer", buyer),
                    ("channel", "canteen"), ("amount", "12"), ("date", "2024-05-01"),
                ]))
            #expect(made.status == .seeOther)
            let export = try await nayong.execute(uri: "/ledgers/consumption/export?format=csv&region=520525", method: .get)
            let csv = String(decoding: Data(buffer: export.body), as: UTF8.self)
            // Every such cell starts with an apostrophe: a spreadsheet shows it as text and runs nothing.
            #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"") && csv.contains("'@SUM(1+1)") && csv.contains("'+纳雍公司"))
            for line in csv.split(separator: "\r\n").dropFirst() {
                for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                    let c = cell.hasPrefix("\"") ? cell.dropFirst() : cell
                    #expect(!(c.first.map { "=+@".contains($0) } ?? false), "unguarded cell \(cell)")
                }
            }
            // Imported again, the row is what it was: the apostrophe comes off.
            let back = try await nayong.execute(
                uri: "/api/v1/ledgers/consumption/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["fileName": "e.csv", "content": Data(buffer: export.body).base64EncodedString()]))
            #expect(
                back.status == .created && back.json["unchanged"] as? Int ?? 0 > 0 && back.json["added"] as? Int == 0
                    && back.json["updated"] as? Int == 0, "\(back.text.prefix(300))")
        }
    }

    @Test func onlyTheOwningOfficeLinksADocument() async throws {
        try await withRawApp(users: Self.users) { raw in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let doc = try await bijie.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "毕节材料"), ("text", "毕节市协作材料。")]))
            let did = Int((doc.headers[.location] ?? "").split(separator: "/").last!)!
            let guangzhou = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            // Guangzhou follows Bijie and reads the document, but may not link or unlink it.
            #expect(try await guangzhou.execute(uri: "/documents/\(did)", method: .get).status == .ok)
            #expect(
                try await guangzhou.execute(
                    uri: "/documents/\(did)/link", method: .post, headers: formHeaders,
                    body: form([("meetingId", "")])
                ).status == .forbidden)
            #expect(
                try await bijie.execute(
                    uri: "/documents/\(did)/link", method: .post, headers: formHeaders,
                    body: form([("meetingId", "")])
                ).status == .seeOther)
        }
    }

    @Test func aDocumentIsLinkedOnlyToAMeetingItsOfficeMayRead() async throws {
        try await withAppAndStore(users: Self.users) { raw, store in
            // A meeting of Guangzhou's pairing with Qiannan, which Bijie's office has no part in.
            let pairing = try #require(try await store.pairings().first { $0.eastCode == "440100" && $0.westCode == "522700" })
            let foreign = try await store.createMeeting(
                Meeting(
                    id: 0, pairingId: pairing.id, kind: .jointConference, title: "广州—黔南对接会", date: Day(year: 2024, month: 5, day: 8)!,
                    place: "都匀", summary: "", isDemo: false),
                actor: XiezuoStore.Actor(name: "test", address: nil))
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let doc = try await bijie.execute(
                uri: "/documents", method: .post, headers: formHeaders, body: form([("title", "毕节材料"), ("text", "毕节市协作材料。")]))
            let did = Int((doc.headers[.location] ?? "").split(separator: "/").last!)!
            let refused = try await bijie.execute(
                uri: "/documents/\(did)/link", method: .post, headers: formHeaders, body: form([("meetingId", String(foreign.id))]))
            #expect(refused.status == .notFound)
            #expect(try await bijie.execute(uri: "/documents/\(did)", method: .get).text.contains("广州—黔南对接会") == false)
        }
    }
}
