import XiezuoDomain
import XiezuoStore

// Projects in the API: one shape for the list, the single project and what a write answers.

struct FundingOut: Codable, Sendable {
    let budgetFen: Int64
    let committedFen: Int64
    let disbursedFen: Int64
    let spentFen: Int64

    init(_ f: FundingSummary) {
        budgetFen = f.budget.fen
        committedFen = f.committed.fen
        disbursedFen = f.disbursed.fen
        spentFen = f.spent.fen
    }
}

struct ProjectOut: Codable, Sendable {
    let id: Int64
    let pairingId: Int64
    let countyCode: String
    let countyName: String
    let workArea: String
    let title: String
    let status: String
    @Null var plannedStart: String?
    @Null var plannedEnd: String?
    let beneficiaries: Int64
    let description: String
    let demo: Bool
    let version: Int64
    let updatedAt: String
    let funding: FundingOut

    init(_ row: ProjectRow) {
        let p = row.project
        id = p.id
        pairingId = p.pairingId
        countyCode = p.countyCode
        countyName = row.countyName
        workArea = p.workArea.rawValue
        title = p.title
        status = p.status.rawValue
        plannedStart = p.plannedStart?.description
        plannedEnd = p.plannedEnd?.description
        beneficiaries = p.beneficiaries
        description = p.description
        demo = p.isDemo
        version = p.version
        updatedAt = p.updatedAt
        funding = FundingOut(row.funding)
    }
}

struct TransactionOut: Codable, Sendable {
    let id: Int64
    let projectId: Int64
    let kind: String
    let date: String
    let amountFen: Int64
    let amountYuan: String
    let note: String

    init(_ t: FundingTransaction) {
        id = t.id
        projectId = t.projectId
        kind = t.kind.rawValue
        date = t.date.description
        amountFen = t.amount.fen
        amountYuan = t.amount.yuanText.replacingOccurrences(of: ",", with: "")
        note = t.note
    }
}

struct MilestoneOut: Codable, Sendable {
    let id: Int64
    let title: String
    let dueDate: String
    @Null var doneDate: String?

    init(_ m: Milestone) {
        id = m.id
        title = m.title
        dueDate = m.dueDate.description
        doneDate = m.doneDate?.description
    }
}

struct ProgressOut: Codable, Sendable {
    let id: Int64
    let indicatorCode: String
    let regionCode: String
    let year: Int
    let month: Int
    let value: Int64
    let state: String
    let note: String

    init(_ p: ProgressReport) {
        id = p.id
        indicatorCode = p.indicatorCode
        regionCode = p.regionCode
        year = p.year
        month = p.month
        value = p.value
        state = p.state.rawValue
        note = p.note
    }
}
