import XiezuoDomain
import XiezuoFormats

/// A horizontal bar chart as standalone SVG, drawn on the server so pages and printed reports need no script.
/// Bars show a percentage (completion); a marker line stands at 100%.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var basisPoints: Int?  // nil: no target
        public var link: String?
        public init(label: String, basisPoints: Int?, link: String? = nil) {
            self.label = label
            self.basisPoints = basisPoints
            self.link = link
        }
    }

    public var title: String
    public var bars: [Bar]
    public var width = 640
    public var barHeight = 22
    public var labelWidth = 220

    public init(title: String, bars: [Bar]) {
        self.title = title
        self.bars = bars
    }

    /// Scale: 0…120% so over-fulfilment stays visible without squashing the rest.
    static let maxBasisPoints = 12_000

    public func svg() -> String {
        let top = 28
        let gap = 8
        let height = top + bars.count * (barHeight + gap) + 10
        let plot = width - labelWidth - 70
        func x(_ bp: Int) -> Int { labelWidth + plot * min(bp, Self.maxBasisPoints) / Self.maxBasisPoints }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \(width) \(height)" width="100%" aria-label="\(escapeXML(title))">
            <title>\(escapeXML(title))</title>
            <text x="0" y="16" class="chart-title">\(escapeXML(title))</text>
            """
        for (i, bar) in bars.enumerated() {
            let y = top + i * (barHeight + gap)
            let mid = y + barHeight / 2 + 5
            let bp = bar.basisPoints ?? 0
            let cls = bp >= 10_000 ? "bar done" : bp >= 6_000 ? "bar mid" : "bar low"
            var row = "<text x=\"\(labelWidth - 8)\" y=\"\(mid)\" text-anchor=\"end\" class=\"chart-label\">\(escapeXML(bar.label))</text>"
            row += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(plot)\" height=\"\(barHeight)\" class=\"track\"/>"
            if bar.basisPoints != nil {
                row += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(max(0, x(bp) - labelWidth))\" height=\"\(barHeight)\" class=\"\(cls)\"/>"
            }
            row += "<text x=\"\(labelWidth + plot + 6)\" y=\"\(mid)\" class=\"chart-value\">\(Completion.percentText(bar.basisPoints))</text>"
            if let link = bar.link { row = "<a href=\"\(escapeXML(link))\">\(row)</a>" }
            s += row + "\n"
        }
        let full = x(10_000)
        s += "<line x1=\"\(full)\" y1=\"\(top - 4)\" x2=\"\(full)\" y2=\"\(height - 6)\" class=\"target-line\"/>"
        s += "<text x=\"\(full)\" y=\"\(top - 8)\" text-anchor=\"middle\" class=\"chart-axis\">100%</text>"
        return s + "</svg>"
    }
}
