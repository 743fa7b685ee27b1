/// Review state of a reported figure. Only approved figures count unless a reader asks for pending ones too.
public enum ProgressState: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, returned

    /// The review chain: a reporter submits a draft (or a corrected returned figure); the level above approves it
    /// or returns it with a comment.
    public enum Action: String, Sendable, Codable { case submit, approve, `return` }

    public func after(_ action: Action) -> ProgressState? {
        switch (self, action) {
        case (.draft, .submit), (.returned, .submit): return .submitted
        case (.submitted, .approve): return .approved
        case (.submitted, .return): return .returned
        default: return nil
        }
    }

    /// Values can be corrected only before they are submitted, or after they were returned.
    public var editable: Bool { self == .draft || self == .returned }
}

/// An actual value reported for one indicator, one region and one month (the increment in that month).
public struct ProgressReport: Sendable, Hashable, Codable {
    public var id: Int64
    public var indicatorCode: String
    public var regionCode: String
    public var year: Int
    public var month: Int
    public var value: Int64
    public var state: ProgressState
    public var note: String
    public init(
        id: Int64, indicatorCode: String, regionCode: String, year: Int, month: Int, value: Int64,
        state: ProgressState, note: String
    ) {
        self.id = id
        self.indicatorCode = indicatorCode
        self.regionCode = regionCode
        self.year = year
        self.month = month
        self.value = value
        self.state = state
        self.note = note
    }
}

/// Completion arithmetic, kept in one place so the dashboard, API and reports agree.
public enum Completion {
    /// actual / target in basis points (1/100 of a percent), nil without a positive target.
    public static func basisPoints(actual: Int64, target: Int64) -> Int? {
        guard target > 0 else { return nil }
        let (p, overflow) = actual.multipliedReportingOverflow(by: 10_000)
        if overflow { return Int.max }
        return Int(p / target)
    }

    /// The overall completion of several targets: the mean of each one's completion capped at 100%, so one
    /// over-fulfilled indicator cannot hide another that lags.
    public static func overall(_ items: [(actual: Int64, target: Int64)]) -> Int? {
        let bps = items.compactMap { basisPoints(actual: $0.actual, target: $0.target) }.map { min($0, 10_000) }
        guard !bps.isEmpty else { return nil }
        return bps.reduce(0, +) / bps.count
    }

    /// "87.5%" from basis points.
    public static func percentText(_ bp: Int?) -> String {
        guard let bp else { return "—" }
        return percentNumber(bp) + "%"
    }

    /// The one rounding rule for completion wherever it is shown (pages, PDF, XLSX): one decimal, cut rather than
    /// rounded up, so 99.96 % never reads as a finished 100.0 %.
    public static func percentNumber(_ bp: Int) -> String { "\(bp / 100).\(bp % 100 / 10)" }
}
