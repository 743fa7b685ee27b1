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
