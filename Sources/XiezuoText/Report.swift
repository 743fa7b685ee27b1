/// What a repair did to one document, for `--explain`, the web intake view and the corpus summaries.
public struct RepairReport: Sendable, Codable, Equatable {
    /// True when the document carries the pipeline's signature and was repaired; false means the text is returned
    /// exactly as given.
    public var garbled: Bool
    /// Why the document was or was not judged garbled, in one line.
    public var reason: String
    public var changes: [RepairChange]
    public var unsolved: [UnsolvedSpan]
    public var annotations: Int
    public var scars: Int

    public init(
        garbled: Bool, reason: String, changes: [RepairChange] = [], unsolved: [UnsolvedSpan] = [],
        annotations: Int = 0, scars: Int = 0
    ) {
        self.garbled = garbled
        self.reason = reason
        self.changes = changes
        self.unsolved = unsolved
        self.annotations = annotations
        self.scars = scars
    }
}

/// One change: `length` characters (Unicode scalars) of the input at `offset` became `after`.
public struct RepairChange: Sendable, Codable, Equatable {
    public enum Step: String, Sendable, Codable {
        case pinyin  // an inserted X(pinyin) annotation removed
        case scar  // a ?pinyin) scar and the garbled stretch after it re-aligned and recovered
        case traditional  // a naively converted Traditional form turned back to Simplified
        case punctuation  // ASCII , ; between Chinese text restored to ， ；
    }
    public var offset: Int
    public var length: Int
    public var before: String
    public var after: String
    public var step: Step
    /// 1 where the bytes determine the result; lower where a language model chose among candidates.
    public var confidence: Double
}

/// A stretch the repair could not solve with confidence: left as it was in the input and reported.
public struct UnsolvedSpan: Sendable, Codable, Equatable {
    public var offset: Int
    public var length: Int
    public var text: String
    public var reason: String
}

public struct RepairResult: Sendable {
    public var text: String
    public var report: RepairReport
    public init(text: String, report: RepairReport) {
        self.text = text
        self.report = report
    }
}
