public enum PairingLevel: String, Sendable, Codable, CaseIterable {
    case province, city, county, town, village, school, hospital
}

/// A 结对 between an eastern and a western party. For village/school/hospital pairs the parties are institutions
/// located in the two regions, named in `eastParty`/`westParty`.
public struct Pairing: Sendable, Hashable, Codable {
    public var id: Int64
    public var level: PairingLevel
    public var eastCode: String
    public var westCode: String
    public var eastParty: String?
    public var westParty: String?
    public var sinceYear: Int
    public var untilYear: Int?

    public init(
        id: Int64, level: PairingLevel, eastCode: String, westCode: String, eastParty: String? = nil,
        westParty: String? = nil, sinceYear: Int, untilYear: Int? = nil
    ) {
        self.id = id
        self.level = level
        self.eastCode = eastCode
        self.westCode = westCode
        self.eastParty = eastParty
        self.westParty = westParty
        self.sinceYear = sinceYear
        self.untilYear = untilYear
    }

    public func isActive(in year: Int) -> Bool { sinceYear <= year && (untilYear.map { year <= $0 } ?? true) }
}
