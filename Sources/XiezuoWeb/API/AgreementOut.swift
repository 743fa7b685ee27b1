import XiezuoDomain
import XiezuoReports
import XiezuoStore

// Agreements in the API: the record, its tasks and targets, and its completion.

struct AgreementOut: Codable, Sendable {
    let id: Int64
    let pairingId: Int64
    let year: Int
    let title: String
    let status: String
    let demo: Bool
    let updatedAt: String

    init(_ a: Agreement) {
        id = a.id
        pairingId = a.pairingId
        year = a.year
        title = a.title
        status = a.status.rawValue
        demo = a.isDemo
        updatedAt = a.updatedAt
    }
}

struct TargetOut: Codable, Sendable {
    let id: Int64
    let taskId: Int64
    let indicatorCode: String
    let value: Int64
    let updatedAt: String
    let version: Int64

    init(_ t: Target) {
        id = t.id
        taskId = t.taskId
        indicatorCode = t.indicatorCode
        value = t.value
        updatedAt = t.updatedAt
        version = t.version
    }
}

struct AgreementTaskOut: Codable, Sendable {
    let id: Int64
    let agreementId: Int64
    let workArea: String
    let text: String
    let updatedAt: String
    let targets: [TargetOut]

    init(_ t: AgreementTask, targets: [Target]) {
        id = t.id
        agreementId = t.agreementId
        workArea = t.workArea.rawValue
        text = t.text
        updatedAt = t.updatedAt
        self.targets = targets.map(TargetOut.init)
    }
}

struct CompletionOut: Codable, Sendable {
    struct IndicatorRow: Codable, Sendable {
        let indicatorCode: String
        let workArea: String
        let target: Int64
        let actual: Int64
        @Null var completionBasisPoints: Int?
    }
    struct WorkAreaRow: Codable, Sendable {
        let workArea: String
        @Null var completionBasisPoints: Int?
    }
    @Null var overallBasisPoints: Int?
    let indicators: [IndicatorRow]
    let workAreas: [WorkAreaRow]

    init(_ c: AgreementCompletion) {
        overallBasisPoints = c.overall
        indicators = c.rows.map {
            IndicatorRow(
                indicatorCode: $0.indicator.code, workArea: $0.workArea.rawValue, target: $0.target, actual: $0.actual,
                completionBasisPoints: $0.basisPoints)
        }
        workAreas = c.byWorkArea().map { WorkAreaRow(workArea: $0.0.rawValue, completionBasisPoints: $0.1) }
    }
}

/// One agreement with its tasks, their targets, and the completion: the agreement's own fields at the top level.
struct AgreementDetailOut: Codable, Sendable {
    let agreement: AgreementOut
    let tasks: [AgreementTaskOut]
    let completion: CompletionOut

    private enum Parts: String, CodingKey { case tasks, completion }

    init(_ d: AgreementDetail, _ c: AgreementCompletion) {
        agreement = AgreementOut(d.agreement)
        tasks = d.tasks.map { t in AgreementTaskOut(t, targets: d.targets.filter { $0.taskId == t.id }) }
        completion = CompletionOut(c)
    }

    init(from decoder: any Decoder) throws {
        agreement = try AgreementOut(from: decoder)
        let c = try decoder.container(keyedBy: Parts.self)
        tasks = try c.decode([AgreementTaskOut].self, forKey: .tasks)
        completion = try c.decode(CompletionOut.self, forKey: .completion)
    }

    func encode(to encoder: any Encoder) throws {
        try agreement.encode(to: encoder)
        var c = encoder.container(keyedBy: Parts.self)
        try c.encode(tasks, forKey: .tasks)
        try c.encode(completion, forKey: .completion)
    }
}
