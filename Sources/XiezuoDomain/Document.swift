/// A document taken into the library: the text as it arrived, the repaired text and what the repair did.
public struct LibraryDocument: Sendable, Hashable, Codable {
    public var id: Int64
    public var title: String
    public var source: String
    public var publishedOn: Day?
    public var originalText: String
    public var repairedText: String
    /// The repair report as JSON (the format of `xiezuo repair --explain`).
    public var reportJSON: String
    public var garbled: Bool
    public var meetingId: Int64?
    public var createdAt: String
    /// The region of the office that took it in (its scope).
    public var regionCode: String = "520000"

    public init(
        id: Int64, title: String, source: String, publishedOn: Day?, originalText: String, repairedText: String,
        reportJSON: String, garbled: Bool, meetingId: Int64?, createdAt: String, regionCode: String = "520000"
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.publishedOn = publishedOn
        self.originalText = originalText
        self.repairedText = repairedText
        self.reportJSON = reportJSON
        self.garbled = garbled
        self.meetingId = meetingId
        self.createdAt = createdAt
        self.regionCode = regionCode
    }
}

/// Character bigrams for search: Chinese has no spaces, so every adjacent pair of letters or ideographs is a term;
/// a lone character is a term of its own. Punctuation and spaces separate terms.
public enum SearchGrams {
    public static func grams(_ text: String) -> Set<String> {
        var out = Set<String>()
        var run: [Character] = []
        func flush() {
            if run.count == 1 { out.insert(String(run[0])) }
            if run.count >= 2 { for i in 0..<(run.count - 1) { out.insert(String(run[i]) + String(run[i + 1])) } }
            run = []
        }
        for c in text.lowercased() {
            if c.isLetter || c.isNumber { run.append(c) } else { flush() }
        }
        flush()
        return out
    }
}
