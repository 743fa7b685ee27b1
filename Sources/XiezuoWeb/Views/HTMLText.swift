/// Text made safe for HTML, the same five characters the templates escape (`< > & " '`). For the few parts of a page
/// written in Swift instead of a template: a ledger page's 50 rows × 11 cells through the template engine were most of
/// the page's time (docs/BENCHMARKS.md).
enum HTMLText {
    static func escape(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `<option>`s of a select, as the templates write them (`<option value="v" selected>label</option>`): for the
    /// long region lists of the ledger pages.
    static func options(_ options: [Option]) -> String {
        var html = ""
        html.reserveCapacity(options.count * 48)
        for o in options {
            html += "<option value=\"\(escape(o.value))\" \(o.selected ? "selected" : "")>\(escape(o.label))</option>"
        }
        return html
    }
}
