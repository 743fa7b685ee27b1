import HTTPTypes
import Hummingbird
import Prometheus
import XiezuoStore

/// Prometheus metrics of one instance: requests by route, method and status, their latency, and the database's
/// operations. Kept in the app's own registry (no process-wide bootstrap), so every app built — tests included —
/// counts on its own.
struct Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    func record(route: String, method: String, status: Int, duration: Duration) {
        let labels = [("route", route), ("method", method), ("status", String(status))]
        registry.makeCounter(
            descriptor: .init(
                namespace: "xiezuo", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests answered"), labels: labels
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "xiezuo", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time to answer an HTTP request"),
            labels: [("route", route), ("method", method)], buckets: Self.buckets
        ).record(duration)
    }

    /// The exposition text, with the database figures read now.
    func render(_ stats: StoreStats) -> [UInt8] {
        func gauge(_ name: String, _ help: String, _ v: Int) {
            registry.makeGauge(descriptor: .init(namespace: "xiezuo", subsystem: "db", metricName: name, unitName: "current", helpText: help))
                .set(Double(v))
        }
        gauge("reads_in_flight", "Database reads running now", stats.readsInFlight.load(ordering: .relaxed))
        gauge("writes_in_flight", "Database transactions running now", stats.writesInFlight.load(ordering: .relaxed))
        gauge("reads_done", "Database reads since start", stats.reads.load(ordering: .relaxed))
        gauge("writes_done", "Database transactions since start", stats.writes.load(ordering: .relaxed))
        gauge("writes_failed", "Database transactions rolled back since start", stats.failedWrites.load(ordering: .relaxed))
        return registry.emitToBuffer()
    }
}

/// Counts every request once it is answered (errors included, as the error middleware inside turned them into
/// responses), by the route pattern, not the concrete path, so ids do not explode the label set.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: Metrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var r = try await next(request, context)
            let elapsed = ContinuousClock.now - start
            metrics.record(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: r.status.code,
                duration: elapsed)
            // Every answer names its request, so a user's report and the log line meet.
            r.headers[HTTPField.Name("X-Request-Id")!] = context.id
            context.logger.info(
                "request",
                metadata: [
                    "method": .string(request.method.rawValue), "route": .string(context.endpointPath ?? "unmatched"),
                    "status": .stringConvertible(r.status.code),
                    "ms": .stringConvertible(
                        Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000),
                ])
            return r
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
