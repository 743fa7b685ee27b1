public enum SheetDate {
    /// 2024-06-04, 2024年6月4日, 2024.6.4, 2024/6/4 (a time after it ignored), 20240604, or an Excel serial number;
    /// a month alone (2024年6月, 2024-06) is its first day.
    public static func parse(_ text: String, numeric: Bool) -> Day? {
        var t = SheetText.normalize(text)
        if let space = t.firstIndex(where: { $0 == " " || $0 == "T" }) { t = String(t[..<space]) }
        if numeric || (t.count == 5 && t.allSatisfy(\.isNumber)) {
            guard let v = Double(t), v >= 1, v < 2_958_466 else { return nil }
            return fromSerial(Int(v.rounded(.down)))
        }
        if t.count == 8, t.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Day(year: Int(t.prefix(4))!, month: Int(t.dropFirst(4).prefix(2))!, day: Int(t.suffix(2))!)
        }
        if t.hasSuffix("日") || t.hasSuffix("号") { t.removeLast() }
        let parts = t.split(whereSeparator: { "年月-/.".contains($0) }).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        let d = parts.count == 3 ? Int(parts[2]) ?? 0 : 1
        return Day(year: y, month: m, day: d)
    }

    /// Excel's day count from 1899-12-30 (which absorbs its phantom 1900-02-29).
    public static func fromSerial(_ serial: Int) -> Day? {
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm, public domain arithmetic).
        let z = serial - 25569 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return Day(year: y, month: m, day: d)
    }

    /// The Excel serial of a day (for tests and for writing dates as numbers).
    public static func serial(_ day: Day) -> Int {
        let y = day.month <= 2 ? day.year - 1 : day.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = day.month > 2 ? day.month - 3 : day.month + 9
        let doy = (153 * mp + 2) / 5 + day.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468 + 25569
    }
}
