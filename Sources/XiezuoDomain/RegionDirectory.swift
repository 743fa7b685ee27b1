/// The regions a sheet may name, by code and by name.
public struct RegionDirectory: Sendable {
    public let byCode: [String: Region]
    let byName: [String: [Region]]

    public init(_ regions: [Region]) {
        byCode = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var names: [String: [Region]] = [:]
        for r in regions { names[r.name, default: []].append(r) }
        byName = names
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
        }
        for (name, list) in byName where t.hasSuffix(name) && t.count > name.count {
            let head = String(t.dropLast(name.count))
            for r in list where r.level == .county {
                if let p = r.parentCode.flatMap({ byCode[$0] }), p.name == head || byCode[p.parentCode ?? ""].map { $0.name + p.name } == head {
                    return r
                }
            }
        }
        return nil
    }
}
