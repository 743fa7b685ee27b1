public enum SheetNumber {
    /// A decimal as written ("1,234.5", "1.2E+7", "12.5万元") in the given unit, to the fen. Sheet numbers (binary
    /// floating point in the file) are rounded to the fen; typed text must be exact.
    public static func money(_ text: String, unit: Money.Unit, numeric: Bool) -> Int64? {
        var t = text.filter { $0 != "," && $0 != "，" && !$0.isWhitespace && $0 != "¥" && $0 != "￥" }
        var u = unit
        if t.hasSuffix("万元") {
            t.removeLast(2)
            u = .wan
        } else if t.hasSuffix("万") {
            t.removeLast()
            u = .wan
        } else if t.hasSuffix("元") {
            t.removeLast()
            u = .yuan
        }
        guard let (digits, exponent, negative) = decimal(t) else { return nil }
        // value = digits × 10^exponent units; fen = value × fenPerUnit.
        let scale = exponent + (u == .wan ? 6 : 2)
        var n = digits
        if scale >= 0 {
            for _ in 0..<scale {
                let (m, o) = n.multipliedReportingOverflow(by: 10)
                if o { return nil }
                n = m
            }
        } else {
            var dropped: Int64 = 0
            var divisor: Int64 = 1
            for _ in 0..<(-scale) {
                if divisor > Int64.max / 10 { return numeric ? 0 : nil }
                divisor *= 10
            }
            dropped = n % divisor
            n /= divisor
            if dropped != 0 {
                guard numeric else { return nil }
                if dropped * 2 >= divisor { n += 1 }
            }
        }
        guard n <= 9_999_999_999_999_99 else { return nil }
        return negative ? -n : n
    }

    public static func integer(_ text: String) -> Int64? {
        let t = text.filter { $0 != "," && $0 != "，" && !$0.isWhitespace }
        guard let (digits, exponent, negative) = decimal(t) else { return nil }
        var n = digits
        if exponent >= 0 {
            for _ in 0..<exponent {
                let (m, o) = n.multipliedReportingOverflow(by: 10)
                if o { return nil }
                n = m
            }
        } else {
            var d: Int64 = 1
            for _ in 0..<(-exponent) {
                guard d <= Int64.max / 10 else { return nil }
                d *= 10
            }
            guard n % d == 0 else { return nil }
            n /= d
        }
        return negative ? -n : n
    }

    /// "-1.25E+3" → (125, 1, true): the digits as an integer and the power of ten they are scaled by.
    static func decimal(_ t: String) -> (Int64, Int, Bool)? {
        var s = Substring(t)
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        } else if s.first == "+" {
            s = s.dropFirst()
        }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "E" || $0 == "e" }) {
            guard let x = Int(s[s.index(after: e)...]), abs(x) < 40 else { return nil }
            exponent = x
            s = s[..<e]
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let frac = parts.count > 1 ? parts[1] : ""
        guard !(whole.isEmpty && frac.isEmpty), (whole + frac).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var all = String(whole + frac)
        var fracCount = frac.count
        while all.count > 1 && all.first == "0" { all.removeFirst() }
        while fracCount > 0 && all.last == "0" && all.count > 1 {
            all.removeLast()
            fracCount -= 1
        }
        guard all.count <= 18, let n = Int64(all) else { return nil }
        return (n, exponent - fracCount, negative)
    }
}
