import Testing
import XiezuoDomain

@testable import XiezuoReports

@Suite struct ChartTests {
    @Test func barsAreDrawnToScaleAndLabelsEscaped() {
        let svg = BarChart(title: "完成<率>", bars: [.init(label: "A&B", basisPoints: 6_000), .init(label: "C", basisPoints: nil)]).svg()
        #expect(svg.contains("完成&lt;率&gt;"))
        #expect(svg.contains("A&amp;B"))
        #expect(!svg.contains("A&B"))
        // 60% of the 0…120% scale over a plot of 640-220-70 = 350 px is 175 px.
        #expect(svg.contains("width=\"175\""))
        #expect(svg.contains("60.0%") && svg.contains("—"))
    }

    @Test func agreementCompletionGroupsByWorkArea() {
        let t1 = Target(id: 1, taskId: 1, indicatorCode: "fiscal_aid", value: 100, updatedAt: "")
        let t2 = Target(id: 2, taskId: 2, indicatorCode: "workers_placed", value: 200, updatedAt: "")
        let c = AgreementCompletion(
            targets: [(.consolidation, t1), (.social, t2)],
            actuals: ["fiscal_aid": 150, "workers_placed": 50])
        #expect(c.overall == 6_250)
        #expect(c.byWorkArea().map(\.1) == [10_000, 2_500])
    }
}

/// Dates stay on one line in pages and reports, and nothing else of the page changes.
@Suite struct KeepTogetherTests {
    @Test func datesInTextAreWrappedAndNothingElse() {
        let html = """
            <title>2024-06-04</title><a href="/x?from=2024-01-01" title='2024-02-02 > x'>至 2024-09-30</a>
            <td>2024-12-31</td><textarea>2025-01-01</textarea><td>12024-01-011</td><td>2024-1-1</td>
            """
        let out = KeepTogether.dates(in: html)
        #expect(out.contains("<title>2024-06-04</title>"))
        #expect(out.contains("href=\"/x?from=2024-01-01\" title='2024-02-02 > x'"))
        #expect(out.contains("至 <span class=\"nowrap\">2024-09-30</span></a>"))
        #expect(out.contains("<td><span class=\"nowrap\">2024-12-31</span></td>"))
        #expect(out.contains("<textarea>2025-01-01</textarea>"))
        #expect(out.contains("<td>12024-01-011</td><td>2024-1-1</td>"))
        #expect(KeepTogether.dates(in: "纳雍县") == "纳雍县")
    }
}
