import XiezuoDomain
import XiezuoReports

/// A pairing's year-end assessment: the score row by row, the grade and its rule, both sides' texts, earlier years.
struct AssessmentOut: Codable, Sendable {
    struct Rule: Codable, Sendable {
        let good: Int
        let fairlyGood: Int
        let average: Int
    }
    struct Row: Codable, Sendable {
        let indicatorCode: String
        let target: Int64
        let actual: Int64
        let weight: Int
        @Null var completionBasisPoints: Int?
        let points: Int
    }
    struct PastYear: Codable, Sendable {
        let year: Int
        let total: Int
        let grade: String
    }
    let pairingId: Int64
    let year: Int
    let agreementId: Int64
    let total: Int
    let grade: String
    let rule: Rule
    let rows: [Row]
    let selfAssessment: String
    let partnerComment: String
    let version: Int64
    let history: [PastYear]

    init(_ y: YearAssessment, pairingId: Int64, year: Int) {
        self.pairingId = pairingId
        self.year = year
        agreementId = y.agreement.id
        total = y.score.total
        grade = y.score.grade.rawValue
        rule = Rule(good: y.score.rule.good, fairlyGood: y.score.rule.fairlyGood, average: y.score.rule.average)
        rows = y.score.rows.map {
            Row(
                indicatorCode: $0.indicator.code, target: $0.target, actual: $0.actual, weight: $0.weight,
                completionBasisPoints: $0.completion, points: $0.points)
        }
        selfAssessment = y.record.selfAssessment
        partnerComment = y.record.partnerComment
        version = y.record.version
        history = y.history.map { PastYear(year: $0.year, total: $0.score.total, grade: $0.score.grade.rawValue) }
    }
}
