import Testing

@testable import XiezuoDomain

@Suite struct LedgerParsingTests {
    let regions = RegionDirectory([
        Region(code: "520000", name: "贵州省", level: .province, parentCode: nil, side: .west),
        Region(code: "520200", name: "六盘水市", level: .prefecture, parentCode: "520000", side: .west),
        Region(code: "520203", name: "六枝特区", level: .county, parentCode: "520200", side: .west),
        Region(code: "520500", name: "毕节市", level: .prefecture, parentCode: "520000", side: .west),
        Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west),
    ])

    func value(_ text: String, _ ledger: LedgerName, _ field: String, numeric: Bool = false, unit: Money.Unit? = nil) -> Result<String, LedgerProblem>
    {
        LedgerValue.parse(SheetCell(text, numeric: numeric), field: ledger.definition.field(field)!, unit: unit, regions: regions)
    }

    @Test func datesAsOfficesWriteThem() {
        for t in ["2024-06-04", "2024年6月4日", "2024.6.4", "2024/6/4", "２０２４年６月４日", "2024/6/4 0:00:00", "20240604", "45447"] {
            #expect(SheetDate.parse(t, numeric: false)?.description == "2024-06-04", "\(t)")
        }
        #expect(SheetDate.parse("45447", numeric: true)?.description == "2024-06-04")
        #expect(SheetDate.serial(Day(year: 2024, month: 6, day: 4)!) == 45447)
        #expect(SheetDate.parse("2024年6月", numeric: false)?.description == "2024-06-01")
        #expect(SheetDate.parse("2024/2/30", numeric: false) == nil)
        #expect(SheetDate.parse("下周", numeric: false) == nil)
    }

    @Test func amountsToTheFenInEitherUnit() throws {
        #expect(SheetNumber.money("1,234.56", unit: .yuan, numeric: false) == 123_456)
        #expect(SheetNumber.money("１２.５", unit: .wan, numeric: false) == nil)  // full width is normalised before this
        // Each field's own unit where the header names none: a purchase in 元, an investment in 万元.
        #expect(try value("１２.５", .consumption, "amount").get() == "1250")
        #expect(try value("１２.５", .investment, "amount").get() == "12500000")
        #expect(try value("125000", .consumption, "amount", unit: .yuan).get() == "12500000")
        #expect(try value("12.5万元", .consumption, "amount", unit: .yuan).get() == "12500000")
        #expect(try value("1.25E+1", .investment, "amount", numeric: true).get() == "12500000")
        // A sheet's binary float noise rounds to the fen; typed text past the fen is refused.
        #expect(try value("0.30000000000000004", .labour, "wage", numeric: true).get() == "30")
        #expect((try? value("0.305", .labour, "wage").get()) == nil)
        #expect((try? value("十万", .consumption, "amount").get()) == nil)
    }

    @Test func idNumbersAreChecked() throws {
        let first17 = "52020319900101123"
        let good = first17 + String(IDNumber.checkCharacter(first17))
        #expect(IDNumber.problem(good) == nil)
        #expect(try value(" " + good.lowercased() + " ", .labour, "idNumber").get() == good.uppercased())
        let wrongCheck = first17 + (good.last == "0" ? "1" : "0")
        #expect(IDNumber.problem(wrongCheck) == "ledger.id_check")
        #expect(IDNumber.problem("520203199013011234") == "ledger.id_birth")
        #expect(IDNumber.problem("520203900101123") == "ledger.id_old")
        #expect(IDNumber.problem("5202031990010112") == "ledger.id_length")
        #expect(throws: LedgerProblem("ledger.id_numeric")) { try value("5.20203199001011E+17", .labour, "idNumber", numeric: true).get() }
    }

    @Test func countiesByCodeOrName() throws {
        #expect(try value("六枝特区", .labour, "county").get() == "520203")
        #expect(try value("六盘水市六枝特区", .labour, "county").get() == "520203")
        #expect(try value("520525", .labour, "county").get() == "520525")
        #expect((try? value("毕节市", .labour, "county").get()) == nil)  // a prefecture is not a county
    }

    @Test func headerUnderTitleRowsWithSynonymsAndUnits() throws {
        let d = LedgerName.consumption.definition
        var reader = LedgerSheetReader(definition: d, regions: regions)
        let rows: [[SheetCell]] = [
            [SheetCell("2024年消费协作台账")], [],
            [
                SheetCell("序号"), SheetCell("品名"), SheetCell("供应商"), SheetCell("所在县"), SheetCell("采购单位"),
                SheetCell("销售渠道"), SheetCell("采购金额（元）"), SheetCell("采购日期"),
            ],
            [
                SheetCell("1", numeric: true), SheetCell("刺梨汁"), SheetCell("六枝特区天润公司"), SheetCell("六枝特区"), SheetCell("广州市某中学食堂"),
                SheetCell("食堂"), SheetCell("１２,３４５.６"), SheetCell("45447", numeric: true),
            ],
            [SheetCell("合计"), SheetCell(""), SheetCell(""), SheetCell(""), SheetCell(""), SheetCell(""), SheetCell("12345.6", numeric: true)],
        ]
        var out: [ParsedLedgerRow] = []
        for (i, r) in rows.enumerated() { out += try reader.feed(rowNumber: i + 1, r) }
        try reader.finish()
        #expect(out.count == 1)
        let row = try #require(out.first)
        #expect(row.rowNumber == 4 && row.issues.isEmpty)
        #expect(d.value(row.values, "amount") == "1234560" && d.value(row.values, "channel") == "canteen")
        #expect(d.value(row.values, "date") == "2024-06-04" && d.value(row.values, "county") == "520203")
        #expect(d.measures(row.values) == [LedgerMeasure("consumption_amount", 1_234_560)])
    }

    @Test func missingRequiredColumnIsNamed() {
        let reader = LedgerSheetReader(definition: LedgerName.labour.definition, regions: regions)
        var r = reader
        _ = try? r.feed(rowNumber: 1, [SheetCell("姓名"), SheetCell("户籍县"), SheetCell("就业单位"), SheetCell("就业城市"), SheetCell("就业时间")])
        #expect(throws: CellIssue(column: "", key: "ledger.missing_columns", params: ["身份证号码"])) { try r.finish() }
    }

    @Test func masks() {
        #expect(PersonalMask.mask("52020319900101123X", .idNumber) == "520203********123X")
        #expect(PersonalMask.mask("13812345678", .phone) == "138****5678")
    }
}

@Suite struct CountyNameTests {
    @Test func aNameBothSidesHaveIsTheWesternCountyAndEasternCountiesAreRefused() throws {
        let regions = RegionDirectory([
            Region(code: "440111", name: "白云区", level: .county, parentCode: "440100", side: .east),
            Region(code: "520113", name: "白云区", level: .county, parentCode: "520100", side: .west),
            Region(code: "440606", name: "顺德区", level: .county, parentCode: "440600", side: .east),
        ])
        let f = LedgerName.labour.definition.field("county")!
        #expect(try LedgerValue.parse(SheetCell("白云区"), field: f, regions: regions).get() == "520113")
        #expect(throws: LedgerProblem("ledger.not_west")) { try LedgerValue.parse(SheetCell("顺德区"), field: f, regions: regions).get() }
        #expect(throws: LedgerProblem("ledger.not_west")) { try LedgerValue.parse(SheetCell("440111"), field: f, regions: regions).get() }
    }
}

/// Headers as offices write them, which a person reads at once.
@Suite struct HeaderVariantTests {
    func columns(_ headers: [String], _ ledger: LedgerName) -> [String: Int]? {
        let d = ledger.definition
        guard case .success(let h) = SheetHeader.detect([headers.map { SheetCell($0) }], definition: d) else { return nil }
        return Dictionary(uniqueKeysWithValues: h.columns.map { (d.fields[$0.value].key, $0.key) })
    }

    @Test func aTwoRowHeaderWithGroupHeadingsAndFieldsMergedDownIsRead() throws {
        // Row 1: fields merged down over two rows (text above, empty below) and group headings over their columns.
        let top = ["序号", "姓名", "身份证号码", "户籍县", "是否脱贫人口", "就业情况", "", "", "备注"]
        let below = ["", "", "", "", "", "就业单位", "就业城市", "就业时间", ""]
        let d = LedgerName.labour.definition
        guard case .success(let h) = SheetHeader.detect([top, below].map { $0.map { SheetCell($0) } }, definition: d) else {
            Issue.record("two-row header refused")
            return
        }
        let c = Dictionary(uniqueKeysWithValues: h.columns.map { (d.fields[$0.value].key, $0.key) })
        #expect(h.rowIndex == 1 && c["name"] == 1 && c["idNumber"] == 2 && c["employer"] == 5 && c["startDate"] == 7)
        #expect(h.ignored[8] == "备注")
    }

    @Test func qualifiersUnitsWidthsAndAlternativesAreRead() throws {
        let c = try #require(columns(["序号", "产品名称（规格）", "供货企业 ", "县(区)", "采购单位/个人", "渠道", "金额(元)", "日期*"], .consumption))
        #expect(c["county"] == 3 && c["buyer"] == 4 && c["amount"] == 6 && c["date"] == 7 && c["product"] == 1)
        let l = try #require(columns(["姓名", "身份证号码(18位)", "户籍县（市、区）", "是否脱贫人口（含监测对象）", "就业单位", "务工地区", "就业时间"], .labour))
        #expect(l["city"] == 5 && l["county"] == 2 && l["formerlyPoor"] == 3 && l["idNumber"] == 1)
        // The unit a header names still decides how amounts are read.
        let d = LedgerName.consumption.definition
        guard
            case .success(let h) = SheetHeader.detect(
                [["产品名称", "供货企业", "企业所在县", "采购方", "渠道", "金额（元）", "日期"].map { SheetCell($0) }],
                definition: d)
        else {
            Issue.record("not read")
            return
        }
        #expect(h.units[5] == .yuan)
    }

    @Test func textIsKeptAsTheOfficeWroteIt() {
        let field = LedgerField("product", .text(max: 100))
        let r = LedgerValue.parse(SheetCell("\u{200B} 白茶（礼盒装）\u{3000}"), field: field, regions: RegionDirectory([]))
        #expect(r == .success("白茶（礼盒装）"))
    }
}
