import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Robot messages are queued for the offices they concern, once each however often the news is repeated, and
/// claimed by one instance at a time.
@Suite struct WebhookTests {
    static let users: [(String, Role, String)] = [
        ("bijie.officer", .prefectureOfficer, "520500"), ("zunyi.officer", .prefectureOfficer, "520300"),
    ]

    @Test func aRoundAndItsRemindersReachTheRobotsOfTheOfficesTheyConcern() async throws {
        try await withAppAndStore(demo: false, users: Self.users, clock: .fixed(Day("2025-03-20")!)) { raw, store in
            let url = URL(string: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1")!
            let all = WebhookEvent.allCases
            let bijieRobot = try await store.addWebhook(regionCode: "520500", kind: .wecom, name: "毕节", url: url, events: all, actor: .system)
            let nayongRobot = try await store.addWebhook(
                regionCode: "520525", kind: .dingtalk, name: "纳雍", url: url, events: [.reminder], actor: .system)
            let zunyiRobot = try await store.addWebhook(regionCode: "520300", kind: .wecom, name: "遵义", url: url, events: all, actor: .system)
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let opened = try await bijie.execute(
                uri: "/api/v1/rounds", method: .post, headers: jsonHeaders,
                body: jsonBody([
                    "title": "三月填报", "year": 2025, "month": 2, "deadline": "2025-03-25", "indicators": ["fiscal_aid"], "members": ["520525"],
                ]))
            let round = try opened.decode(RoundOut.self)
            // The opener's robot has the round; 纳雍's takes reminders only; 遵义's has nothing.
            #expect(try await store.deliveries(webhookId: bijieRobot.id).map(\.eventKey) == ["round:\(round.id):opened"])
            #expect(try await store.deliveries(webhookId: nayongRobot.id).isEmpty)
            #expect(try await store.deliveries(webhookId: zunyiRobot.id).isEmpty)
            _ = try await bijie.execute(uri: "/rounds/\(round.id)/remind", method: .post, headers: formHeaders, body: ByteBuffer())
            let reminder = try #require(try await store.deliveries(webhookId: nayongRobot.id).first)
            #expect(reminder.eventKey == "round:\(round.id):remind:520525:1" && reminder.payload.contains("三月填报"))
            // The same news again (another instance, a repeated request) is one message.
            #expect(
                try await store.enqueueWebhooks(
                    regionCodes: ["520525"], event: .reminder, eventKey: reminder.eventKey, title: "x", lines: []) == 0)
            // One instance claims a message; another finds nothing to take until the claim lapses or is settled.
            let first = try await store.claimDueDeliveries(limit: 10, seconds: 60)
            #expect(first.count == 2 && first.allSatisfy { $0.url == url })
            #expect(try await store.claimDueDeliveries(limit: 10, seconds: 60).isEmpty)
            // A failure waits; after the last attempt it is given up.
            let id = first[0].delivery.id
            try await store.recordDelivery(id: id, sent: false, status: 500, error: "HTTP 500", retryAfter: 3600)
            #expect(try await store.claimDueDeliveries(limit: 10, seconds: 60).isEmpty)
            for _ in 1..<WebhookRule.maxAttempts {
                try await store.recordDelivery(id: id, sent: false, status: 500, error: "HTTP 500", retryAfter: 0)
            }
            let all2 = try await store.deliveries(webhookId: first[0].delivery.webhookId)
            #expect(all2.first { $0.id == id }?.state == "failed" && all2.first { $0.id == id }?.attempts == WebhookRule.maxAttempts)
            // A robot's answer: refused with an error code even under 200.
            #expect(WebhookSender.outcome(status: 200, body: "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}").contains("93000"))
            #expect(WebhookSender.outcome(status: 200, body: "{\"errcode\":0}").isEmpty)
            #expect(WebhookSender.outcome(status: 302, body: "").contains("302"))
            // Another prefecture's office neither sees nor tests nor removes 毕节's robot.
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            #expect(!(try await zunyi.execute(uri: "/webhooks", method: .get).text.contains("毕节")))
            #expect(
                try await zunyi.execute(uri: "/webhooks/\(bijieRobot.id)/delete", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .notFound)
            #expect(
                try await zunyi.execute(uri: "/webhooks/\(bijieRobot.id)/test", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .notFound)
            #expect(try await store.webhook(id: bijieRobot.id) != nil)
        }
    }
}
