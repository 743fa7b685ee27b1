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
    /// The judgement as a code, for a user interface to say in its own language (`reason` is the English line).
    public var verdict: Verdict
    /// For `wrongCharacterSet`: which wrong readings were undone (`EncodingRepair.Kind` raw values).
    public var encodings: [String]

    public enum Verdict: String, Sendable, Codable {
        /// Nothing of the pipeline or of a wrong character set.
        case clean
        /// Parenthesised pinyin that glosses some characters, as a teaching text does: left alone.
        case glosses
        /// Too few annotations to tell.
        case tooFew
        /// The pipeline's signature (scars, or a dictionary's annotations on Traditional forms): repaired.
        case pipeline
        /// Bytes decoded with the wrong character set: repaired.
        case wrongCharacterSet
    }

    public init(
        garbled: Bool, reason: String, changes: [RepairChange] = [], unsolved: [UnsolvedSpan] = [],
        annotations: Int = 0, scars: Int = 0, verdict: Verdict? = nil, encodings: [String] = []
    ) {
        self.garbled = garbled
        self.reason = reason
        self.changes = changes
        self.unsolved = unsolved
        self.annotations = annotations
        self.scars = scars
        self.verdict = verdict ?? (garbled ? .pipeline : .clean)
        self.encodings = encodings
    }
}

/// One change: `length` characters (Unicode scalars) of the input at `offset` became `after`.
public struct RepairChange: Sendable, Codable, Equatable {
    public enum Step: String, Sendable, Codable {
        case pinyin  // an inserted X(pinyin) annotation removed
        case scar  // a ?pinyin) scar and the garbled stretch after it re-aligned and recovered
        case traditional  // a naively converted Traditional form turned back to Simplified
        case punctuation  // ASCII , ; between Chinese text restored to ， ；
        case encoding  // a stretch decoded with the wrong character set read again as it was meant
        case unsolved  // a stretch that could not be solved: each scar in it shown as □ (see `unsolved`)
    }
    public var offset: Int
    public var length: Int
    public var before: String
    public var after: String
    public var step: Step
    /// 1 where the bytes determine the result; lower where a language model chose among candidates.
    public var confidence: Double
}

/// A stretch the repair could not solve with confidence. Nothing is invented: each scar in it (`?pinyin)`, a
/// character whose bytes were lost) becomes □ in the output, the rest of the stretch stays as it came, and the
/// stretch is reported with the characters each □ may be.
public struct UnsolvedSpan: Sendable, Codable, Equatable {
    public var offset: Int
    public var length: Int
    /// The stretch as it came.
    public var text: String
    public var reason: String
    /// What the output holds in its place.
    public var shown: String
    /// For each □ in `shown`, in order: characters with the scar's reading, the likeliest first.
    public var candidates: [[String]]

    public init(offset: Int, length: Int, text: String, reason: String, shown: String? = nil, candidates: [[String]] = []) {
        self.offset = offset
        self.length = length
        self.text = text
        self.reason = reason
        self.shown = shown ?? text
        self.candidates = candidates
    }
}

public struct RepairResult: Sendable {
    public var text: String
    public var report: RepairReport
    public init(text: String, report: RepairReport) {
        self.text = text
        self.report = report
    }
}
