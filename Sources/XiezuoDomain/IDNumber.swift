/// 居民身份证号码 (GB 11643): 18 characters, a real date of birth, and the ISO 7064 MOD 11-2 check character.
public enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks = Array("10X98765432")

    /// nil when valid, else the message key of what is wrong.
    public static func problem(_ id: String) -> String? {
        let c = Array(id)
        if c.count == 15 { return "ledger.id_old" }
        guard c.count == 18 else { return "ledger.id_length" }
        guard c.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }), c[17].isASCII && (c[17].isNumber || c[17] == "X") else {
            return "ledger.id_chars"
        }
        let digits = c.prefix(17).map { Int(String($0))! }
        let y = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let m = digits[10] * 10 + digits[11]
        let d = digits[12] * 10 + digits[13]
        guard (1900...2100).contains(y), (1...12).contains(m), (1...Day.daysIn(month: m, year: y)).contains(d) else { return "ledger.id_birth" }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard checks[sum % 11] == c[17] else { return "ledger.id_check" }
        return nil
    }

    /// The check character for 17 digits (for making valid test and demo numbers).
    public static func checkCharacter(_ first17: String) -> Character {
        let sum = zip(first17.map { Int(String($0))! }, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checks[sum % 11]
    }
}
