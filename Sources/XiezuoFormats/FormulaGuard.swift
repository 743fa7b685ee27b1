/// Cells that a spreadsheet would evaluate when a CSV file is opened ("=HYPERLINK(…)", "@SUM(…)", "+cmd|…").
/// An export writes them with a leading apostrophe, which Excel and WPS show as text; the import takes it off again,
/// so a round trip changes nothing.
public enum FormulaGuard {
    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func needsGuard(_ s: String) -> Bool {
        guard let first = s.first, triggers.contains(first) else { return false }
        if isPlainNumber(s) { return false }
        // Our own guard for ID numbers and phones: a tab before digits (Excel then keeps them as text).
        if first == "\t", s.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "X" || $0 == "x" || $0 == "-" || $0 == " ") }), s.count > 1 {
            return false
        }
        return true
    }

    public static func escape(_ s: String) -> String { needsGuard(s) ? "'" + s : s }

    /// Takes off the apostrophe an export put before a formula-like cell; any other apostrophe is the user's.
    public static func unescape(_ s: String) -> String {
        guard s.first == "'" else { return s }
        let rest = String(s.dropFirst())
        return needsGuard(rest) ? rest : s
    }

    /// "-12.5", "+3", "-1,234.00": a signed number, which a spreadsheet reads as a number and nothing else.
    static func isPlainNumber(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let f = body.first, f.isASCII, f.isNumber else { return false }
        var dots = 0
        for c in body {
            if c == "." {
                dots += 1
                if dots > 1 { return false }
                continue
            }
            if c == "," { continue }
            guard c.isASCII, c.isNumber else { return false }
        }
        return true
    }
}
