public enum ProjectStatus: String, Sendable, Codable, CaseIterable { case planned, ongoing, completed, suspended }

public struct Project: Sendable, Hashable, Codable {
    public var id: Int64
    public var pairingId: Int64
    public var countyCode: String
    public var workArea: WorkArea
    public var title: String
    public var status: ProjectStatus
    public var plannedStart: Day?
    public var plannedEnd: Day?
    public var beneficiaries: Int64
    public var description: String
    public var isDemo: Bool
    public var version: Int64
    public var updatedAt: String

    public init(
        id: Int64, pairingId: Int64, countyCode: String, workArea: WorkArea, title: String,
        status: ProjectStatus, plannedStart: Day?, plannedEnd: Day?, beneficiaries: Int64,
        description: String, isDemo: Bool = false, version: Int64 = 1, updatedAt: String = ""
    ) {
        self.id = id
        self.pairingId = pairingId
        self.countyCode = countyCode
        self.workArea = workArea
        self.title = title
        self.status = status
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.beneficiaries = beneficiaries
        self.description = description
        self.isDemo = isDemo
        self.version = version
        self.updatedAt = updatedAt
    }
}

/// Funding moves through these stages; each is recorded as dated transactions so every total is derivable.
public enum TransactionKind: String, Sendable, Codable, CaseIterable { case budget, commitment, disbursement, expenditure }

public struct FundingTransaction: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectId: Int64
    public var kind: TransactionKind
    public var date: Day
    public var amount: Money
    public var note: String
    public init(id: Int64, projectId: Int64, kind: TransactionKind, date: Day, amount: Money, note: String) {
        self.id = id
        self.projectId = projectId
        self.kind = kind
        self.date = date
        self.amount = amount
        self.note = note
    }
}

public struct Milestone: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectId: Int64
    public var title: String
    public var dueDate: Day
    public var doneDate: Day?
    public init(id: Int64, projectId: Int64, title: String, dueDate: Day, doneDate: Day?) {
        self.id = id
        self.projectId = projectId
        self.title = title
        self.dueDate = dueDate
        self.doneDate = doneDate
    }
}

/// Totals per transaction kind; what the project page and reports show as budget / committed / disbursed / spent.
public struct FundingSummary: Sendable, Hashable, Codable {
    public var budget = Money.zero, committed = Money.zero, disbursed = Money.zero, spent = Money.zero
    public init() {}
    public init(_ transactions: [FundingTransaction]) {
        for t in transactions { add(t.kind, t.amount) }
    }
    public mutating func add(_ kind: TransactionKind, _ amount: Money) {
        switch kind {
        case .budget: budget = budget + amount
        case .commitment: committed = committed + amount
        case .disbursement: disbursed = disbursed + amount
        case .expenditure: spent = spent + amount
        }
    }
}
