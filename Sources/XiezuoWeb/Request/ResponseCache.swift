import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Answers of the busiest reads (the dashboard, the project list), kept in memory and served again while nothing was
/// written anywhere: each entry carries the data's version it was made under (read beside the user in the request's
/// one session statement), so a write on any instance makes every instance build the answer afresh on its next
/// request. An entry belongs to one session (user and CSRF token), one language, one day in China and one exact URL:
/// nothing made for one reader is ever shown to another. Entries also end after a minute, which bounds what a
/// write whose version move was lost (a crash between commit and move, PostgreSQL) could leave behind.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        let version: Int64
        let made: ContinuousClock.Instant
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
    }
    struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var bytes = 0
    }

    let maxEntries: Int
    let maxBytes: Int
    let maxAge: Duration
    private let state = Mutex(State())

    init(maxEntries: Int = 512, maxBytes: Int = 64 << 20, maxAge: Duration = .seconds(60)) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.maxAge = maxAge
    }

    static func key(_ request: Request, _ context: SignedInContext) -> String {
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return "\(context.user.id)|\(context.csrf ?? "-")|\(context.language.rawValue)|\(context.today)|\(request.uri.path)\(query)"
    }

    /// The kept answer to this request if it is current; otherwise `build`'s, kept when it is a success.
    func respond(_ request: Request, _ context: SignedInContext, build: () async throws -> Response) async throws -> Response {
        guard maxEntries > 0, let version = context.dataVersion, request.method == .get else { return try await build() }
        let key = Self.key(request, context)
        let now = ContinuousClock.now
        let hit = state.withLock { s -> Entry? in
            guard let e = s.entries[key], e.version == version, now - e.made < maxAge else { return nil }
            return e
        }
        if let hit { return Response(status: hit.status, headers: hit.headers, body: .init(byteBuffer: hit.body)) }
        let response = try await build()
        guard response.status == .ok else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector)
        let body = collector.buffer
        if body.readableBytes <= maxBytes / 8 {
            let entry = Entry(version: version, made: now, status: response.status, headers: response.headers, body: body)
            state.withLock { s in
                if let old = s.entries.updateValue(entry, forKey: key) {
                    s.bytes -= old.body.readableBytes
                } else {
                    s.order.append(key)
                }
                s.bytes += body.readableBytes
                // Oldest first out, beyond the count or the bytes allowed.
                while s.order.count > maxEntries || s.bytes > maxBytes, !s.order.isEmpty {
                    let gone = s.order.removeFirst()
                    if let e = s.entries.removeValue(forKey: gone) { s.bytes -= e.body.readableBytes }
                }
            }
        }
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: body))
    }

    var count: Int { state.withLock { $0.entries.count } }
}

/// Takes a response body's bytes as they are written.
final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()
    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
