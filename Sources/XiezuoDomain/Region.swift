/// The side of East–West cooperation a province is on; "other" takes part in neither (the central provinces).
public enum Side: String, Sendable, Codable, CaseIterable { case east, west, other }

public enum RegionLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case province, prefecture, county, town, village
    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: RegionLevel, b: RegionLevel) -> Bool { a.rank < b.rank }
}

/// A region keyed by its GB/T 2260 code. Codes are hierarchical by prefix (52 → 5205 → 520525), which lets every
/// "inside this region" question become a prefix match in SQL.
public struct Region: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    public var parentCode: String?
    public var side: Side
    public var keyAssisted: Bool
    public var resettlementArea: Bool

    public init(
        code: String, name: String, level: RegionLevel, parentCode: String?, side: Side,
        keyAssisted: Bool = false, resettlementArea: Bool = false
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.side = side
        self.keyAssisted = keyAssisted
        self.resettlementArea = resettlementArea
    }

    /// The code prefix shared by this region and all regions inside it.
    public var scopePrefix: String { Region.scopePrefix(code: code, level: level) }

    public static func scopePrefix(code: String, level: RegionLevel) -> String {
        switch level {
        case .province: return String(code.prefix(2))
        case .prefecture: return String(code.prefix(4))
        case .county: return String(code.prefix(6))
        case .town: return String(code.prefix(9))
        case .village: return code
        }
    }

    /// True when `other` is this region or lies inside it.
    public func contains(_ other: Region) -> Bool { other.code.hasPrefix(scopePrefix) && other.level >= level }

    /// GB/T 2260 county-level codes are six digits; towns nine, villages twelve.
    public static func isWellFormedCode(_ code: String) -> Bool {
        [6, 9, 12].contains(code.count) && code.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
