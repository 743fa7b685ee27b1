public enum SheetText {
    /// Full-width ASCII (Ｕ+FF01–FF5E) to half-width, ideographic space to space, zero-width marks removed, ends
    /// trimmed: what "the same text" means for a cell.
    public static func normalize(_ s: String) -> String {
        // Most cells need nothing: no full-width forms, special spaces or zero-width marks (their UTF-8 starts with
        // 0xEF, 0xE3, 0xE2 or 0xC2) and no space at either end. Those are returned as they are, without copying.
        var plain = true
        var first: UInt8 = 0
        var last: UInt8 = 0
        for (i, b) in s.utf8.enumerated() {
            if i == 0 { first = b }
            last = b
            if b == 0xEF || b == 0xE3 || b == 0xE2 || b == 0xC2 {
                plain = false
                break
            }
        }
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        if plain && !space(first) && !space(last) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFEE0)!)
            case 0x3000, 0x00A0: out.append(" ")
            case 0x200B, 0x200C, 0x200D, 0xFEFF: continue
            default: out.append(u)
            }
        }
        return String(out).trimmingWhitespace()
    }

    /// A cell of free text as the office wrote it: full-width forms kept (白茶（礼盒装） stays so), only zero-width
    /// marks removed and the ends trimmed.
    public static func tidy(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where ![0x200B, 0x200C, 0x200D, 0xFEFF].contains(u.value) { out.append(u) }
        return String(out).trimmingWhitespace()  // ideographic and no-break spaces count as space here too
    }

    /// A header as compared: width folded, spaces, required-marks and every bracketed part — a unit （元）, a
    /// qualifier 县(区), a note (18位) — left out. `headerKeys` also splits alternatives written with / or 、.
    static func headerKey(_ s: String) -> String {
        var out = ""
        var depth = 0
        for c in normalize(s) {
            switch c {
            case "(", "[", "【", "〔": depth += 1
            case ")", "]", "】", "〕": depth = max(0, depth - 1)
            default:
                if depth == 0 && !c.isWhitespace && c != "*" && c != "＊" && c != ":" && c != "：" { out.append(c) }
            }
        }
        return out
    }

    /// The keys a header cell offers: the whole, and each alternative of 采购单位/个人 or 务工地、就业城市.
    static func headerKeys(_ s: String) -> [String] {
        let whole = headerKey(s)
        let parts = normalize(s).split(whereSeparator: { $0 == "/" || $0 == "、" || $0 == "|" }).map { headerKey(String($0)) }
        return [whole] + parts.filter { !$0.isEmpty && $0 != whole }
    }

    /// The unit a money header names, if any.
    static func unit(ofHeader s: String) -> Money.Unit? {
        let t = normalize(s)
        if t.contains("万元") || t.hasSuffix("万") || t.contains("(万") || t.contains("（万") { return .wan }
        if t.contains("元") { return .yuan }
        return nil
    }
}
