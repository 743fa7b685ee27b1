/// The year-end assessment (考核) of a pairing: every indicator of its agreement scored against its target, weighted,
/// summed into points out of 100, and graded by a fixed, published rule.
public enum Grade: String, Sendable, Codable, CaseIterable {
    case good  // 好
    case fairlyGood = "fairly_good"  // 较好
    case average  // 一般
    case poor  // 差
}

/// Score thresholds in hundredths of a point: at or above `good` is 好, at or above `fairlyGood` 较好, at or above
/// `average` 一般, below it 差. A score exactly on a threshold gets the higher grade.
public struct GradeRule: Sendable, Hashable, Codable {
    public var good: Int
    public var fairlyGood: Int
    public var average: Int
    public init(good: Int, fairlyGood: Int, average: Int) {
        self.good = good
        self.fairlyGood = fairlyGood
        self.average = average
    }

    /// 90 / 75 / 60 points.
    public static let standard = GradeRule(good: 9_000, fairlyGood: 7_500, average: 6_000)

    public func grade(_ score: Int) -> Grade {
        if score >= good { return .good }
        if score >= fairlyGood { return .fairlyGood }
        if score >= average { return .average }
        return .poor
    }
}

/// One indicator's line in an assessment.
public struct ScoredIndicator: Sendable, Hashable {
    public var indicator: Indicator
    public var target: Int64
    public var actual: Int64
    public var weight: Int
    /// Completion capped at 100 %, in basis points: over-fulfilling one target earns nothing extra.
    public var completion: Int
    /// weight × completion / Σ weights, in hundredths of a point.
    public var points: Int
}

public struct AssessmentScore: Sendable, Hashable {
    public var rows: [ScoredIndicator]
    /// Out of 100, in hundredths of a point.
    public var total: Int
    public var grade: Grade
    public var rule: GradeRule

    /// Weights default to 10 per indicator when none are set; an indicator weighted 0 is listed but not scored.
    public static let defaultWeight = 10

    public init(
        progress: [(indicator: Indicator, target: Int64, actual: Int64)], weights: [String: Int],
        rule: GradeRule = .standard
    ) {
        let weighted = progress.map { ($0, weights[$0.indicator.code] ?? Self.defaultWeight) }
        let sum = weighted.reduce(0) { $0 + max(0, $1.1) }
        rows = weighted.map { p, w in
            let c = min(Completion.basisPoints(actual: p.actual, target: p.target) ?? 0, 10_000)
            return ScoredIndicator(
                indicator: p.indicator, target: p.target, actual: p.actual, weight: w, completion: c,
                points: sum > 0 ? max(0, w) * c / sum : 0)
        }
        // Summed from unrounded shares so that rounding per line cannot move a score across a grade boundary.
        total =
            sum > 0
            ? weighted.reduce(0) { $0 + max(0, $1.1) * min(Completion.basisPoints(actual: $1.0.actual, target: $1.0.target) ?? 0, 10_000) } / sum : 0
        self.rule = rule
        grade = rule.grade(total)
    }

    /// "85.23" from hundredths of a point.
    public static func pointsText(_ v: Int) -> String {
        let frac = v % 100
        return "\(v / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}

public enum WeightRules {
    /// Weights as typed: whole numbers 0–100.
    public static func parse(_ fields: [String: String], indicators: [Indicator]) -> Result<[String: Int], ValidationFailure> {
        var v = Validator()
        var out: [String: Int] = [:]
        for ind in indicators {
            let field = "weight_" + ind.code
            let n = v.count(field, fields[field], required: true, max: 100)
            out[ind.code] = Int(n)
        }
        if v.issues.isEmpty && out.values.reduce(0, +) == 0 { v.fail("weights", "error.weights_zero") }
        return v.result(out)
    }
}
