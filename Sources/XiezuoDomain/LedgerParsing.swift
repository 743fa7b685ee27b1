/// Reading ledger sheets as offices write them: the header row found under title rows, columns matched by their
/// Chinese names and synonyms, and each cell turned into the stored (canonical) form or a reason it cannot be.

/// One cell as a sheet gives it: its text, and whether the sheet stored it as a number (Excel dates and amounts).
public struct SheetCell: Sendable, Hashable {
    public var text: String
    public var numeric: Bool
    public init(_ text: String, numeric: Bool = false) {
        self.text = text
        self.numeric = numeric
    }
}

/// A problem with one cell (or a whole row when `column` is empty), as a message key.
public struct CellIssue: Error, Sendable, Hashable, Codable {
    public var column: String  // the sheet's header text for the column, or the field label
    public var key: String
    public var params: [String]
    public init(column: String, key: String, params: [String] = []) {
        self.column = column
        self.key = key
        self.params = params
    }
    public func message(_ lang: Language) -> String { Strings.text(key, lang, params) }
}

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

/// Where the header is and which sheet column feeds which field.
public struct SheetHeader: Sendable, Hashable {
    public var rowIndex: Int  // 0-based among the rows looked at
    public var columns: [Int: Int]  // sheet column → field index
    public var headers: [Int: String]  // sheet column → its header text as written
    public var units: [Int: Money.Unit]  // money columns: the unit the header names (else the field's own)

    /// Looks at the first rows for the one that names the most fields; it must name every required field.
    public static func detect(_ rows: [[SheetCell]], definition d: LedgerDefinition, lang: Language = .zh) -> Result<SheetHeader, CellIssue> {
        var best: SheetHeader?
        var bestCount = 0
        for (i, row) in rows.enumerated() {
            var h = SheetHeader(rowIndex: i, columns: [:], headers: [:], units: [:])
            for (c, cell) in row.enumerated() {
                let keys = SheetText.headerKeys(cell.text)
                guard !keys[0].isEmpty else { continue }
                guard let f = keys.lazy.compactMap({ match($0, d) }).first, !h.columns.values.contains(f) else { continue }
                h.columns[c] = f
                h.headers[c] = SheetText.normalize(cell.text)
                if case .money(let own) = d.fields[f].kind { h.units[c] = SheetText.unit(ofHeader: cell.text) ?? own }
            }
            if h.columns.count > bestCount {
                best = h
                bestCount = h.columns.count
            }
        }
        guard let found = best, bestCount > 0 else {
            return .failure(
                CellIssue(
                    column: "", key: "ledger.no_header", params: [d.fields.filter(\.required).map { d.label($0.key, lang) }.joined(separator: "、")]))
        }
        let missing = d.fields.indices.filter { d.fields[$0].required && !found.columns.values.contains($0) }
        if !missing.isEmpty {
            return .failure(
                CellIssue(column: "", key: "ledger.missing_columns", params: [missing.map { d.label(d.fields[$0].key, lang) }.joined(separator: "、")])
            )
        }
        return .success(found)
    }

    static func match(_ key: String, _ d: LedgerDefinition) -> Int? {
        for (i, f) in d.fields.enumerated() {
            let names = [d.label(f.key, .zh), d.label(f.key, .en)] + f.synonyms
            if names.contains(where: { SheetText.headerKey($0) == key || SheetText.headerKey($0).lowercased() == key.lowercased() }) { return i }
        }
        return nil
    }
}

/// The regions a sheet may name, by code and by name.
public struct RegionDirectory: Sendable {
    public let byCode: [String: Region]
    let byName: [String: [Region]]

    public init(_ regions: [Region]) {
        byCode = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var names: [String: [Region]] = [:]
        for r in regions { names[r.name, default: []].append(r) }
        byName = names
    }

    /// A county by its code, its name, or its prefecture's name followed by its name (六盘水市六枝特区).
    public func county(_ text: String) -> Region? {
        var t = text.filter { !$0.isWhitespace }
        // "白云区（520113）", as exports write a county: the code decides (names repeat across provinces).
        if t.hasSuffix(")") || t.hasSuffix("）"), let open = t.lastIndex(where: { $0 == "(" || $0 == "（" }) {
            let code = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            if code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) { t = code }
        }
        if let r = byCode[t], r.level == .county { return r }
        if let list = byName[t]?.filter({ $0.level == .county }) {
            if list.count == 1 { return list[0] }
            // A name both sides have (白云区 in Guangzhou and in Guiyang): ledgers record the assisted side's counties.
            let west = list.filter { $0.side == .west }
            if west.count == 1 { return west[0] }
        }
        for (name, list) in byName where t.hasSuffix(name) && t.count > name.count {
            let head = String(t.dropLast(name.count))
            for r in list where r.level == .county {
                if let p = r.parentCode.flatMap({ byCode[$0] }), p.name == head || byCode[p.parentCode ?? ""].map { $0.name + p.name } == head {
                    return r
                }
            }
        }
        return nil
    }
}

public struct LedgerProblem: Error, Sendable, Hashable {
    public var key: String
    public var params: [String]
    public init(_ key: String, _ params: [String] = []) {
        self.key = key
        self.params = params
    }
}

public enum LedgerValue {
    /// The canonical stored text of one cell for a field, "" for a blank cell, or the reason it cannot be read.
    public static func parse(
        _ cell: SheetCell, field: LedgerField, unit: Money.Unit? = nil, regions: RegionDirectory
    ) -> Result<String, LedgerProblem> {
        let raw = SheetText.normalize(cell.text)
        if raw.isEmpty { return .success("") }
        switch field.kind {
        case .text(let max):
            let t = SheetText.tidy(cell.text).split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            if t.count > max { return .failure(LedgerProblem("ledger.too_long", [String(max)])) }
            if t.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) { return .failure(LedgerProblem("error.control_chars")) }
            return .success(t)
        case .county:
            guard let r = regions.county(raw) else { return .failure(LedgerProblem("ledger.bad_county")) }
            // Every ledger row belongs to an assisted (western) county, whichever side keeps the ledger.
            guard r.side == .west else { return .failure(LedgerProblem("ledger.not_west")) }
            return .success(r.code)
        case .date:
            guard let d = SheetDate.parse(raw, numeric: cell.numeric) else { return .failure(LedgerProblem("ledger.bad_date")) }
            return .success(d.description)
        case .money(let own):
            return SheetNumber.money(raw, unit: unit ?? own, numeric: cell.numeric).map { .success(String($0)) }
                ?? .failure(LedgerProblem("ledger.bad_amount"))
        case .integer:
            guard let n = SheetNumber.integer(raw), n >= 0 else { return .failure(LedgerProblem("ledger.bad_integer")) }
            return .success(String(n))
        case .flag:
            if ["是", "y", "yes", "1", "true", "√", "✓", "是的"].contains(raw.lowercased()) { return .success("1") }
            if ["否", "n", "no", "0", "false", "×", "不是"].contains(raw.lowercased()) { return .success("0") }
            return .failure(LedgerProblem("ledger.bad_flag"))
        case .choice(let codes):
            let t = raw.lowercased()
            for c in codes {
                let names = [c.lowercased(), Strings.text("lc_\(c)", .zh), Strings.text("lc_\(c)", .en).lowercased()] + (choiceSynonyms[c] ?? [])
                if names.contains(t) { return .success(c) }
            }
            return .failure(LedgerProblem("ledger.bad_choice"))
        case .idNumber:
            if cell.numeric { return .failure(LedgerProblem("ledger.id_numeric")) }
            let t = raw.uppercased().filter { !$0.isWhitespace }
            if let problem = IDNumber.problem(t) { return .failure(LedgerProblem(problem)) }
            return .success(t)
        case .phone:
            let t = raw.filter { !$0.isWhitespace }
            let digits = t.filter { $0 != "-" }
            guard (7...13).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .failure(LedgerProblem("ledger.bad_phone"))
            }
            return .success(t)
        }
    }

    /// Other ways offices write the choices.
    static let choiceSynonyms: [String: [String]] = [
        "platform832": ["832", "832平台", "脱贫地区农副产品网络销售平台", "832网络销售平台"],
        "canteen": ["食堂", "机关食堂", "食堂采购", "单位食堂"],
        "fair": ["展销会", "展会", "产销对接会", "博览会"],
        "ecommerce": ["电商", "电子商务", "网络销售", "直播带货"],
        "wholesale": ["批发", "批发市场", "农批市场"],
        "other": ["其他", "其它"],
        "official": ["党政干部", "干部", "挂职干部"],
        "professional": ["专业技术人才", "专技人才", "专业人才"],
        "village": ["村"], "school": ["学校", "校"], "hospital": ["医院", "院"],
        "enterprise": ["企业"], "organisation": ["社会组织", "社会团体"],
        "cash": ["资金", "现金", "款"], "inKind": ["物资", "实物"],
    ]

    /// How a canonical value is shown (and exported) in a language: choices by name, money in the field's unit,
    /// flags as 是/否. Personal data is masked unless `reveal`.
    public static func display(_ value: String, field: LedgerField, lang: Language, reveal: Bool = false) -> String {
        guard !value.isEmpty else { return "" }
        switch field.kind {
        case .money(let unit):
            guard let fen = Int64(value) else { return value }
            return unit == .wan ? Money(fen: fen).wanPlain : Money(fen: fen).yuanPlain
        case .flag: return Strings.text(value == "1" ? "yes" : "no", lang)
        case .choice: return Strings.text("lc_\(value)", lang)
        case .idNumber, .phone: return reveal ? value : PersonalMask.mask(value, field.kind)
        default: return value
        }
    }
}

extension Money {
    /// Exact amount in 万元 without grouping or trailing zeros past the two shown decimals ("12.5", "0.000123").
    public var wanPlain: String { Money.plain(fen, digits: 6) }
    /// Exact amount in 元 without grouping ("1234.5").
    public var yuanPlain: String { Money.plain(fen, digits: 2) }

    static func plain(_ v: Int64, digits: Int) -> String {
        let div = UInt64(digits == 6 ? Money.fenPerWan : Money.fenPerYuan)
        let a = v.magnitude
        var frac = String(a % div)
        frac = String(repeating: "0", count: digits - frac.count) + frac
        while frac.last == "0" { frac.removeLast() }
        return (v < 0 ? "-" : "") + String(a / div) + (frac.isEmpty ? "" : "." + frac)
    }
}

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

/// One data row of a sheet read against a ledger: canonical values ("" where the cell was blank) and the problems
/// found in its cells. `rowNumber` is the sheet's own row number, as a spreadsheet shows it.
public struct ParsedLedgerRow: Sendable, Hashable {
    public var rowNumber: Int
    public var values: [String]
    public var issues: [CellIssue]
    public init(rowNumber: Int, values: [String], issues: [CellIssue]) {
        self.rowNumber = rowNumber
        self.values = values
        self.issues = issues
    }
}

/// Turns a stream of sheet rows into ledger rows: title rows above the header are skipped, the header is found in
/// the first 30 rows, blank rows and total rows (合计, 总计, 小计) are passed over.
public struct LedgerSheetReader: Sendable {
    public let definition: LedgerDefinition
    let regions: RegionDirectory
    let lang: Language
    var pending: [(Int, [SheetCell])] = []
    public private(set) var header: SheetHeader?

    public init(definition: LedgerDefinition, regions: RegionDirectory, lang: Language = .zh) {
        self.definition = definition
        self.regions = regions
        self.lang = lang
    }

    /// Feeds one sheet row. Returns the data rows it completes (several when the header has just been found).
    public mutating func feed(rowNumber: Int, _ cells: [SheetCell]) throws(CellIssue) -> [ParsedLedgerRow] {
        guard let header else {
            pending.append((rowNumber, cells))
            if case .success(let h) = SheetHeader.detect(pending.map(\.1), definition: definition, lang: lang) {
                self.header = h
                let rest = pending.dropFirst(h.rowIndex + 1)
                pending = []
                return rest.compactMap { parse($0.0, $0.1, h) }
            }
            if pending.count >= 30 { try finish() }
            return []
        }
        return parse(rowNumber, cells, header).map { [$0] } ?? []
    }

    /// Called at the end of the sheet: an error when no header was ever found.
    public func finish() throws(CellIssue) {
        guard header == nil else { return }
        if case .failure(let issue) = SheetHeader.detect(pending.map(\.1), definition: definition, lang: lang) { throw issue }
        throw CellIssue(column: "", key: "ledger.empty_sheet")
    }

    static let totalWords: Set<String> = ["合计", "总计", "小计", "合 计", "总 计"]

    func parse(_ rowNumber: Int, _ cells: [SheetCell], _ h: SheetHeader) -> ParsedLedgerRow? {
        guard let first = cells.lazy.map({ SheetText.normalize($0.text) }).first(where: { !$0.isEmpty }) else { return nil }
        if Self.totalWords.contains(first) { return nil }
        var values = Array(repeating: "", count: definition.fields.count)
        var issues: [CellIssue] = []
        for (column, f) in h.columns.sorted(by: { $0.key < $1.key }) where column < cells.count {
            let field = definition.fields[f]
            switch LedgerValue.parse(cells[column], field: field, unit: h.units[column], regions: regions) {
            case .success(let v): values[f] = v
            case .failure(let p):
                issues.append(
                    CellIssue(
                        column: Self.columnName(column) + " " + (h.headers[column] ?? ""), key: p.key,
                        params: [SheetText.normalize(cells[column].text)] + p.params))
            }
        }
        return ParsedLedgerRow(rowNumber: rowNumber, values: values, issues: issues)
    }

    /// A, B, … Z, AA … — the column letters a spreadsheet shows.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}

/// The rows of a sheet already read against a ledger (the file side lives in XiezuoFormats).
public protocol LedgerRowStream {
    mutating func nextRow() throws -> ParsedLedgerRow?
    var fraction: Double { get }
}
