import SQLKit
import Synchronization

/// What the database is doing, for /metrics: operations in flight and done, by kind. Counted in the backends, read
/// at scrape time.
public final class StoreStats: Sendable {
    public let readsInFlight = Atomic<Int>(0)
    public let writesInFlight = Atomic<Int>(0)
    public let reads = Atomic<Int>(0)
    public let writes = Atomic<Int>(0)
    public let failedWrites = Atomic<Int>(0)
    public init() {}

    func measure<T>(write: Bool, _ body: () async throws -> T) async throws -> T {
        // Atomics cannot be copied, so each branch names its own.
        if write { writesInFlight.add(1, ordering: .relaxed) } else { readsInFlight.add(1, ordering: .relaxed) }
        defer {
            if write {
                writesInFlight.subtract(1, ordering: .relaxed)
                writes.add(1, ordering: .relaxed)
            } else {
                readsInFlight.subtract(1, ordering: .relaxed)
                reads.add(1, ordering: .relaxed)
            }
        }
        do { return try await body() } catch {
            if write { failedWrites.add(1, ordering: .relaxed) }
            throw error
        }
    }
}

/// A backend counted into `StoreStats`.
struct InstrumentedBackend: DatabaseBackend {
    let inner: any DatabaseBackend
    let stats: StoreStats
    var dialect: SQLDialectKind { inner.dialect }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await stats.measure(write: false) { try await inner.read(body) }
    }

    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await stats.measure(write: true) { try await inner.write(body) }
    }

    func atomic<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await stats.measure(write: true) { try await inner.atomic(body) }
    }

    func close() async { await inner.close() }
}
