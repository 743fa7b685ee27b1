import XiezuoDomain
import XiezuoFormats

/// Month-by-month completion of several indicators as small panels of one SVG: each indicator's cumulative actual
/// as a share of its yearly target, beside the linear pace (dashed). Drawn on the server like every chart.
public struct TrendChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        /// Cumulative basis points of the yearly target at the end of months 1…12 (only months up to the last with figures).
        public var cumulative: [Int]
        public var level: PaceLevel?
        public init(name: String, cumulative: [Int], level: PaceLevel?) {
            self.name = name
            self.cumulative = cumulative
            self.level = level
        }
    }

    public var title: String
    public var series: [Series]
    /// Light lines and text for a dark background (the leaders' screen).
    public var dark = false
    public var columns = 3

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    public func svg() -> String {
        let panelWidth = 360
        let panelHeight = 170
        let top = 34
        let rows = (series.count + columns - 1) / columns
        let width = columns * panelWidth
        let height = top + max(1, rows) * panelHeight
        let ink = dark ? "#e2e8f0" : "#1a202c"
        let faint = dark ? "#4a5568" : "#cbd5e0"
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart trend-chart" role="img" viewBox="0 0 \(width) \(height)" width="100%" aria-label="\(escapeXML(title))">
            <title>\(escapeXML(title))</title>
            <text x="4" y="22" font-size="20" font-weight="600" fill="\(ink)">\(escapeXML(title))</text>

            """
        for (i, one) in series.enumerated() {
            let x0 = (i % columns) * panelWidth + 44
            let y0 = top + (i / columns) * panelHeight + 30
            let w = panelWidth - 70
            let h = panelHeight - 62
            func px(_ month: Int) -> Int { x0 + w * month / 12 }
            func py(_ bp: Int) -> Int { y0 + h - h * min(bp, 12_000) / 12_000 }
            let colour = one.level == .red ? "#f56565" : one.level == .amber ? "#ed8936" : (dark ? "#68d391" : "#2f855a")
            s += "<g class=\"trend\" data-level=\"\(one.level?.rawValue ?? "ok")\">"
            s += "<text x=\"\(x0 - 40)\" y=\"\(y0 - 10)\" font-size=\"17\" fill=\"\(ink)\">\(escapeXML(one.name))</text>"
            s += "<rect x=\"\(x0)\" y=\"\(y0)\" width=\"\(w)\" height=\"\(h)\" fill=\"none\" stroke=\"\(faint)\"/>"
            s += "<line x1=\"\(x0)\" y1=\"\(py(10_000))\" x2=\"\(x0 + w)\" y2=\"\(py(10_000))\" stroke=\"\(faint)\" stroke-dasharray=\"2 3\"/>"
            s += "<text x=\"\(x0 - 4)\" y=\"\(py(10_000) + 5)\" font-size=\"13\" text-anchor=\"end\" fill=\"\(ink)\">100%</text>"
            s +=
                "<line x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(12))\" y2=\"\(py(10_000))\" stroke=\"\(ink)\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\" opacity=\"0.7\"/>"
            for m in [1, 6, 12] {
                s += "<text x=\"\(px(m))\" y=\"\(y0 + h + 16)\" font-size=\"13\" text-anchor=\"middle\" fill=\"\(ink)\">\(m)</text>"
            }
            if !one.cumulative.isEmpty {
                let points = ([(0, 0)] + one.cumulative.enumerated().map { ($0.offset + 1, $0.element) }).map { "\(px($0.0)),\(py($0.1))" }
                s += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"3\"/>"
                let last = one.cumulative.count
                s += "<text x=\"\(px(last) + 4)\" y=\"\(py(one.cumulative[last - 1]) - 6)\" font-size=\"15\" font-weight=\"600\" fill=\"\(colour)\">"
                s += "\(Completion.percentText(one.cumulative[last - 1]))</text>"
            }
            s += "</g>\n"
        }
        return s + "</svg>"
    }
}
