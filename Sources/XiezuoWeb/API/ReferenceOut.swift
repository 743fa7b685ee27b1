import XiezuoDomain

// Reference data in the API: regions, pairings, indicators.

struct RegionOut: Codable, Sendable {
    let code: String
    let name: String
    let level: String
    @Null var parentCode: String?
    let side: String
    let keyAssisted: Bool
    let resettlementArea: Bool

    init(_ r: Region) {
        code = r.code
        name = r.name
        level = r.level.rawValue
        parentCode = r.parentCode
        side = r.side.rawValue
        keyAssisted = r.keyAssisted
        resettlementArea = r.resettlementArea
    }
}

struct PairingOut: Codable, Sendable {
    let id: Int64
    let level: String
    let eastCode: String
    let eastName: String
    let westCode: String
    let westName: String
    @Null var eastParty: String?
    @Null var westParty: String?
    let sinceYear: Int
    @Null var untilYear: Int?

    init(_ p: Pairing, _ regions: [String: Region]) {
        id = p.id
        level = p.level.rawValue
        eastCode = p.eastCode
        eastName = regions[p.eastCode]?.name ?? ""
        westCode = p.westCode
        westName = regions[p.westCode]?.name ?? ""
        eastParty = p.eastParty
        westParty = p.westParty
        sinceYear = p.sinceYear
        untilYear = p.untilYear
    }
}

struct IndicatorOut: Codable, Sendable {
    let code: String
    let nameZh: String
    let nameEn: String
    let unit: String
    let source: String
    @Null var ledger: String?
    let workArea: String

    init(_ i: Indicator) {
        code = i.code
        nameZh = i.nameZh
        nameEn = i.nameEn
        unit = i.unit.rawValue
        source = i.source.rawValue
        ledger = i.ledger
        workArea = i.workArea.rawValue
    }
}
