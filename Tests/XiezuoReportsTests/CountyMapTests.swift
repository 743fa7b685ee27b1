import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoReports

@Suite struct CountyMapTests {
    @Test func everyWesternProvinceHasAFrameAndGuizhouEveryCounty() throws {
        let shapes = CountyShapes.shared
        let west = ["150000", "450000", "500000", "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000"]
        #expect(Set(shapes.frames.keys) == Set(west))
        let guizhou = try #require(shapes.frame(province: "520000"))
        // Today's 88 county-level regions of Guizhou, each once, inside the frame; its 9 prefectures.
        let regions = try Store.bundledRegions().filter { $0.code.hasPrefix("52") && $0.level == .county }
        #expect(Set(guizhou.counties.map(\.code)) == Set(regions.map(\.code)))
        #expect(guizhou.counties.count == 88 && guizhou.prefectures.count == 9)
        for c in guizhou.counties {
            #expect((0...guizhou.width).contains(c.labelX) && (0...guizhou.height).contains(c.labelY), "\(c.code) label outside")
            #expect(c.path.hasPrefix("M") && c.path.hasSuffix("z"))
        }
        // A county renamed in place since the source was drawn (会理县 513425 → 会理市 513402) is drawn under today's code.
        #expect(shapes.frame(province: "510000")?.counties.contains { $0.code == "513402" } == true)
    }

    static func map(_ measure: CountyMap.Measure, _ counties: [CountyMap.County]) throws -> String {
        let frame = try #require(CountyShapes.shared.frame(province: "520000"))
        return CountyMap(
            lang: .zh, title: "测试<图>", frame: frame, indicator: IndicatorCatalogue.byCode["fiscal_aid"]!, measure: measure,
            counties: Dictionary(uniqueKeysWithValues: counties.map { ($0.code, $0) }), prefectureNames: ["520500": "毕节市"],
            partners: [.init(name: "广州市", assists: ["520500"])]
        ).svg()
    }

    /// The fill and tooltip of one county's shape.
    static func shape(_ svg: String, _ code: String) -> (fill: String, tip: String) {
        let i = svg.range(of: "data-code=\"\(code)\"")!
        let before = svg[..<i.lowerBound]
        let start = before.range(of: "<path", options: .backwards)!.lowerBound
        let fill = String(svg[start...].components(separatedBy: "fill=\"")[1].prefix { $0 != "\"" })
        let tip = String(svg[i.upperBound...].components(separatedBy: "<title>")[1].prefix { $0 != "<" })
        return (fill, tip)
    }

    @Test func completionColoursFollowFixedClassesAndOutsideCountiesShowNothing() throws {
        let svg = try Self.map(
            .completion,
            [
                .init(
                    code: "520525", name: "纳雍县", actual: 59_99, target: 100_00, keyAssisted: true, readable: true, partners: ["广州市"],
                    href: "/regions/520525"),
                .init(code: "520521", name: "大方县", actual: 60_00, target: 100_00, keyAssisted: false, readable: true, href: "/regions/520521"),
                .init(code: "520502", name: "七星关区", actual: 50, target: nil, keyAssisted: false, readable: true, href: "/regions/520502"),
                .init(code: "520323", name: "绥阳县", actual: 99_999, target: 100_00, keyAssisted: false, readable: false, href: "/regions/520323"),
            ])
        #expect(svg.contains("测试&lt;图&gt;") && !svg.contains("测试<图>"))
        #expect(Self.shape(svg, "520525").fill == CountyMap.completionFills[0])  // 59.99 %
        #expect(Self.shape(svg, "520521").fill == CountyMap.completionFills[1])  // 60 %
        #expect(Self.shape(svg, "520502").fill == CountyMap.noDataFill)  // no target of its own
        let outside = Self.shape(svg, "520323")
        #expect(outside.fill == CountyMap.outsideFill && outside.tip.contains("不在您的查看范围内") && !outside.tip.contains("999.99"))
        #expect(!svg.contains("href=\"/regions/520323\""))
        let nayong = Self.shape(svg, "520525")
        #expect(nayong.tip.contains("纳雍县（国家乡村振兴重点帮扶县）") && nayong.tip.contains("东部结对：广州市") && nayong.tip.contains("59.9%"))
        #expect(svg.contains("href=\"/regions/520525\""))
        // One key-assisted marker on the map (and one in the legend); the partner's name and its curve.
        #expect(svg.components(separatedBy: "class=\"key\"").count - 1 == 2)
        #expect(svg.contains(">广州市</text>") && svg.contains("opacity=\"0.55\""))
    }

    @Test func amountsFallIntoQuintilesOfTheCountiesThatHaveOne() throws {
        let counties = (1...10).map { i in
            CountyMap.County(
                code: ["520102", "520103", "520111", "520112", "520113", "520115", "520121", "520122", "520123", "520181"][i - 1],
                name: "县\(i)", actual: Int64(i) * 1_000_000, target: nil, keyAssisted: false, readable: true)
        }
        let svg = try Self.map(.amount, counties)
        let fills = counties.map { Self.shape(svg, $0.code).fill }
        // Two counties a class, darker as the amount grows.
        #expect(fills == CountyMap.amountFills.flatMap { [$0, $0] })
        // A county the map was given nothing for is drawn plain.
        #expect(Self.shape(svg, "520525").fill == CountyMap.outsideFill)
    }
}
