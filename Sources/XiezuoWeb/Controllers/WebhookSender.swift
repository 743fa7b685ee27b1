import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Posts robot messages: each instance claims the messages due, posts them, and records the outcome; a failure is
/// tried again later, the wait doubling (WebhookRule). Red warnings are looked for once an hour and posted once a day
/// per office. Redirects are never followed: a robot's address is checked when registered, and stays the address.
struct WebhookService: Service {
    let store: Store
    let pollSeconds: Double
    let retrySeconds: Int
    let clock: ChinaClock
    let logger: Logger

    func run() async throws {
        var config = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10)))
        config.decompression = .disabled
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        var lastWarningScan = Date.distantPast
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    if Date.now.timeIntervalSince(lastWarningScan) > 3600 {
                        lastWarningScan = .now
                        try await Notifier(store: store).enqueueRedWarnings(today: clock.today())
                    }
                    _ = try await WebhookSender.deliverDue(store: store, client: client, retrySeconds: retrySeconds, logger: logger)
                } catch {
                    logger.warning("robot messages: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(Int(pollSeconds * 1000)))
            }
        } onGracefulShutdown: {
        }
        try? await client.shutdown()
    }
}

enum WebhookSender {
    /// Sends what is due now; returns how many were sent.
    static func deliverDue(store: Store, client: HTTPClient, retrySeconds: Int, logger: Logger) async throws -> Int {
        var sent = 0
        for c in try await store.claimDueDeliveries(limit: 20, seconds: 60) {
            var request = HTTPClientRequest(url: c.url.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: c.delivery.payload))
            var status: Int?
            var problem = ""
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                status = Int(response.status.code)
                let body = try await response.body.collect(upTo: 64 << 10)
                problem = outcome(status: Int(response.status.code), body: String(buffer: body))
            } catch {
                problem = "\(error)"
            }
            let ok = problem.isEmpty
            let retry = WebhookRule.delay(afterFailures: c.delivery.attempts + 1, base: retrySeconds)
            try await store.recordDelivery(id: c.delivery.id, sent: ok, status: status, error: problem, retryAfter: retry)
            if ok {
                sent += 1
            } else {
                logger.notice("robot message \(c.delivery.id) not delivered (attempt \(c.delivery.attempts + 1)): \(problem)")
            }
        }
        return sent
    }

    /// Empty when the robot took the message: a 2xx answer whose `errcode`, if any, is 0 (WeCom and DingTalk answer
    /// 200 with an error code when they refuse one).
    static func outcome(status: Int, body: String) -> String {
        guard (200..<300).contains(status) else { return "HTTP \(status)" }
        if let data = body.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let code = json["errcode"] as? Int, code != 0
        {
            return "errcode \(code): \(json["errmsg"] as? String ?? "")"
        }
        return ""
    }
}

/// What is posted to robots, and to whose: a round to its opener's and its members' robots, a reminder to the
/// reminded office's, red warnings to the robots of the offices whose scope they fall in.
struct Notifier {
    let store: Store

    func roundOpened(_ round: ReportingRound, members: [Region], regions: [String: Region]) async throws {
        try await store.enqueueWebhooks(
            regionCodes: [round.openerRegionCode] + members.map(\.code), event: .round, eventKey: "round:\(round.id):opened",
            title: "填报任务：\(round.title)",
            lines: [
                "- 填报期：\(round.period)", "- 截止日期：\(round.deadline)",
                "- 布置单位：\(regions[round.openerRegionCode]?.name ?? round.openerRegionCode)",
                "- 填报单位：\(members.prefix(12).map(\.name).joined(separator: "、"))\(members.count > 12 ? " 等 \(members.count) 个" : "")",
                "- 在协作平台“填报任务”中查看：/rounds/\(round.id)",
            ])
    }

    func reminded(_ round: ReportingRound, regionCodes: [String], members: [RoundMember]) async throws {
        for code in regionCodes {
            let n = (members.first { $0.regionCode == code }?.reminders ?? 0) + 1
            try await store.enqueueWebhooks(
                regionCodes: [code], event: .reminder, eventKey: "round:\(round.id):remind:\(code):\(n)", title: "催报：\(round.title)",
                lines: ["- 填报期：\(round.period)，截止日期：\(round.deadline)", "- 本单位尚未上报，请尽快在协作平台上报：/rounds/\(round.id)"])
        }
    }

    /// Each robot that takes warnings gets, once a day, the red warnings of its office's scope (when there are any).
    func enqueueRedWarnings(today: Day) async throws {
        let robots = try await store.webhooks(regionCodes: nil).filter { $0.events.contains(.warning) }
        guard !robots.isEmpty else { return }
        let regions = try await store.regionIndex()
        let year = try await defaultYear(store, today: today)
        for code in Set(robots.map(\.regionCode)).sorted() {
            guard let r = regions[code] else { continue }
            let list = try await EarlyWarnings.build(
                store: store, year: year, today: today, scope: .within([Region.scopePrefix(code: r.code, level: r.level)]), pairingIds: nil,
                lang: .zh, projectLimit: 50)
            let red = list.items.filter { $0.level == .red }
            guard !red.isEmpty else { continue }
            try await store.enqueueWebhooks(
                regionCodes: [code], event: .warning, eventKey: "warnings:\(today)", title: "监测预警：\(r.name) \(red.count) 项红色预警",
                lines: red.prefix(10).map { "- \($0.title)（\(regions[$0.regionCode]?.name ?? $0.regionCode)）：\(EarlyWarnings.detail($0, lang: .zh))" }
                    + (red.count > 10 ? ["- 其余 \(red.count - 10) 项见协作平台“监测预警”：/warnings"] : []))
        }
    }
}
