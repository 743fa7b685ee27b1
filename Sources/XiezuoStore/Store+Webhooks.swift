import Foundation
import SQLKit
import XiezuoDomain

/// An office's group robot as lists show it (its address's key never leaves the store but to be posted to).
public struct WebhookInfo: Sendable, Hashable {
    public var id: Int64
    public var regionCode: String
    public var kind: WebhookKind
    public var name: String
    public var urlShown: String
    public var events: [WebhookEvent]
    public var createdBy: String?
    public var createdAt: String
}

/// One message to one robot, and where it stands.
public struct WebhookDelivery: Sendable, Hashable {
    public var id: Int64
    public var webhookId: Int64
    public var eventKey: String
    public var payload: String
    public var state: String
    public var attempts: Int
    public var nextAt: String
    public var lastStatus: Int?
    public var lastError: String
    public var createdAt: String
    public var sentAt: String?
}

/// A message claimed for sending, with the robot's address unsealed.
public struct ClaimedDelivery: Sendable {
    public var delivery: WebhookDelivery
    public var url: URL
    public var kind: WebhookKind
}

extension Store {
    static func webhook(from r: any SQLRow) throws -> WebhookInfo {
        WebhookInfo(
            id: try r.decode(column: "id", as: Int64.self), regionCode: try r.decode(column: "region_code", as: String.self),
            kind: WebhookKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .wecom, name: try r.decode(column: "name", as: String.self),
            urlShown: try r.decode(column: "url_shown", as: String.self),
            events: try r.decode(column: "events", as: String.self).split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) },
            createdBy: try r.decode(column: "created_by", as: String?.self), createdAt: try r.decode(column: "created_at", as: String.self))
    }

    static func delivery(from r: any SQLRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try r.decode(column: "id", as: Int64.self), webhookId: try r.decode(column: "webhook_id", as: Int64.self),
            eventKey: try r.decode(column: "event_key", as: String.self), payload: try r.decode(column: "payload", as: String.self),
            state: try r.decode(column: "state", as: String.self), attempts: try r.decode(column: "attempts", as: Int.self),
            nextAt: try r.decode(column: "next_at", as: String.self), lastStatus: try r.decode(column: "last_status", as: Int?.self),
            lastError: try r.decode(column: "last_error", as: String.self), createdAt: try r.decode(column: "created_at", as: String.self),
            sentAt: try r.decode(column: "sent_at", as: String?.self))
    }

    /// Registers a robot for an office; its address sealed, the registration audited without the key.
    public func addWebhook(
        regionCode: String, kind: WebhookKind, name: String, url: URL, events: [WebhookEvent], actor: Actor
    ) async throws -> WebhookInfo {
        let cipher = try self.cipher
        let sealed = try cipher.encrypt(url.absoluteString)
        return try await backend.write { db in
            try await Self.checkDataKey(db, cipher)
            let now = Self.now()
            let shown = WebhookRule.masked(url)
            let id = try await db.raw(
                """
                INSERT INTO webhooks (region_code, kind, name, url_sealed, url_shown, events, created_by, created_at)
                VALUES (\(bind: regionCode), \(bind: kind.rawValue), \(bind: name), \(bind: sealed), \(bind: shown),
                        \(bind: events.map(\.rawValue).joined(separator: ",")), \(bind: actor.name), \(bind: now)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            let saved = WebhookInfo(
                id: id, regionCode: regionCode, kind: kind, name: name, urlShown: shown, events: events, createdBy: actor.name, createdAt: now)
            try await Self.audit(
                db, actor, entity: "webhook", id: String(id), action: "create", before: AuditedWebhook?.none, after: AuditedWebhook(saved))
            return saved
        }
    }

    public func webhooks(regionCodes: [String]?) async throws -> [WebhookInfo] {
        try await backend.read { db in
            if let regionCodes {
                guard !regionCodes.isEmpty else { return [] }
                return try await db.raw("SELECT * FROM webhooks WHERE region_code IN (\(binds: regionCodes)) ORDER BY id").all().map(Self.webhook)
            }
            return try await db.raw("SELECT * FROM webhooks ORDER BY id").all().map(Self.webhook)
        }
    }

    public func webhook(id: Int64) async throws -> WebhookInfo? {
        try await backend.read { db in try await db.raw("SELECT * FROM webhooks WHERE id = \(bind: id)").first().map(Self.webhook) }
    }

    /// Removes a robot and its log (audited with what it was).
    public func deleteWebhook(id: Int64, actor: Actor) async throws {
        try await backend.write { db in
            guard let w = try await db.raw("SELECT * FROM webhooks WHERE id = \(bind: id)").first().map(Self.webhook) else {
                throw StoreError.notFound
            }
            try await db.raw("DELETE FROM webhook_deliveries WHERE webhook_id = \(bind: id)").run()
            try await db.raw("DELETE FROM webhooks WHERE id = \(bind: id)").run()
            try await Self.audit(
                db, actor, entity: "webhook", id: String(id), action: "delete", before: AuditedWebhook(w), after: AuditedWebhook?.none)
        }
    }

    /// Queues a message for every robot of `regionCodes` that takes `event`. The same `eventKey` twice for a robot
    /// (another instance, a retried request) is one message. Returns how many were queued now.
    @discardableResult
    public func enqueueWebhooks(regionCodes: [String], event: WebhookEvent, eventKey: String, title: String, lines: [String]) async throws -> Int {
        guard !regionCodes.isEmpty else { return 0 }
        return try await backend.atomic { db in
            let robots = try await db.raw("SELECT * FROM webhooks WHERE region_code IN (\(binds: Array(Set(regionCodes)))) ORDER BY id").all()
                .map(Self.webhook).filter { $0.events.contains(event) }
            let now = Self.now()
            var queued = 0
            for w in robots {
                let inserted = try await db.raw(
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event_key, payload, state, attempts, next_at, created_at)
                    VALUES (\(bind: w.id), \(bind: eventKey), \(bind: WebhookRule.payload(w.kind, title: title, lines: lines)), 'pending', 0,
                            \(bind: now), \(bind: now))
                    ON CONFLICT (webhook_id, event_key) DO NOTHING RETURNING id
                    """
                ).first()
                if inserted != nil { queued += 1 }
            }
            return queued
        }
    }

    /// Claims up to `limit` messages due now for `seconds`: no other instance takes them meanwhile. A claim that
    /// lapses (an instance stopped mid-send) makes the message due again.
    public func claimDueDeliveries(limit: Int, seconds: Int) async throws -> [ClaimedDelivery] {
        let cipher = try self.cipher
        return try await backend.atomic { db in
            let now = Self.now()
            let until = Date.now.addingTimeInterval(TimeInterval(seconds)).ISO8601Format()
            let due = try await db.raw(
                """
                SELECT d.*, w.url_sealed, w.kind FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.state = 'pending' AND d.next_at <= \(bind: now) AND (d.claimed_until IS NULL OR d.claimed_until < \(bind: now))
                ORDER BY d.next_at, d.id LIMIT \(bind: limit)
                """
            ).all()
            var out: [ClaimedDelivery] = []
            for r in due {
                let d = try Self.delivery(from: r)
                // Taken only if still unclaimed: the update is the arbiter between instances.
                let won = try await db.raw(
                    """
                    UPDATE webhook_deliveries SET claimed_until = \(bind: until)
                    WHERE id = \(bind: d.id) AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < \(bind: now)) RETURNING id
                    """
                ).first()
                guard won != nil, let url = URL(string: try cipher.decrypt(try r.decode(column: "url_sealed", as: String.self))) else { continue }
                out.append(
                    ClaimedDelivery(delivery: d, url: url, kind: WebhookKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .wecom))
            }
            return out
        }
    }

    /// Records an attempt: sent, or failed with the next try after `retryAfter` seconds (given up after the last).
    public func recordDelivery(id: Int64, sent: Bool, status: Int?, error: String, retryAfter: Int) async throws {
        try await backend.atomic { db in
            let now = Self.now()
            if sent {
                try await db.raw(
                    """
                    UPDATE webhook_deliveries SET state = 'sent', attempts = attempts + 1, sent_at = \(bind: now), last_status = \(bind: status),
                      last_error = '', claimed_until = NULL WHERE id = \(bind: id)
                    """
                ).run()
                return
            }
            let next = Date.now.addingTimeInterval(TimeInterval(retryAfter)).ISO8601Format()
            try await db.raw(
                """
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = \(bind: status), last_error = \(bind: String(error.prefix(300))),
                  next_at = \(bind: next), claimed_until = NULL,
                  state = CASE WHEN attempts + 1 >= \(bind: WebhookRule.maxAttempts) THEN 'failed' ELSE 'pending' END
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// A robot's log, newest first.
    public func deliveries(webhookId: Int64, limit: Int = 50) async throws -> [WebhookDelivery] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM webhook_deliveries WHERE webhook_id = \(bind: webhookId) ORDER BY id DESC LIMIT \(bind: limit)")
                .all().map(Self.delivery)
        }
    }
}

/// A robot as the audit trail keeps it: never its address's key.
struct AuditedWebhook: Encodable {
    var regionCode: String
    var kind: String
    var name: String
    var url: String
    var events: [String]
    init(_ w: WebhookInfo) {
        regionCode = w.regionCode
        kind = w.kind.rawValue
        name = w.name
        url = w.urlShown
        events = w.events.map(\.rawValue)
    }
}
