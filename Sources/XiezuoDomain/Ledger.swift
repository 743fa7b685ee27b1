/// The cooperation ledgers (台账): one definition per ledger drives its table, form, list, import and export, so the
/// eight ledgers share every rule. Labels live in the string tables (`ledger_<name>`, `lf_<name>_<field>`,
/// `lc_<choice>`); the Chinese header synonyms here are data for reading offices' sheets.
public enum LedgerName: String, Sendable, Codable, CaseIterable {
    case consumption, labour, investment, parks, exchanges, pairs, donations, services

    public var definition: LedgerDefinition { LedgerCatalogue.definition(self) }
    public func title(_ lang: Language) -> String { Strings.text("ledger_\(rawValue)", lang) }
}

public enum LedgerFieldKind: Sendable, Hashable {
    case text(max: Int)
    case county  // a county-level region: code or name in a sheet, code when stored
    case date  // stored "YYYY-MM-DD"
    case money(Money.Unit)  // stored as fen; shown in the unit given
    case integer
    case flag  // 是 / 否, stored "1" / "0"
    case choice([String])  // stored as the choice code; shown as its label `lc_<code>`
    case idNumber  // 居民身份证号码: checked, encrypted at rest, masked on screen
    case phone  // encrypted at rest, masked on screen

    public var isPersonal: Bool { self == .idNumber || self == .phone }
}

public struct LedgerField: Sendable, Hashable {
    public var key: String
    public var kind: LedgerFieldKind
    public var required: Bool
    /// Part of the natural key: two rows with the same key are the same record.
    public var inKey: Bool
    /// Other headers offices use for this column (besides the Chinese label itself).
    public var synonyms: [String]

    public init(_ key: String, _ kind: LedgerFieldKind, required: Bool = false, key inKey: Bool = false, _ synonyms: [String] = []) {
        self.key = key
        self.kind = kind
        self.required = required
        self.inKey = inKey
        self.synonyms = synonyms
    }
}

/// What one stored row adds to an indicator (in the indicator's unit: fen or a count).
public struct LedgerMeasure: Sendable, Hashable {
    public var indicatorCode: String
    public var value: Int64
    public init(_ indicatorCode: String, _ value: Int64) {
        self.indicatorCode = indicatorCode
        self.value = value
    }
}

public struct LedgerDefinition: Sendable {
    public var name: LedgerName
    public var fields: [LedgerField]
    /// The county a row belongs to (whose office keeps it, whose figures it counts in).
    public var countyField: String
    /// The date that places a row in a year.
    public var dateField: String
    /// Columns the list shows by default.
    public var listed: [String]
    let measure: @Sendable (LedgerDefinition, [String]) -> [LedgerMeasure]

    public func index(_ key: String) -> Int? { fields.firstIndex { $0.key == key } }
    public func field(_ key: String) -> LedgerField? { index(key).map { fields[$0] } }
    public func label(_ key: String, _ lang: Language) -> String { Strings.text("lf_\(name.rawValue)_\(key)", lang) }

    /// The indicators a row with these canonical values adds to.
    public func measures(_ values: [String]) -> [LedgerMeasure] { measure(self, values) }

    /// The indicator codes this ledger feeds.
    public var indicatorCodes: [String] { IndicatorCatalogue.all.filter { $0.ledger == name.rawValue }.map(\.code) }

    public func value(_ values: [String], _ key: String) -> String { index(key).map { values[$0] } ?? "" }
}

public enum LedgerCatalogue {
    public static let channels = ["platform832", "canteen", "fair", "ecommerce", "wholesale", "other"]

    public static func definition(_ name: LedgerName) -> LedgerDefinition { all[name]! }

    static let all: [LedgerName: LedgerDefinition] = {
        var d: [LedgerName: LedgerDefinition] = [:]
        d[.consumption] = LedgerDefinition(
            name: .consumption,
            fields: [
                .init("product", .text(max: 100), required: true, key: true, ["产品", "商品名称", "商品", "品名", "产品名"]),
                .init("category", .text(max: 50), ["类别", "品类", "产品类型", "商品类别"]),
                .init("supplier", .text(max: 100), required: true, key: true, ["供货企业名称", "供应商", "供货主体", "销售企业", "生产企业"]),
                .init("county", .county, required: true, ["企业所在县", "所在县", "县（市、区）", "县市区", "区县", "县区", "产地县", "所属县"]),
                .init("buyer", .text(max: 100), required: true, key: true, ["采购单位", "购买方", "采购主体", "采购方名称", "购买单位"]),
                .init("channel", .choice(channels), required: true, key: true, ["销售渠道", "采购渠道", "采购方式", "渠道类型"]),
                // A purchase is kept in 元, as offices write it; the indicator adds them up in 万元.
                .init("amount", .money(.yuan), required: true, ["采购金额", "销售金额", "交易金额", "金额"]),
                .init("date", .date, required: true, key: true, ["采购日期", "交易日期", "销售日期", "时间", "日期"]),
            ], countyField: "county", dateField: "date", listed: ["product", "supplier", "county", "buyer", "channel", "amount", "date"],
            measure: { d, v in [LedgerMeasure("consumption_amount", Int64(d.value(v, "amount")) ?? 0)] })
        d[.labour] = LedgerDefinition(
            name: .labour,
            fields: [
                .init("name", .text(max: 50), required: true, ["姓名", "劳动力姓名", "务工人员姓名", "务工人员"]),
                .init("idNumber", .idNumber, required: true, key: true, ["身份证号", "身份证", "身份证号码", "公民身份号码", "证件号码"]),
                .init("phone", .phone, ["联系电话", "手机号码", "手机号", "电话", "手机"]),
                .init("county", .county, required: true, ["户籍县", "户籍所在县", "来源县", "所在县", "县（市、区）", "县市区", "区县", "户籍县代码", "县代码", "区县代码"]),
                .init("formerlyPoor", .flag, ["是否脱贫人口", "是否脱贫劳动力", "脱贫人口", "脱贫劳动力", "是否脱贫户"]),
                .init("employer", .text(max: 100), required: true, key: true, ["就业单位", "用工单位", "就业企业", "工作单位", "务工单位", "务工企业", "用工企业", "就业单位名称"]),
                .init(
                    "city", .text(max: 50), required: true, ["就业城市", "务工地", "就业地", "就业地点", "务工城市", "就业地区", "务工地区", "输入地", "外出务工地", "工作地点", "工作城市"]),
                .init("startDate", .date, required: true, key: true, ["就业时间", "入职时间", "上岗时间", "就业日期", "入职日期"]),
                .init("months", .integer, ["就业月数", "务工月数", "就业时长（月）", "务工时长（月）"]),
                .init("wage", .money(.yuan), ["月工资", "月收入", "月均工资", "月均收入"]),
            ], countyField: "county", dateField: "startDate",
            listed: ["name", "idNumber", "county", "formerlyPoor", "employer", "city", "startDate"],
            measure: { d, v in
                var m = [LedgerMeasure("workers_placed", 1)]
                if d.value(v, "formerlyPoor") == "1" { m.append(LedgerMeasure("workers_formerly_poor", 1)) }
                return m
            })
        d[.investment] = LedgerDefinition(
            name: .investment,
            fields: [
                .init("enterprise", .text(max: 100), required: true, key: true, ["企业名称", "投资企业", "企业", "投资主体"]),
                .init("project", .text(max: 100), required: true, key: true, ["投资项目", "项目名称", "项目"]),
                .init("county", .county, required: true, ["落地县", "所在县", "投资地", "县（市、区）", "县市区", "区县"]),
                .init("park", .text(max: 100), ["所在园区", "共建园区", "园区", "入驻园区"]),
                .init("amount", .money(.wan), required: true, ["实际投资额", "投资额", "到位资金", "投资金额", "实际到位资金"]),
                .init("date", .date, required: true, ["到位时间", "投资时间", "签约时间", "日期"]),
            ], countyField: "county", dateField: "date", listed: ["enterprise", "project", "county", "park", "amount", "date"],
            measure: { d, v in [LedgerMeasure("enterprises_invested", 1), LedgerMeasure("investment_amount", Int64(d.value(v, "amount")) ?? 0)] })
        d[.parks] = LedgerDefinition(
            name: .parks,
            fields: [
                .init("name", .text(max: 100), required: true, key: true, ["园区名称", "园区", "共建园区名称", "共建园区"]),
                .init("county", .county, required: true, ["所在县", "园区所在县", "县（市、区）", "县市区", "区县"]),
                .init("eastPartner", .text(max: 100), ["东部共建方", "广东共建方", "共建单位", "东部合作方"]),
                .init("established", .date, required: true, ["挂牌时间", "成立时间", "共建时间", "日期"]),
                .init("enterprises", .integer, ["入园企业数", "入驻企业数", "入驻企业", "企业数"]),
                .init("investment", .money(.wan), ["累计投资额", "投资额", "累计投资"]),
            ], countyField: "county", dateField: "established",
            listed: ["name", "county", "eastPartner", "established", "enterprises", "investment"],
            measure: { _, _ in [LedgerMeasure("parks_cobuilt", 1)] })
        d[.exchanges] = LedgerDefinition(
            name: .exchanges,
            fields: [
                .init("name", .text(max: 50), required: true, key: true, ["姓名", "人员姓名"]),
                .init("kind", .choice(["official", "professional"]), required: true, key: true, ["人员类别", "类别", "类型"]),
                .init("from", .text(max: 100), required: true, ["派出单位", "原单位", "派出地"]),
                .init("to", .text(max: 100), required: true, ["接收单位", "挂职单位", "派驻单位", "接收地"]),
                .init("county", .county, required: true, ["接收县", "所在县", "县（市、区）", "县市区", "区县"]),
                .init("field", .text(max: 50), ["领域", "专业领域", "行业", "专业"]),
                .init("start", .date, required: true, key: true, ["开始时间", "挂职开始时间", "到岗时间", "开始日期"]),
                .init("end", .date, ["结束时间", "挂职结束时间", "离岗时间", "结束日期"]),
            ], countyField: "county", dateField: "start", listed: ["name", "kind", "from", "to", "county", "field", "start", "end"],
            measure: { d, v in [LedgerMeasure(d.value(v, "kind") == "official" ? "officials_seconded" : "professionals_exchanged", 1)] })
        d[.pairs] = LedgerDefinition(
            name: .pairs,
            fields: [
                .init("unitKind", .choice(["village", "school", "hospital"]), required: true, key: true, ["结对类型", "受援类型", "受援单位类型"]),
                .init("unit", .text(max: 100), required: true, key: true, ["受援单位", "结对村", "被结对单位", "受援村（校、院）"]),
                .init("county", .county, required: true, ["所在县", "县（市、区）", "县市区", "区县"]),
                .init("partnerKind", .choice(["enterprise", "organisation", "school", "hospital"]), required: true, ["帮扶方类型", "结对方类型"]),
                .init("partner", .text(max: 100), required: true, key: true, ["帮扶方", "帮扶单位", "结对单位", "结对企业"]),
                .init("date", .date, required: true, ["结对时间", "签约时间", "日期"]),
                .init("funds", .money(.wan), ["帮扶资金", "投入资金", "资金"]),
            ], countyField: "county", dateField: "date", listed: ["unitKind", "unit", "county", "partnerKind", "partner", "date", "funds"],
            measure: { d, v in d.value(v, "unitKind") == "village" ? [LedgerMeasure("villages_paired", 1)] : [] })
        d[.donations] = LedgerDefinition(
            name: .donations,
            fields: [
                .init("donor", .text(max: 100), required: true, key: true, ["捐赠方", "捐赠单位", "捐赠人", "捐赠企业"]),
                .init("kind", .choice(["cash", "inKind"]), required: true, key: true, ["捐赠类型", "捐赠方式", "类型"]),
                .init("item", .text(max: 100), key: true, ["物资名称", "捐赠物资", "物资"]),
                .init("amount", .money(.yuan), required: true, ["捐赠金额", "金额（折价）", "折款", "折价", "价值", "金额"]),
                .init("county", .county, required: true, ["受赠县", "受益县", "所在县", "县（市、区）", "县市区", "区县"]),
                .init("recipient", .text(max: 100), ["受赠单位", "受益单位", "接收单位"]),
                .init("date", .date, required: true, key: true, ["捐赠日期", "捐赠时间", "日期", "时间"]),
            ], countyField: "county", dateField: "date", listed: ["donor", "kind", "item", "amount", "county", "recipient", "date"],
            measure: { d, v in
                let fen = Int64(d.value(v, "amount")) ?? 0
                return [LedgerMeasure(d.value(v, "kind") == "cash" ? "donations_cash" : "donations_in_kind", fen)]
            })
        d[.services] = LedgerDefinition(
            name: .services,
            fields: [
                .init("item", .text(max: 100), required: true, key: true, ["事项名称", "通办事项", "事项"]),
                .init("department", .text(max: 100), ["办理部门", "部门", "主管部门"]),
                .init("county", .county, required: true, key: true, ["所在县", "县（市、区）", "县市区", "区县"]),
                .init("period", .date, required: true, key: true, ["统计月份", "月份", "统计期间", "统计时间"]),
                .init("uses", .integer, required: true, ["办件量", "办理量", "使用次数", "办件数"]),
            ], countyField: "county", dateField: "period", listed: ["item", "department", "county", "period", "uses"],
            measure: { _, _ in [] })
        return d
    }()
}

/// Masks of personal data for screens and exports: enough to tell rows apart, not enough to use.
public enum PersonalMask {
    public static func mask(_ value: String, _ kind: LedgerFieldKind) -> String {
        guard !value.isEmpty else { return "" }
        let chars = Array(value)
        switch kind {
        case .idNumber:
            guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
            return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
        case .phone:
            guard chars.count > 7 else { return String(repeating: "*", count: chars.count) }
            return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
        default: return value
        }
    }
}

extension LedgerCatalogue {
    /// The rows behind a ledger-sourced indicator: its ledger and the field values that select them.
    public static func rows(of indicatorCode: String) -> (LedgerName, [String: String])? {
        switch indicatorCode {
        case "consumption_amount": return (.consumption, [:])
        case "workers_placed": return (.labour, [:])
        case "workers_formerly_poor": return (.labour, ["formerlyPoor": "1"])
        case "enterprises_invested", "investment_amount": return (.investment, [:])
        case "parks_cobuilt": return (.parks, [:])
        case "officials_seconded": return (.exchanges, ["kind": "official"])
        case "professionals_exchanged": return (.exchanges, ["kind": "professional"])
        case "villages_paired": return (.pairs, ["unitKind": "village"])
        case "donations_cash": return (.donations, ["kind": "cash"])
        case "donations_in_kind": return (.donations, ["kind": "inKind"])
        default: return nil
        }
    }
}

extension AccessRule {
    /// Ledger rows are kept by both sides: an office records rows for the counties it may read (its own scope, and
    /// for an eastern office the western regions it assists). Viewers never write.
    public static func canWriteLedger(_ user: UserAccount, countyCode: String, readable: [String]?) -> Bool {
        user.state == .active && user.role != .viewer && canRead(readable, regionCode: countyCode)
    }

    /// Full ID numbers and phones: administrators, and offices whose own scope holds the worker's county (the
    /// western office that registered the worker). Everyone else sees them masked.
    public static func canSeePersonalData(_ user: UserAccount, countyCode: String) -> Bool {
        guard user.state == .active, user.role != .viewer else { return false }
        return user.role == .admin || countyCode.hasPrefix(user.scopePrefix)
    }
}
