import XiezuoDomain

/// One indicator's target against its actual value.
public struct IndicatorProgress: Sendable, Hashable {
    public var indicator: Indicator
    public var workArea: WorkArea
    public var target: Int64
    public var actual: Int64
    public var basisPoints: Int? { Completion.basisPoints(actual: actual, target: target) }
    public init(indicator: Indicator, workArea: WorkArea, target: Int64, actual: Int64) {
        self.indicator = indicator
        self.workArea = workArea
        self.target = target
        self.actual = actual
    }
}

/// The completion arithmetic of one agreement: per target, per work area and overall.
public struct AgreementCompletion: Sendable {
    public var rows: [IndicatorProgress]

    /// Targets come with the work area of the task that holds them; actuals are the roll-up inside the pairing's
    /// western region for the agreement's year.
    public init(targets: [(workArea: WorkArea, target: Target)], actuals: [String: Int64]) {
        rows = targets.compactMap { item in
            guard let ind = IndicatorCatalogue.byCode[item.target.indicatorCode] else { return nil }
            return IndicatorProgress(
                indicator: ind, workArea: item.workArea, target: item.target.value,
                actual: actuals[ind.code] ?? 0)
        }
    }

    public var overall: Int? { Completion.overall(rows.map { ($0.actual, $0.target) }) }

    public func byWorkArea() -> [(WorkArea, Int?)] {
        WorkArea.allCases.compactMap { area in
            let inArea = rows.filter { $0.workArea == area }
            guard !inArea.isEmpty else { return nil }
            return (area, Completion.overall(inArea.map { ($0.actual, $0.target) }))
        }
    }
}
