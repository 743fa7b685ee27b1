/// How an indicator's value is measured and shown. Money indicators hold fen; the others hold whole counts.
public enum IndicatorUnit: String, Sendable, Codable, CaseIterable {
    case wanYuan = "wan_yuan"  // 万元 (stored as fen)
    case person  // 人
    case personTime = "person_time"  // 人次
    case item  // 个

    public var isMoney: Bool { self == .wanYuan }
}

public enum IndicatorSource: String, Sendable, Codable, CaseIterable {
    case reported
    case ledgerSum = "ledger_sum"
    case ledgerCount = "ledger_count"
}

public struct Indicator: Sendable, Hashable, Codable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var unit: IndicatorUnit
    public var source: IndicatorSource
    /// The ledger an indicator will be computed from once ledgers hold the records (consumption, labour …).
    public var ledger: String?
    public var workArea: WorkArea
    public var higherIsBetter: Bool

    public func name(_ locale: Language) -> String { locale == .zh ? nameZh : nameEn }

    /// Display of a stored value in the indicator's unit.
    public func format(_ value: Int64) -> String {
        unit.isMoney ? Money(fen: value).wanText : groupThousands(String(value.magnitude)).withSign(value < 0)
    }

    /// Parses a user-typed value in the indicator's display unit (万元 for money).
    /// A value as people type it: full-width or half-width digits, thousands separators (, ， or spaces), and a
    /// trailing unit — 万元/万 (the unit itself), 元, 亿元/亿 for amounts; 个, 人, 人次 for counts.
    public func parse(_ text: String) -> Int64? {
        var t = SheetText.normalize(text).filter { !$0.isWhitespace && $0 != "," && $0 != "，" }
        if unit.isMoney {
            for (suffix, factor) in [("亿元", Int64(10_000)), ("亿", 10_000), ("万元", 1), ("万", 1)] where t.hasSuffix(suffix) {
                t.removeLast(suffix.count)
                guard let m = Money.parse(t, unit: .wan) else { return nil }
                let (v, overflow) = m.fen.multipliedReportingOverflow(by: factor)
                return overflow ? nil : v
            }
            if t.hasSuffix("元") { return Money.parse(String(t.dropLast()), unit: .yuan)?.fen }
            return Money.parse(t, unit: .wan)?.fen
        }
        for suffix in ["人次", "个", "人", "家", "项", "户"] where t.hasSuffix(suffix) {
            t.removeLast(suffix.count)
            break
        }
        guard !t.isEmpty, t.count <= 15, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(t)
    }
}

extension String {
    func withSign(_ negative: Bool) -> String { negative ? "-" + self : self }
}

/// The work areas of the 2024 joint conference, in the order it named them.
public enum WorkArea: String, Sendable, Codable, CaseIterable {
    case consolidation  // 巩固拓展脱贫攻坚成果
    case consumption  // 消费协作
    case villages  // 宜居宜业和美乡村
    case industry  // 产业科技协作
    case opening  // 开放合作
    case social  // 社会民生协作

    public func name(_ locale: Language) -> String { Strings.text("workarea.\(rawValue)", locale) }
}

/// The assessment indicators (考核指标) with stable codes. Codes never change once published; names may.
public enum IndicatorCatalogue {
    public static let all: [Indicator] = [
        .init(
            code: "fiscal_aid", nameZh: "财政援助资金", nameEn: "Fiscal aid", unit: .wanYuan, source: .reported,
            ledger: nil, workArea: .consolidation, higherIsBetter: true),
        .init(
            code: "fiscal_aid_key_counties", nameZh: "投向重点帮扶县财政援助资金", nameEn: "Fiscal aid to key assisted counties",
            unit: .wanYuan, source: .reported, ledger: nil, workArea: .consolidation, higherIsBetter: true),
        .init(
            code: "donations_cash", nameZh: "社会帮扶资金（现金）", nameEn: "Social donations (cash)", unit: .wanYuan,
            source: .ledgerSum, ledger: "donations", workArea: .social, higherIsBetter: true),
        .init(
            code: "donations_in_kind", nameZh: "社会帮扶物资折款", nameEn: "Social donations (in kind, valued)",
            unit: .wanYuan, source: .ledgerSum, ledger: "donations", workArea: .social, higherIsBetter: true),
        .init(
            code: "officials_seconded", nameZh: "党政干部挂职", nameEn: "Officials on secondment", unit: .person,
            source: .ledgerCount, ledger: "exchanges", workArea: .social, higherIsBetter: true),
        .init(
            code: "professionals_exchanged", nameZh: "专业技术人才交流", nameEn: "Professionals exchanged",
            unit: .personTime, source: .ledgerCount, ledger: "exchanges", workArea: .social, higherIsBetter: true),
        .init(
            code: "parks_cobuilt", nameZh: "共建产业园区", nameEn: "Co-built industrial parks", unit: .item,
            source: .ledgerCount, ledger: "parks", workArea: .industry, higherIsBetter: true),
        .init(
            code: "enterprises_invested", nameZh: "引导企业到西部投资", nameEn: "Enterprises guided to invest",
            unit: .item, source: .ledgerCount, ledger: "investment", workArea: .opening, higherIsBetter: true),
        .init(
            code: "investment_amount", nameZh: "企业实际投资额", nameEn: "Amount invested by enterprises",
            unit: .wanYuan, source: .ledgerSum, ledger: "investment", workArea: .opening, higherIsBetter: true),
        .init(
            code: "consumption_amount", nameZh: "采购和帮助销售西部产品", nameEn: "Western products purchased or sold",
            unit: .wanYuan, source: .ledgerSum, ledger: "consumption", workArea: .consumption, higherIsBetter: true),
        .init(
            code: "workers_placed", nameZh: "帮助农村劳动力就业", nameEn: "Rural workers placed in jobs",
            unit: .person, source: .ledgerCount, ledger: "labour", workArea: .social, higherIsBetter: true),
        .init(
            code: "workers_formerly_poor", nameZh: "其中：脱贫劳动力", nameEn: "of whom formerly poor workers",
            unit: .person, source: .ledgerCount, ledger: "labour", workArea: .social, higherIsBetter: true),
        .init(
            code: "villages_paired", nameZh: "村企（村社）结对", nameEn: "Villages paired with enterprises or organisations",
            unit: .item, source: .ledgerCount, ledger: "pairs", workArea: .villages, higherIsBetter: true),
        .init(
            code: "demo_villages", nameZh: "示范村建设", nameEn: "Demonstration villages", unit: .item,
            source: .reported, ledger: nil, workArea: .villages, higherIsBetter: true),
    ]

    public static let byCode: [String: Indicator] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
}
