import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// The inbox: a figure sent back reaches its office's reporter, unread until opened; opening goes to the figure;
/// what another office or user has is not there; marking all read empties the count.
@Suite struct InboxTests {
    static let users: [(String, Role, String)] = [
        ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("zunyi.officer", .prefectureOfficer, "520300"),
    ]

    @Test func aReturnedFigureReachesItsReporterUnreadUntilOpened() async throws {
        try await withRawApp(users: Self.users, clock: .fixed(Day("2025-03-01")!)) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let created = try await reporter.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([("indicatorCode", "demo_villages"), ("regionCode", "520525"), ("year", "2025"), ("month", "2"), ("value", "3")]))
            let id = locationID(created)
            _ = try await reporter.execute(uri: "/progress/\(id)/submit", method: .post, headers: formHeaders, body: ByteBuffer())
            // The officer's inbox says a figure waits for review.
            let waiting = try await officer.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            #expect(waiting.items.contains { $0.kind == "review" && $0.link == "/review" && !$0.read })
            #expect(
                try await officer.execute(uri: "/progress/\(id)/return", method: .post, headers: formHeaders, body: form([("comment", "请附佐证")]))
                    .status
                    == .seeOther)

            let before = try await reporter.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            let item = try #require(before.items.first { $0.kind == "returned" && $0.link == "/progress/\(id)" })
            #expect(!item.read && item.detail.contains("请附佐证") && before.unread >= 1)
            // Another office's inbox does not have it.
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            #expect(!(try await zunyi.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)).items.contains { $0.key == item.key })
            // Opening it marks it read and goes to the figure; a key not in one's inbox marks nothing.
            let open = try await reporter.execute(uri: "/inbox/open?key=\(InboxController.encoded(item.key))&to=x", method: .get)
            #expect(open.status == .found || open.status == .seeOther)
            #expect(open.headers[.location] == "/progress/\(id)")
            let after = try await reporter.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            #expect(after.items.first { $0.key == item.key }?.read == true && after.unread == before.unread - 1)
            // Someone else opening the same key marks nothing: it is not in their inbox.
            let foreign = try await zunyi.execute(uri: "/inbox/open?key=\(InboxController.encoded(item.key))", method: .get)
            #expect(foreign.headers[.location] == "/inbox")
            let page = try await reporter.execute(uri: "/inbox", method: .get).text
            #expect(page.contains("id=\"inbox-unread\">\(after.unread)<"))
            _ = try await reporter.execute(uri: "/inbox/read", method: .post, headers: formHeaders, body: ByteBuffer())
            #expect(try await reporter.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self).unread == 0)
        }
    }
}
