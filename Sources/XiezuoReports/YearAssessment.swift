import XiezuoDomain
import XiezuoStore

/// A pairing's assessment for one year: its agreement's targets against approved figures, scored with the stored
/// weights, with the narrative and comment; and the same score for every year the pairing had an agreement.
public struct YearAssessment: Sendable {
    public var pairing: Pairing
    public var year: Int
    public var agreement: Agreement
    public var score: AssessmentScore
    public var record: AssessmentRecord
    public var history: [(year: Int, score: AssessmentScore)]

    public static func build(store: Store, pairing: Pairing, year: Int) async throws -> YearAssessment? {
        let agreements = try await store.agreements(pairingId: pairing.id).sorted { $0.year < $1.year }
        guard let agreement = agreements.first(where: { $0.year == year }) else { return nil }
        let records = Dictionary(uniqueKeysWithValues: try await store.assessments(pairingId: pairing.id).map { ($0.year, $0) })
        var history: [(Int, AssessmentScore)] = []
        var current: AssessmentScore?
        for a in agreements {
            guard let c = try await Overview.completion(of: a.id, store: store, counted: .approved) else { continue }
            let s = AssessmentScore(progress: c.rows.map { ($0.indicator, $0.target, $0.actual) }, weights: records[a.year]?.weights ?? [:])
            history.append((a.year, s))
            if a.year == year { current = s }
        }
        guard let current else { return nil }
        return YearAssessment(
            pairing: pairing, year: year, agreement: agreement, score: current,
            record: records[year] ?? AssessmentRecord(pairingId: pairing.id, year: year), history: history)
    }
}
