import Testing

@testable import XiezuoDomain

@Suite struct MoneyTests {
    @Test func parsesYuanExactlyToTheFen() {
        #expect(Money.parse("1,234.56")?.fen == 123_456)
        #expect(Money.parse("0.1")?.fen == 10)
        #expect(Money.parse(" 7 ")?.fen == 700)
        // 0.1 + 0.2 must be exactly 0.3: the binary-float trap never applies.
        #expect(Money.parse("0.1")! + Money.parse("0.2")! == Money.parse("0.3")!)
    }

    @Test func parsesWanYuanWithSixDecimals() {
        #expect(Money.parse("1", unit: .wan)?.fen == 1_000_000)
        #expect(Money.parse("12.345678", unit: .wan)?.fen == 12_345_678)
        #expect(Money.parse("0.0000001", unit: .wan) == nil)
    }

    @Test func rejectsWhatIsNotAnAmount() {
        for bad in ["", "abc", "1.234", "1e5", "--1", "1.2.3", "１２", "99999999999999"] {
            #expect(Money.parse(bad) == nil, "accepted \(bad)")
        }
    }

    @Test func formatsForOffices() {
        #expect(Money(fen: 123_456_789).yuanText == "1,234,567.89")
        #expect(Money(fen: 123_456_789).wanText == "123.46")
        #expect(Money(fen: -5).yuanText == "-0.05")
        #expect(Money(fen: 1_234_567).wanExact == "1.234567")
        #expect(Money(fen: 4_999).wanText == "0.00")
        #expect(Money(fen: 5_000).wanText == "0.01")
    }
}

@Suite struct DayTests {
    @Test func acceptsRealDaysOnly() {
        #expect(Day("2024-06-04")?.chinese == "2024年6月4日")
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-13-01") == nil)
        #expect(Day("1900-01-01") == nil)
        #expect(Day("2024-6-4") == nil)
        #expect(Day("2101-01-01") == nil)
    }
}

@Suite struct CompletionTests {
    @Test func completionIsActualOverTarget() {
        #expect(Completion.basisPoints(actual: 50, target: 200) == 2_500)
        #expect(Completion.basisPoints(actual: 5, target: 0) == nil)
        #expect(Completion.percentText(8_751) == "87.5%")
        #expect(Completion.percentText(nil) == "—")
    }

    @Test func overallCapsEachIndicatorAtFullCompletion() {
        // 300% on one indicator cannot hide 0% on another.
        #expect(Completion.overall([(300, 100), (0, 100)]) == 5_000)
        #expect(Completion.overall([]) == nil)
    }
}

@Suite struct RegionTests {
    @Test func containmentFollowsCodePrefixes() {
        let guizhou = Region(code: "520000", name: "贵州省", level: .province, parentCode: nil, side: .west)
        let bijie = Region(code: "520500", name: "毕节市", level: .prefecture, parentCode: "520000", side: .west)
        let nayong = Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west)
        let guangzhou = Region(code: "440100", name: "广州市", level: .prefecture, parentCode: "440000", side: .east)
        #expect(guizhou.contains(nayong) && bijie.contains(nayong) && nayong.contains(nayong))
        #expect(!nayong.contains(bijie))
        #expect(!guizhou.contains(guangzhou))
    }
}

@Suite struct ValidationTests {
    let pairing = Pairing(id: 1, level: .city, eastCode: "440100", westCode: "520500", sinceYear: 2021)
    let nayong = Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west)
    let zunyiCounty = Region(code: "520323", name: "绥阳县", level: .county, parentCode: "520300", side: .west)

    func fields(_ r: Result<Project, ValidationFailure>) -> Set<String> {
        if case .failure(let f) = r { return Set(f.issues.map(\.field)) }
        return []
    }

    @Test func aValidDraftBecomesAProject() throws {
        let d = ProjectDraft(
            title: " 蔬菜基地 ", pairingId: "1", countyCode: "520525", workArea: "industry",
            plannedStart: "2024-03-01", plannedEnd: "2024-12-31", beneficiaries: "1,200")
        let p = try d.validate(pairing: pairing, county: nayong).get()
        #expect(p.title == "蔬菜基地" && p.beneficiaries == 1200 && p.status == .planned)
    }

    @Test func eachBadFieldIsNamed() {
        let d = ProjectDraft(
            title: String(repeating: "长", count: 201), pairingId: "1", countyCode: "520323",
            workArea: "nonsense", plannedStart: "2024-12-31", plannedEnd: "2024-01-01", beneficiaries: "-3")
        #expect(fields(d.validate(pairing: pairing, county: zunyiCounty)) == ["title", "countyCode", "workArea", "plannedEnd", "beneficiaries"])
    }

    @Test func messagesComeInBothLanguages() {
        let issue = ValidationIssue(field: "title", key: "error.too_long", params: ["200"])
        #expect(issue.message(.zh) == "不能超过 200 个字。")
        #expect(issue.message(.en) == "At most 200 characters.")
    }

    @Test func everyKeyHasBothLanguages() {
        #expect(Set(Strings.zh.keys) == Set(Strings.en.keys))
    }

    @Test func transactionsRefuseNegativeAndZeroAmounts() {
        for amount in ["-1", "0", "abc"] {
            let r = TransactionDraft(kind: "budget", date: "2024-05-01", amountYuan: amount).validate(projectId: 1)
            guard case .failure(let f) = r else {
                Issue.record("accepted \(amount)")
                continue
            }
            #expect(f.issues.map(\.field) == ["amountYuan"])
        }
    }
}

/// Figures as offices type them into the form: separators, full-width digits and a trailing unit are understood;
/// anything else is refused rather than guessed.
@Suite struct FigureEntryTests {
    let money = IndicatorCatalogue.byCode["fiscal_aid"]!  // 万元
    let count = IndicatorCatalogue.byCode["demo_villages"]!  // 个

    @Test func amountsInTheWaysPeopleWriteThem() {
        let wan: Int64 = 1_000_000  // fen in one 万元
        let cases: [(String, Int64)] = [
            ("1234.5", 12_345 * wan / 10), ("1,234.5", 12_345 * wan / 10), ("1,234.5万", 12_345 * wan / 10), ("1234.5万元", 12_345 * wan / 10),
            ("１２３４．５", 12_345 * wan / 10), ("1 234.5", 12_345 * wan / 10), ("1，234.5 万元", 12_345 * wan / 10),
            ("12345元", 1_234_500), ("1.2亿", 12_000 * wan), ("0.000001", 1),
        ]
        for (text, fen) in cases { #expect(money.parse(text) == fen, "\(text)") }
        for bad in ["", "abc", "12.5.3", "1万5", "12 万 元 整", "0.0000001"] { #expect(money.parse(bad) == nil, "\(bad)") }
    }

    @Test func countsWithTheirUnit() {
        for (text, n) in [("12", Int64(12)), ("1,200", 1200), ("12个", 12), ("１２", 12)] { #expect(count.parse(text) == n, "\(text)") }
        for bad in ["12.5", "十二", "12万"] { #expect(count.parse(bad) == nil, "\(bad)") }
    }
}
