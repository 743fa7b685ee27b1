/// An exact amount of money in fen (分, 1/100 yuan). Never a binary float: every figure is an integer of fen.
public struct Money: Sendable, Hashable, Comparable, Codable {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }
    public static let zero = Money(fen: 0)
    public static let fenPerYuan: Int64 = 100
    public static let fenPerWan: Int64 = 1_000_000

    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }

    public enum Unit: String, Sendable, Codable, CaseIterable {
        case yuan, wan  // 元, 万元
        var fenPerUnit: Int64 { self == .yuan ? Money.fenPerYuan : Money.fenPerWan }
        var fractionDigits: Int { self == .yuan ? 2 : 6 }
    }

    /// Parses a decimal string such as "1,234.56" in the given unit, exactly. Returns nil for anything that is not
    /// a plain decimal number or has more fraction digits than a fen can hold.
    public static func parse(_ text: String, unit: Unit = .yuan) -> Money? {
        var s = Substring(text.trimmingWhitespace())
        guard !s.isEmpty else { return nil }
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        } else if s.first == "+" {
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0].filter { $0 != "," }
        let frac = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty || !frac.isEmpty,
            whole.allSatisfy({ $0.isASCII && $0.isNumber }), frac.allSatisfy({ $0.isASCII && $0.isNumber }),
            frac.count <= unit.fractionDigits, whole.count <= 13
        else { return nil }
        let wholeValue = Int64(whole.isEmpty ? "0" : whole)!
        let padded = frac + String(repeating: "0", count: unit.fractionDigits - frac.count)
        let fracValue = Int64(padded.isEmpty ? "0" : padded)!
        let (w, o1) = wholeValue.multipliedReportingOverflow(by: unit.fenPerUnit)
        let (total, o2) = w.addingReportingOverflow(fracValue)
        guard !o1, !o2 else { return nil }
        return Money(fen: negative ? -total : total)
    }

    /// "1,234.56" in 元.
    public var yuanText: String { Self.format(fen, divisor: Self.fenPerYuan, digits: 2) }
    /// "12.35" in 万元, rounded half away from zero to two decimals (display only).
    public var wanText: String {
        let hundredths = Self.roundDiv(fen, Self.fenPerWan / 100)
        return Self.format(hundredths, divisor: 100, digits: 2)
    }
    /// 万元 rounded as shown (two decimals, half away from zero), without grouping: a spreadsheet's number.
    public var wanRounded: String {
        let hundredths = Self.roundDiv(fen, Self.fenPerWan / 100)
        let a = hundredths.magnitude
        let f = String(a % 100)
        return (hundredths < 0 ? "-" : "") + String(a / 100) + "." + String(repeating: "0", count: 2 - f.count) + f
    }
    /// 万元 as a plain number for machine output, exact (six decimals).
    public var wanExact: String {
        let sign = fen < 0 ? "-" : ""
        let a = fen.magnitude
        let frac = String(a % UInt64(Self.fenPerWan))
        return sign + String(a / UInt64(Self.fenPerWan)) + "." + String(repeating: "0", count: 6 - frac.count) + frac
    }

    static func roundDiv(_ v: Int64, _ d: Int64) -> Int64 {
        let q = v / d
        let r = v % d
        if r.magnitude * 2 >= d.magnitude { return q + (v < 0 ? -1 : 1) }
        return q
    }

    static func format(_ units: Int64, divisor: Int64, digits: Int) -> String {
        let sign = units < 0 ? "-" : ""
        let a = units.magnitude
        let whole = groupThousands(String(a / UInt64(divisor)))
        let f = String(a % UInt64(divisor))
        return sign + whole + "." + String(repeating: "0", count: digits - f.count) + f
    }
}

public func groupThousands(_ digits: String) -> String {
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return out
}

extension String {
    public func trimmingWhitespace() -> String {
        // Fast path: nothing to trim when neither end is a White_Space scalar (the set Character.isWhitespace uses).
        func space(_ v: UInt32) -> Bool {
            v <= 0x20 || v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029
                || v == 0x202F || v == 0x205F || v == 0x3000
        }
        guard let f = unicodeScalars.first, let l = unicodeScalars.last else { return self }
        if !space(f.value) && !space(l.value) { return self }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
