public enum AgreementStatus: String, Sendable, Codable, CaseIterable { case draft, signed, closed }

/// A yearly 协议 of a pairing: tasks grouped by work area, each with quantified targets.
public struct Agreement: Sendable, Hashable, Codable {
    public var id: Int64
    public var pairingId: Int64
    public var year: Int
    public var title: String
    public var status: AgreementStatus
    public var isDemo: Bool
    public var updatedAt: String

    public init(
        id: Int64, pairingId: Int64, year: Int, title: String, status: AgreementStatus, isDemo: Bool,
        updatedAt: String
    ) {
        self.id = id
        self.pairingId = pairingId
        self.year = year
        self.title = title
        self.status = status
        self.isDemo = isDemo
        self.updatedAt = updatedAt
    }
}

public struct AgreementTask: Sendable, Hashable, Codable {
    public var id: Int64
    public var agreementId: Int64
    public var workArea: WorkArea
    public var text: String
    public var updatedAt: String
    public init(id: Int64, agreementId: Int64, workArea: WorkArea, text: String, updatedAt: String) {
        self.id = id
        self.agreementId = agreementId
        self.workArea = workArea
        self.text = text
        self.updatedAt = updatedAt
    }
}

/// A quantified target of an agreement task. `value` is in the indicator's stored unit (fen for money).
public struct Target: Sendable, Hashable, Codable {
    public var id: Int64
    public var taskId: Int64
    public var indicatorCode: String
    public var value: Int64
    public var updatedAt: String
    public var version: Int64
    public init(id: Int64, taskId: Int64, indicatorCode: String, value: Int64, updatedAt: String, version: Int64 = 1) {
        self.id = id
        self.taskId = taskId
        self.indicatorCode = indicatorCode
        self.value = value
        self.updatedAt = updatedAt
        self.version = version
    }
}
