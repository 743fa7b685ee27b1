public struct LedgerProblem: Error, Sendable, Hashable {
    public var key: String
    public var params: [String]
    public init(_ key: String, _ params: [String] = []) {
        self.key = key
        self.params = params
    }
}

public enum LedgerValue {
    /// The canonical stored text of one cell for a field, "" for a blank cell, or the reason it cannot be read.
    public static func parse(
        _ cell: SheetCell, field: LedgerField, unit: Money.Unit? = nil, regions: RegionDirectory
    ) -> Result<String, LedgerProblem> {
        let raw = SheetText.normalize(cell.text)
        if raw.isEmpty { return .success("") }
        switch field.kind {
        case .text(let max):
            let t = SheetText.tidy(cell.text).split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            if t.count > max { return .failure(LedgerProblem("ledger.too_long", [String(max)])) }
            if t.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) { return .failure(LedgerProblem("error.control_chars")) }
            return .success(t)
        case .county:
            guard let r = regions.county(raw) else { return .failure(LedgerProblem("ledger.bad_county")) }
            // Every ledger row belongs to an assisted (western) county, whichever side keeps the ledger.
            guard r.side == .west else { return .failure(LedgerProblem("ledger.not_west")) }
            return .success(r.code)
        case .date:
            guard let d = SheetDate.parse(raw, numeric: cell.numeric) else { return .failure(LedgerProblem("ledger.bad_date")) }
            return .success(d.description)
        case .money(let own):
            return SheetNumber.money(raw, unit: unit ?? own, numeric: cell.numeric).map { .success(String($0)) }
                ?? .failure(LedgerProblem("ledger.bad_amount"))
        case .integer:
            guard let n = SheetNumber.integer(raw), n >= 0 else { return .failure(LedgerProblem("ledger.bad_integer")) }
            return .success(String(n))
        case .flag:
            if ["是", "y", "yes", "1", "true", "√", "✓", "是的"].contains(raw.lowercased()) { return .success("1") }
            if ["否", "n", "no", "0", "false", "×", "不是"].contains(raw.lowercased()) { return .success("0") }
            return .failure(LedgerProblem("ledger.bad_flag"))
        case .choice(let codes):
            let t = raw.lowercased()
            for c in codes {
                let names = [c.lowercased(), Strings.text("lc_\(c)", .zh), Strings.text("lc_\(c)", .en).lowercased()] + (choiceSynonyms[c] ?? [])
                if names.contains(t) { return .success(c) }
            }
            return .failure(LedgerProblem("ledger.bad_choice"))
        case .idNumber:
            if cell.numeric { return .failure(LedgerProblem("ledger.id_numeric")) }
            let t = raw.uppercased().filter { !$0.isWhitespace }
            if let problem = IDNumber.problem(t) { return .failure(LedgerProblem(problem)) }
            return .success(t)
        case .phone:
            let t = raw.filter { !$0.isWhitespace }
            let digits = t.filter { $0 != "-" }
            guard (7...13).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .failure(LedgerProblem("ledger.bad_phone"))
            }
            return .success(t)
        }
    }

    /// Other ways offices write the choices.
    static let choiceSynonyms: [String: [String]] = [
        "platform832": ["832", "832平台", "脱贫地区农副产品网络销售平台", "832网络销售平台"],
        "canteen": ["食堂", "机关食堂", "食堂采购", "单位食堂"],
        "fair": ["展销会", "展会", "产销对接会", "博览会"],
        "ecommerce": ["电商", "电子商务", "网络销售", "直播带货"],
        "wholesale": ["批发", "批发市场", "农批市场"],
        "other": ["其他", "其它"],
        "official": ["党政干部", "干部", "挂职干部"],
        "professional": ["专业技术人才", "专技人才", "专业人才"],
        "village": ["村"], "school": ["学校", "校"], "hospital": ["医院", "院"],
        "enterprise": ["企业"], "organisation": ["社会组织", "社会团体"],
        "cash": ["资金", "现金", "款"], "inKind": ["物资", "实物"],
    ]

    /// How a canonical value is shown (and exported) in a language: choices by name, money in the field's unit,
    /// flags as 是/否. Personal data is masked unless `reveal`.
    public static func display(_ value: String, field: LedgerField, lang: Language, reveal: Bool = false) -> String {
        guard !value.isEmpty else { return "" }
        switch field.kind {
        case .money(let unit):
            guard let fen = Int64(value) else { return value }
            return unit == .wan ? Money(fen: fen).wanPlain : Money(fen: fen).yuanPlain
        case .flag: return Strings.text(value == "1" ? "yes" : "no", lang)
        case .choice: return Strings.text("lc_\(value)", lang)
        case .idNumber, .phone: return reveal ? value : PersonalMask.mask(value, field.kind)
        default: return value
        }
    }
}

extension Money {
    /// Exact amount in 万元 without grouping or trailing zeros past the two shown decimals ("12.5", "0.000123").
    public var wanPlain: String { Money.plain(fen, digits: 6) }
    /// Exact amount in 元 without grouping ("1234.5").
    public var yuanPlain: String { Money.plain(fen, digits: 2) }

    static func plain(_ v: Int64, digits: Int) -> String {
        let div = UInt64(digits == 6 ? Money.fenPerWan : Money.fenPerYuan)
        let a = v.magnitude
        var frac = String(a % div)
        frac = String(repeating: "0", count: digits - frac.count) + frac
        while frac.last == "0" { frac.removeLast() }
        return (v < 0 ? "-" : "") + String(a / div) + (frac.isEmpty ? "" : "." + frac)
    }
}
