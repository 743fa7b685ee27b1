import SQLKit
import XiezuoDomain

/// Demo ledger rows for 2024, all approved, so the ledger-sourced indicators of the demo dashboard have rows behind
/// them. Every name, enterprise and ID number is invented (ID numbers are made valid so the rows pass the checks);
/// the labour ledger holds a sample of a few thousand workers, not the hundreds of thousands an office keeps.
extension Store {
    func loadDemoLedgers(_ db: any SQLDatabase, counties: [Region], actor: Actor) async throws {
        let cipher = try self.cipher
        try await Self.checkDataKey(db, cipher)
        var rng = SplitMix64(seed: 2024_12_31)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func between(_ lo: Int, _ hi: Int) -> Int { lo + Int(rng.next() % UInt64(hi - lo + 1)) }
        func day() -> String { Day(year: 2024, month: between(1, 10), day: between(1, 28))!.description }
        func wan(_ lo: Int, _ hi: Int) -> String { String(Int64(between(lo * 100, hi * 100)) * 10_000) }  // fen, to the hundred yuan
        let short = counties.map { ($0.code, Self.shortName($0.name)) }
        let buyers = [
            "广州市机关事务管理局食堂", "深圳市某中学食堂", "佛山市某医院食堂", "东莞市某制造企业员工食堂", "珠海市农产品批发市场",
            "中山市某连锁超市", "广东省某国有企业工会", "广州江南果菜批发市场",
        ]
        let products = [
            ("刺梨汁", "饮品"), ("红心猕猴桃", "水果"), ("都匀毛尖", "茶叶"), ("辣椒酱", "调味品"), ("黄牛肉", "肉类"),
            ("食用菌", "蔬菜"), ("富硒大米", "粮油"), ("高山蔬菜", "蔬菜"), ("蓝莓", "水果"), ("腊肉", "肉类"),
        ]
        let employers = ["佛山某电器厂", "东莞某电子厂", "广州某物流公司", "深圳某服装厂", "中山某灯饰厂", "珠海某家电企业"]
        let cities = ["佛山市", "东莞市", "广州市", "深圳市", "中山市", "珠海市"]
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗龙杨吴潘石")
        let given = Array("明华芳军丽强敏静磊洋艳勇娟涛超秀英兰平刚桂梅")
        var rows: [LedgerName: [[String]]] = [:]
        for i in 0..<600 {
            let (code, name) = pick(short)
            let (product, category) = pick(products)
            rows[.consumption, default: []].append([
                product, category, "\(name)\(["绿源", "山地", "丰收", "黔味"][i % 4])农业发展有限公司", code,
                pick(buyers), pick(LedgerCatalogue.channels), wan(50, 4000), day(),
            ])
        }
        for i in 0..<3000 {
            let (code, _) = pick(short)
            let first17 =
                code + String(between(1970, 2004)) + String(format: "%02d%02d", between(1, 12), between(1, 28)) + String(format: "%03d", i % 1000)
            let id = first17 + String(IDNumber.checkCharacter(first17))
            rows[.labour, default: []].append([
                "\(pick(surnames))\(pick(given))\(pick(given))", id, "139\(String(format: "%08d", between(0, 99_999_999)))",
                code, between(0, 9) < 4 ? "1" : "0", pick(employers), pick(cities), day(),
                String(between(3, 12)), String(between(3800, 7200) * 100),
            ])
        }
        for i in 0..<160 {
            let (code, name) = pick(short)
            rows[.investment, default: []].append([
                "广东\(["华粤", "南海", "珠江", "岭南"][i % 4])实业有限公司\(i + 1)号项目方", "\(name)\(pick(["食品加工", "电子配件", "纺织服装", "新材料"]))项目",
                code, i % 3 == 0 ? "\(name)粤黔共建产业园" : "", wan(1000, 10000), day(),
            ])
        }
        for (i, (code, name)) in short.prefix(30).enumerated() {
            rows[.parks, default: []].append([
                "\(name)粤黔共建产业园", code, ["广州市", "佛山市", "东莞市", "珠海市", "中山市"][i % 5] + "对口协作办",
                "2024-0\(between(1, 9))-1\(between(0, 9))", String(between(5, 60)), wan(5000, 60000),
            ])
        }
        for i in 0..<2940 {
            let (code, name) = pick(short)
            let official = i < 340
            let start = Day(year: 2024, month: between(1, 9), day: 1)!
            rows[.exchanges, default: []].append([
                "\(pick(surnames))\(pick(given))\(pick(given))", official ? "official" : "professional",
                "广东省\(pick(["教育", "卫生健康", "农业农村", "人力资源", "商务"]))系统", "\(name)\(official ? "人民政府" : pick(["人民医院", "第一中学", "农业农村局"]))",
                code, official ? "党政" : pick(["教育", "医疗", "农业", "科技"]), start.description,
                Day(year: official ? 2026 : 2025, month: start.month, day: 1)!.description,
            ])
        }
        for i in 0..<1400 {
            let (code, name) = pick(short)
            let kind = i < 1200 ? "village" : (i % 2 == 0 ? "school" : "hospital")
            let unit = kind == "village" ? "\(name)第\(i + 1)村" : (kind == "school" ? "\(name)第\(i % 50 + 1)小学" : "\(name)第\(i % 30 + 1)卫生院")
            let partnerKind = kind == "village" ? (i % 3 == 0 ? "organisation" : "enterprise") : kind
            let partner =
                partnerKind == "enterprise"
                ? "广东\(pick(["美", "粤", "珠", "穗"]))企业\(i % 200 + 1)号"
                : (partnerKind == "organisation" ? "广东省某慈善会\(i % 20 + 1)分会" : "广州市结对\(kind == "school" ? "学校" : "医院")\(i % 40 + 1)")
            rows[.pairs, default: []].append([kind, unit, code, partnerKind, partner, day(), wan(5, 80)])
        }
        for i in 0..<700 {
            let (code, name) = pick(short)
            let cash = i < 400
            rows[.donations, default: []].append([
                "广东\(pick(["福", "善", "爱", "诚"]))基金会\(i % 60 + 1)", cash ? "cash" : "inKind", cash ? "" : pick(["校服", "医疗设备", "图书", "农资"]) + "\(i)批",
                cash ? wan(40, 200) : wan(20, 120), code, "\(name)\(pick(["教育局", "卫生健康局", "乡村振兴局"]))", day(),
            ])
        }
        let items = ["社保卡申领", "养老保险关系转移", "医保异地就医备案", "户口迁移", "就业登记", "驾驶证换证", "个体工商户登记", "住房公积金提取"]
        for (code, _) in short.prefix(20) {
            for item in items {
                for month in 1...10 {
                    rows[.services, default: []].append([
                        item, "\(pick(["人社局", "医保局", "公安局", "市场监管局"]))", code, Day(year: 2024, month: month, day: 1)!.description,
                        String(between(3, 400)),
                    ])
                }
            }
        }
        for (ledger, list) in rows.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let parsed = list.enumerated().map { ParsedLedgerRow(rowNumber: $0.offset + 2, values: $0.element, issues: []) }
            let report = try await runImport(
                db, ledger, commit: true, actor: actor, cipher: cipher, canWrite: { _ in true }, progress: { _ in },
                open: { DemoRows(rows: parsed) })
            precondition(report.rejected == 0, "demo \(ledger) rows rejected: \(report.rows.filter { $0.outcome == .rejected }.prefix(3))")
            var last: Int64 = 0
            while true {
                let batch = try await db.raw(
                    "SELECT * FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND id > \(bind: last) ORDER BY id LIMIT 500"
                ).all()
                    .map { (try Self.record($0, cipher: cipher), try $0.decode(column: "values_json", as: String.self)) }
                guard let end = batch.last else { break }
                try await Self.moveLedgerRows(db, batch, to: .approved, comment: "", action: "approve", actor: actor)
                last = end.0.id
            }
        }
    }
}

struct DemoRows: LedgerRowStream {
    var rows: [ParsedLedgerRow]
    var i = 0
    mutating func nextRow() throws -> ParsedLedgerRow? {
        defer { i += 1 }
        return i < rows.count ? rows[i] : nil
    }
    var fraction: Double { 0 }
}
