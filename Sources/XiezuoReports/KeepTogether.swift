/// Keeps dates on one line wherever a page shows them: every 2024-09-30 in the text of a rendered page (not in tags,
/// attribute values, or the text of script, style, title and textarea) is wrapped in `<span class="nowrap">`. In a
/// narrow table column a browser otherwise breaks a date at its hyphens ("2024-/09-30"); the PDF report is the same
/// HTML, so it holds there too. Done once on the whole page rather than in each of thirty templates.
public enum KeepTogether {
    public static func dates(in html: String) -> String {
        var out = [UInt8]()
        let b = Array(html.utf8)
        out.reserveCapacity(b.count + b.count / 16)
        var i = 0
        var inTag = false
        var raw: [UInt8]? = nil  // the closing tag of a raw-text element being passed over
        let open = Array("<span class=\"nowrap\">".utf8)
        let close = Array("</span>".utf8)
        // Raw-text elements: how each starts and ends (made once, not at every tag of the page).
        let rawElements = ["script", "style", "title", "textarea"].map { (Array(("<" + $0).utf8), Array(("</" + $0).utf8)) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 32 : c }
        func startsWith(_ s: [UInt8], at j: Int) -> Bool {
            guard j + s.count <= b.count else { return false }
            for k in 0..<s.count where lower(b[j + k]) != s[k] { return false }
            return true
        }
        while i < b.count {
            let c = b[i]
            if let end = raw {
                if startsWith(end, at: i) { raw = nil }
                out.append(c)
                i += 1
                continue
            }
            if inTag {
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    // An attribute value: copied whole (a ">" inside it does not end the tag).
                    out.append(c)
                    i += 1
                    while i < b.count && b[i] != c {
                        out.append(b[i])
                        i += 1
                    }
                    if i < b.count {
                        out.append(b[i])
                        i += 1
                    }
                    continue
                }
                if c == UInt8(ascii: ">") { inTag = false }
                out.append(c)
                i += 1
                continue
            }
            if c == UInt8(ascii: "<") {
                inTag = true
                for (start, end) in rawElements where startsWith(start, at: i) { raw = end }
                out.append(c)
                i += 1
                continue
            }
            // YYYY-MM-DD with no digit right before it.
            if isDigit(c), i + 10 <= b.count, i == 0 || !isDigit(b[i - 1]),
                isDigit(b[i + 1]), isDigit(b[i + 2]), isDigit(b[i + 3]), b[i + 4] == UInt8(ascii: "-"), isDigit(b[i + 5]), isDigit(b[i + 6]),
                b[i + 7] == UInt8(ascii: "-"), isDigit(b[i + 8]), isDigit(b[i + 9]), i + 10 == b.count || !isDigit(b[i + 10])
            {
                out += open
                out += b[i..<(i + 10)]
                out += close
                i += 10
                continue
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
