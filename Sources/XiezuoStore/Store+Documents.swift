import SQLKit
import XiezuoDomain

extension Store {
    static func document(from r: any SQLRow) throws -> LibraryDocument {
        LibraryDocument(
            id: try r.decode(column: "id", as: Int64.self), title: try r.decode(column: "title", as: String.self),
            source: try r.decode(column: "source", as: String.self),
            publishedOn: try r.decode(column: "published_on", as: String?.self).flatMap(Day.init),
            originalText: try r.decode(column: "original_text", as: String.self),
            repairedText: try r.decode(column: "repaired_text", as: String.self),
            reportJSON: try r.decode(column: "report_json", as: String.self),
            garbled: try r.decode(column: "garbled", as: Int.self) != 0,
            meetingId: try r.decode(column: "meeting_id", as: Int64?.self),
            createdAt: try r.decode(column: "created_at", as: String.self),
            regionCode: try r.decode(column: "region_code", as: String.self))
    }

    public func saveDocument(_ d: LibraryDocument, actor: Actor) async throws -> LibraryDocument {
        try await backend.write { db in
            let now = Self.now()
            let id = try await db.raw(
                """
                INSERT INTO documents (title, source, published_on, original_text, repaired_text, report_json, garbled, meeting_id, created_at, region_code)
                VALUES (\(bind: d.title), \(bind: d.source), \(bind: d.publishedOn?.description), \(bind: d.originalText),
                        \(bind: d.repairedText), \(bind: d.reportJSON), \(bind: d.garbled ? 1 : 0), \(bind: d.meetingId), \(bind: now),
                        \(bind: d.regionCode))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            let grams = Array(SearchGrams.grams(d.title + " " + d.repairedText))
            for chunk in stride(from: 0, to: grams.count, by: 400) {
                var q: SQLQueryString = "INSERT INTO document_grams (document_id, gram) VALUES "
                q += grams[chunk..<min(chunk + 400, grams.count)].map { "(\(bind: id), \(bind: $0))" as SQLQueryString }.joined(separator: ", ")
                try await db.raw(q).run()
            }
            var saved = d
            saved.id = id
            saved.createdAt = now
            var logged = saved
            logged.originalText = "(\(d.originalText.count) characters)"
            logged.repairedText = logged.originalText
            try await Self.audit(db, actor, entity: "document", id: String(id), action: "create", before: LibraryDocument?.none, after: logged)
            return saved
        }
    }

    public func document(id: Int64) async throws -> LibraryDocument? {
        try await backend.read { db in try await db.raw("SELECT * FROM documents WHERE id = \(bind: id)").first().map(Self.document) }
    }

    /// Documents holding every bigram of the query (all documents for an empty query), newest first.
    public func documents(matching query: String, page: Page, scope: RegionScope) async throws -> PageOf<LibraryDocument> {
        let grams = Array(SearchGrams.grams(query)).sorted()
        return try await backend.read { db in
            var w: SQLQueryString = " WHERE 1 = 1" + scopeSQL("region_code", scope)
            if !grams.isEmpty {
                w +=
                    " AND id IN (SELECT document_id FROM document_grams WHERE gram IN (\(binds: grams)) GROUP BY document_id HAVING COUNT(*) = \(bind: grams.count))"
            }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM documents" + w).first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw("SELECT * FROM documents" + w + " ORDER BY id DESC LIMIT \(bind: page.size) OFFSET \(bind: page.offset)")
                .all().map(Self.document)
            return PageOf(items: items, total: total, page: page)
        }
    }

    public func linkDocument(id: Int64, meetingId: Int64?, actor: Actor) async throws {
        try await backend.write { db in
            guard let before = try await db.raw("SELECT meeting_id FROM documents WHERE id = \(bind: id)").first() else { throw StoreError.notFound }
            if let meetingId, try await db.raw("SELECT id FROM meetings WHERE id = \(bind: meetingId)").first() == nil { throw StoreError.notFound }
            try await db.raw("UPDATE documents SET meeting_id = \(bind: meetingId) WHERE id = \(bind: id)").run()
            try await Self.audit(
                db, actor, entity: "document", id: String(id), action: "link",
                before: ["meetingId": try before.decode(column: "meeting_id", as: Int64?.self)], after: ["meetingId": meetingId])
        }
    }

    public func meeting(id: Int64) async throws -> Meeting? {
        try await backend.read { db in try await db.raw("SELECT * FROM meetings WHERE id = \(bind: id)").first().map(Self.meeting) }
    }
}

extension Store {
    /// The documents attached to a meeting that the reader may see, by title.
    public func documents(meetingId: Int64, scope: RegionScope) async throws -> [(id: Int64, title: String, publishedOn: Day?)] {
        try await backend.read { db in
            try await db.raw(
                """
                SELECT id, title, published_on FROM documents WHERE meeting_id = \(bind: meetingId)
                """ + scopeSQL("region_code", scope) + " ORDER BY id"
            ).all().map { r in
                (
                    try r.decode(column: "id", as: Int64.self), try r.decode(column: "title", as: String.self),
                    try r.decode(column: "published_on", as: String?.self).flatMap(Day.init)
                )
            }
        }
    }
}
