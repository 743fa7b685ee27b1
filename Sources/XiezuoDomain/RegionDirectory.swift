/// A code or name a region had before (盘县 520222, renamed 盘州市 520281), and the region that carries it on today.
public struct FormerRegion: Sendable, Hashable {
    public var code: String
    public var name: String
    /// Today's region; nil where a region was split or its successor is not known.
    public var successor: String?
    /// The last year the former entry was published.
    public var lastPublished: Int
    /// The year it changed (renamed, re-coded or merged).
    public var changed: Int

    public init(code: String, name: String, successor: String?, lastPublished: Int, changed: Int? = nil) {
        self.code = code
        self.name = name
        self.successor = successor
        self.lastPublished = lastPublished
        self.changed = changed ?? lastPublished + 1
    }
}

/// The regions a sheet may name, by code and by name — today's, and the former ones offices still write.
public struct RegionDirectory: Sendable {
    public let byCode: [String: Region]
    let byName: [String: [Region]]
    let formerByCode: [String: FormerRegion]
    let formerByName: [String: [FormerRegion]]
    /// Code prefixes of the assisted regions the installation's pairings cover: a county name that several western
    /// provinces have (城中区 in 柳州 and in 西宁) is read as the one inside them.
    public var paired: [String] = []

    public init(_ regions: [Region], former: [FormerRegion] = [], paired: [String] = []) {
        self.paired = paired
        byCode = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var names: [String: [Region]] = [:]
        for r in regions { names[r.name, default: []].append(r) }
        byName = names
        formerByCode = Dictionary(former.map { ($0.code, $0) }, uniquingKeysWith: { a, b in a.lastPublished >= b.lastPublished ? a : b })
        var formerNames: [String: [FormerRegion]] = [:]
        for f in former { formerNames[f.name, default: []].append(f) }
        formerByName = formerNames
    }

    /// The former name or code a cell used for a county it resolved to today's `code` ("六盘水市盘县" for 盘州市), if it
    /// did not name the county by today's name or code.
    public func formerUsed(in text: String, for code: String) -> FormerRegion? {
        let t = text.filter { !$0.isWhitespace }
        guard let today = byCode[code], !t.contains(today.name), !t.contains(code) else { return nil }
        return formerByName.values.joined().first { $0.successor == code && (t.contains($0.name) || t.contains($0.code)) }
    }

    /// The region that carries a former code or name on today, if there is exactly one and it is a county here
    /// (a former name two successors share — 铜仁市 the county and the prefecture — is ambiguous).
    public func successor(of text: String) -> (former: FormerRegion, today: Region)? {
        let candidates = formerByCode[text].map { [$0] } ?? formerByName[text] ?? []
        let resolved = Set(candidates.compactMap { f in f.successor.flatMap { byCode[$0] }.map { $0.code } })
        guard resolved.count == 1, let code = resolved.first, let today = byCode[code], today.level == .county,
            let former = candidates.first(where: { $0.successor == code })
        else { return nil }
        // A name that is also a region's name today (铜仁市 the prefecture, once also a county-level city) is taken as
        // today's region, never silently as a former one.
        if byName[text] != nil { return nil }
        return (former, today)
    }

    /// A county by its code, its name, or its prefecture's name followed by its name (六盘水市六枝特区).
    public func county(_ text: String) -> Region? {
        var t = text.filter { !$0.isWhitespace }
        // "白云区（520113）", as exports write a county: the code decides (names repeat across provinces).
        if t.hasSuffix(")") || t.hasSuffix("）"), let open = t.lastIndex(where: { $0 == "(" || $0 == "（" }) {
            let code = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            if code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) { t = code }
        }
        if let r = byCode[t], r.level == .county { return r }
        if let list = byName[t]?.filter({ $0.level == .county }) {
            if list.count == 1 { return list[0] }
            // A name both sides have (白云区 in Guangzhou and in Guiyang): ledgers record the assisted side's counties.
            let west = list.filter { $0.side == .west }
            if west.count == 1 { return west[0] }
            let inPairing = west.filter { r in paired.contains { r.code.hasPrefix($0) } }
            if inPairing.count == 1 { return inPairing[0] }
        }
        // A county's former code or name (盘县, 520222): today's county, whatever the sheet's age.
        if let (_, today) = successor(of: t) { return today }
        for (name, list) in byName where t.hasSuffix(name) && t.count > name.count {
            let head = String(t.dropLast(name.count))
            for r in list where r.level == .county {
                if let p = r.parentCode.flatMap({ byCode[$0] }), p.name == head || byCode[p.parentCode ?? ""].map { $0.name + p.name } == head {
                    return r
                }
            }
        }
        // The prefecture's name before a former county name (六盘水市盘县).
        for (name, list) in formerByName where t.hasSuffix(name) && t.count > name.count {
            let head = String(t.dropLast(name.count))
            for f in list {
                guard let today = f.successor.flatMap({ byCode[$0] }), today.level == .county,
                    let p = today.parentCode.flatMap({ byCode[$0] })
                else { continue }
                if p.name == head || byCode[p.parentCode ?? ""].map({ $0.name + p.name }) == head { return today }
            }
        }
        return nil
    }
}
