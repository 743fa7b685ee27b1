import XiezuoDomain
import XiezuoFormats

/// A western province's counties as standalone SVG, coloured by one indicator: its completion against the county's own
/// target, or its amount. Drawn on the server like every chart, so it needs no script, prints, and goes into the
/// conference report as it is. Hovering a county shows its figures (the SVG `<title>`); a click opens it.
public struct CountyMap: Sendable {
    public enum Measure: String, Sendable, CaseIterable {
        case completion, amount
    }

    public struct County: Sendable {
        public var code: String
        public var name: String
        /// The indicator's actual in the county (nil: nothing reported).
        public var actual: Int64?
        /// The county's own target (nil: it has none).
        public var target: Int64?
        public var keyAssisted: Bool
        /// Outside the reader's scope: drawn plain, without figures or link.
        public var readable: Bool
        /// The eastern partners assisting it (its prefecture's city and its own county partner).
        public var partners: [String]
        public var href: String?

        public init(
            code: String, name: String, actual: Int64?, target: Int64?, keyAssisted: Bool, readable: Bool,
            partners: [String] = [], href: String? = nil
        ) {
            self.code = code
            self.name = name
            self.actual = actual
            self.target = target
            self.keyAssisted = keyAssisted
            self.readable = readable
            self.partners = partners
            self.href = href
        }

        public var basisPoints: Int? {
            guard let target, target > 0 else { return nil }
            return Completion.basisPoints(actual: actual ?? 0, target: target)
        }
    }

    /// An eastern city and the places it assists: prefectures (city pairings) or counties (county pairings).
    public struct Partner: Sendable {
        public var name: String
        public var assists: [String]
        public init(name: String, assists: [String]) {
            self.name = name
            self.assists = assists
        }
    }

    public var lang: Language
    public var title: String
    public var frame: CountyShapes.Frame
    public var indicator: Indicator
    public var measure: Measure
    public var counties: [String: County]
    public var prefectureNames: [String: String]
    public var partners: [Partner]
    /// A compact map (the dashboard's) leaves out the partner column and prefecture names.
    public var compact = false

    public init(
        lang: Language, title: String, frame: CountyShapes.Frame, indicator: Indicator, measure: Measure,
        counties: [String: County], prefectureNames: [String: String], partners: [Partner]
    ) {
        self.lang = lang
        self.title = title
        self.frame = frame
        self.indicator = indicator
        self.measure = measure
        self.counties = counties
        self.prefectureNames = prefectureNames
        self.partners = partners
    }

    /// A class of the colour scale: its fill and what the legend says of it.
    struct Band {
        var fill: String
        var label: String
        var contains: (County) -> Bool
    }

    static let completionFills = ["#c53030", "#ed8936", "#ecc94b", "#68d391", "#276749"]
    static let amountFills = ["#dbeafe", "#93c5fd", "#60a5fa", "#2563eb", "#1e3a8a"]
    static let noDataFill = "#e2e8f0"
    static let outsideFill = "#f7fafc"
    static let partnerStrokes = ["#7a1f1f", "#6b46c1", "#2b6cb0", "#2c7a7b", "#b7791f", "#c05621", "#4a5568", "#97266d"]

    func t(_ key: String, _ params: [String] = []) -> String { Strings.text(key, lang, params) }

    /// Completion in fixed classes (the same on every map); amounts in quintiles of the counties that have one.
    func bands() -> [Band] {
        switch measure {
        case .completion:
            let edges = [0, 6_000, 8_000, 10_000, 12_000]
            return edges.enumerated().map { i, low in
                let high = i + 1 < edges.count ? edges[i + 1] : nil
                let label = high.map { "\(low / 100)–\($0 / 100)%" } ?? "≥ \(low / 100)%"
                return Band(fill: Self.completionFills[i], label: label) { c in
                    guard let bp = c.basisPoints else { return false }
                    return bp >= low && high.map { bp < $0 } ?? true
                }
            }
        case .amount:
            let values = counties.values.filter(\.readable).compactMap(\.actual).filter { $0 > 0 }.sorted()
            guard !values.isEmpty else { return [] }
            var cuts: [Int64] = []
            for q in 1..<5 { cuts.append(values[min(values.count - 1, values.count * q / 5)]) }
            var edges = [Int64(1)] + cuts
            edges = edges.enumerated().filter { i, v in i == 0 || v > edges[i - 1] }.map(\.1)
            return edges.enumerated().map { i, low in
                let high = i + 1 < edges.count ? edges[i + 1] : nil
                let label =
                    i == 0 && high != nil
                    ? "< \(indicator.format(high!))" : high.map { "\(indicator.format(low))–\(indicator.format($0))" } ?? "≥ \(indicator.format(low))"
                return Band(fill: Self.amountFills[i + (5 - edges.count)], label: label) { c in
                    guard let v = c.actual, v > 0 else { return false }
                    return v >= low && high.map { v < $0 } ?? true
                }
            }
        }
    }

    public func svg() -> String {
        let bands = bands()
        let margin = 12
        let top = 36
        let column = compact || partners.isEmpty ? 0 : 260
        let legendRows = bands.count + 3
        let legendHeight = 22 * ((legendRows + 1) / 2) + 16
        let width = frame.width + 2 * margin + column
        let height = top + frame.height + legendHeight + margin
        func fill(_ c: County?) -> String {
            guard let c else { return Self.outsideFill }
            guard c.readable else { return Self.outsideFill }
            return bands.first { $0.contains(c) }?.fill ?? Self.noDataFill
        }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart county-map" role="img" viewBox="0 0 \(width) \(height)" width="100%" aria-label="\(escapeXML(title))">
            <title>\(escapeXML(title))</title>
            <text x="\(margin)" y="24" font-size="20" font-weight="600" fill="#1a202c">\(escapeXML(title))</text>
            <g transform="translate(\(margin) \(top))">

            """
        for shape in frame.counties {
            let c = counties[shape.code]
            var path =
                "<path d=\"\(shape.path)\" class=\"county\" stroke=\"#fff\" stroke-width=\"0.8\" fill=\"\(fill(c))\" data-code=\"\(shape.code)\">"
            path += "<title>\(escapeXML(tooltip(c, code: shape.code)))</title></path>"
            if let c, c.readable, let href = c.href {
                path = "<a href=\"\(escapeXML(href))\" aria-label=\"\(escapeXML(c.name))\">\(path)</a>"
            }
            s += path + "\n"
        }
        for shape in frame.prefectures {
            s += "<path d=\"\(shape.path)\" class=\"prefecture\" fill=\"none\" stroke=\"#4a5568\" stroke-width=\"1.6\" pointer-events=\"none\"/>\n"
        }
        for shape in frame.counties where counties[shape.code]?.keyAssisted == true {
            s +=
                "<circle cx=\"\(shape.labelX)\" cy=\"\(shape.labelY)\" r=\"6\" class=\"key\" fill=\"none\" stroke=\"#1a202c\" stroke-width=\"2\" pointer-events=\"none\"/>\n"
        }
        if !compact {
            for shape in frame.prefectures {
                guard let name = prefectureNames[shape.code] else { continue }
                s +=
                    "<text x=\"\(shape.labelX)\" y=\"\(shape.labelY)\" text-anchor=\"middle\" class=\"pref-name\" font-size=\"15\" font-weight=\"600\" fill=\"#1a202c\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" pointer-events=\"none\">\(escapeXML(name))</text>\n"
            }
        }
        s += "</g>\n"
        if column > 0 { s += partnerColumn(x: margin + frame.width + 40, top: top, margin: margin) }
        s += legend(bands, y: top + frame.height + 24, x: margin, width: width - 2 * margin)
        return s + "</svg>"
    }

    /// What hovering a county says: its name, partners and the indicator's figures.
    func tooltip(_ c: County?, code: String) -> String {
        guard let c else { return code }
        var lines = [c.name + (c.keyAssisted ? "（\(t("key_assisted"))）" : "")]
        guard c.readable else { return (lines + [t("map_outside_scope")]).joined(separator: "\n") }
        if !c.partners.isEmpty { lines.append(t("map_partners", [c.partners.joined(separator: "、")])) }
        let unit = t("unit_" + indicator.unit.rawValue)
        lines.append("\(indicator.name(lang))：\(c.actual.map { indicator.format($0) } ?? "—") \(unit)")
        if let target = c.target {
            lines.append("\(t("target"))：\(indicator.format(target)) \(unit) · \(t("completion")) \(Completion.percentText(c.basisPoints))")
        }
        return lines.joined(separator: "\n")
    }

    /// The eastern cities in a column to the right, each linked by a curve to the places it assists.
    func partnerColumn(x: Int, top: Int, margin: Int) -> String {
        let points = Dictionary(
            (frame.counties + frame.prefectures).map { ($0.code, ($0.labelX + margin, $0.labelY + top)) }, uniquingKeysWith: { a, _ in a })
        let step = max(40, min(90, frame.height / max(1, partners.count)))
        var s =
            "<text x=\"\(x)\" y=\"\(top + 6)\" font-size=\"15\" font-weight=\"600\" fill=\"#1a202c\">\(escapeXML(t("map_partner_cities")))</text>\n"
        for (i, p) in partners.enumerated() {
            let y = top + 40 + i * step
            let stroke = Self.partnerStrokes[i % Self.partnerStrokes.count]
            for code in p.assists {
                guard let (tx, ty) = points[code] else { continue }
                let cx = (x + tx) / 2
                s +=
                    "<path d=\"M\(x - 8) \(y - 5)C\(cx) \(y - 5) \(cx) \(ty) \(tx) \(ty)\" fill=\"none\" stroke-width=\"2\" opacity=\"0.55\" pointer-events=\"none\" stroke=\"\(stroke)\"/>\n"
            }
            s += "<circle cx=\"\(x - 8)\" cy=\"\(y - 5)\" r=\"5\" fill=\"\(stroke)\"/>"
            s += "<text x=\"\(x + 4)\" y=\"\(y)\" class=\"partner\" font-size=\"15\" fill=\"\(stroke)\">\(escapeXML(p.name))</text>\n"
        }
        return s
    }

    func legend(_ bands: [Band], y: Int, x: Int, width: Int) -> String {
        var items: [(fill: String?, label: String)] = bands.map { ($0.fill, $0.label) }
        items.append((Self.noDataFill, measure == .completion ? t("map_no_target") : t("map_no_data")))
        items.append((Self.outsideFill, t("map_outside_scope")))
        items.append((nil, t("key_assisted")))
        var s = "<g class=\"map-legend\">"
        let columnWidth = width / 2
        for (i, item) in items.enumerated() {
            let ix = x + (i % 2) * columnWidth
            let iy = y + (i / 2) * 22
            if let fill = item.fill {
                s += "<rect x=\"\(ix)\" y=\"\(iy - 12)\" width=\"22\" height=\"14\" fill=\"\(fill)\" stroke=\"#a0aec0\"/>"
            } else {
                s +=
                    "<circle cx=\"\(ix + 11)\" cy=\"\(iy - 5)\" r=\"6\" class=\"key\" fill=\"none\" stroke=\"#1a202c\" stroke-width=\"2\" pointer-events=\"none\"/>"
            }
            s += "<text x=\"\(ix + 30)\" y=\"\(iy)\" font-size=\"15\" fill=\"#1a202c\">\(escapeXML(item.label))</text>"
        }
        return s + "</g>\n"
    }
}
