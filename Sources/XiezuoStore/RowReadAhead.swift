import Foundation
import Synchronization
import XiezuoDomain

/// Reads a sheet's ledger rows on a thread of its own, a few chunks ahead of the import that checks and writes them:
/// unpacking, parsing and checking the sheet and `prepare` (what each row would store: its key, JSON, encrypted
/// personal data — together half of an import's time) then run on the second core while the database writes. At most
/// `ahead` chunks wait, so memory stays flat with the sheet's size. A read that fails ends the rows with its error;
/// dropping the reader (an import that stops at a database error) stops the thread.
final class RowReadAhead<Item: Sendable>: @unchecked Sendable {
    struct Chunk: Sendable {
        var rows: [Item]
        var fraction: Double
    }

    private let chunks: AsyncThrowingStream<Chunk, any Error>
    private var iterator: AsyncThrowingStream<Chunk, any Error>.AsyncIterator
    private let free: DispatchSemaphore
    /// What the reading thread and the importer both touch: whether to stop, and the sheet's ignored columns.
    private final class Shared: Sendable {
        let stopped = Atomic<Bool>(false)
        let columns = Mutex<[String]>([])
    }
    private let shared = Shared()
    /// The sheet's ignored columns, known once every row is read.
    private(set) var ignoredColumns: [String] = []

    /// `stream` is moved to the reading thread: nothing else may use it afterwards.
    init(_ stream: any LedgerRowStream, chunkSize: Int = 1000, ahead: Int = 3, prepare: @escaping @Sendable (ParsedLedgerRow) -> Item) {
        let free = DispatchSemaphore(value: ahead)
        self.free = free
        let shared = self.shared
        let (chunks, continuation) = AsyncThrowingStream<Chunk, any Error>.makeStream()
        self.chunks = chunks
        iterator = chunks.makeAsyncIterator()
        let box = StreamBox(stream)
        let thread = Thread {
            var stream = box.stream
            var rows: [Item] = []
            rows.reserveCapacity(chunkSize)
            do {
                while let row = try stream.nextRow() {
                    rows.append(prepare(row))
                    if rows.count >= chunkSize {
                        free.wait()
                        if shared.stopped.load(ordering: .relaxed) { return continuation.finish() }
                        continuation.yield(Chunk(rows: rows, fraction: stream.fraction))
                        rows.removeAll(keepingCapacity: true)
                    }
                }
                free.wait()
                let ignored = stream.ignoredColumns
                shared.columns.withLock { $0 = ignored }
                continuation.yield(Chunk(rows: rows, fraction: 1))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "xiezuo-sheet-reader"
        thread.start()
    }

    /// The next chunk (possibly empty at the end), nil once every row was handed over.
    func next() async throws -> Chunk? {
        guard let chunk = try await iterator.next() else {
            ignoredColumns = shared.columns.withLock { $0 }
            return nil
        }
        free.signal()
        return chunk
    }

    deinit {
        // The reader may be waiting for room: let it go, and it stops at its next chunk.
        shared.stopped.store(true, ordering: .relaxed)
        for _ in 0..<4 { free.signal() }
    }
}

private final class StreamBox: @unchecked Sendable {
    let stream: any LedgerRowStream
    init(_ stream: any LedgerRowStream) { self.stream = stream }
}
