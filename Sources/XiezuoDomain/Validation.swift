/// One problem with one input field, as a message key so it can be shown in the reader's language.
public struct ValidationIssue: Sendable, Hashable, Codable {
    public var field: String
    public var key: String
    public var params: [String]
    public init(field: String, key: String, params: [String] = []) {
        self.field = field
        self.key = key
        self.params = params
    }
    public func message(_ lang: Language) -> String { Strings.text(key, lang, params) }
}

public struct ValidationFailure: Error, Sendable {
    public var issues: [ValidationIssue]
    public init(_ issues: [ValidationIssue]) { self.issues = issues }
}

/// Collects issues field by field; the rules used by every form and API body.
public struct Validator: Sendable {
    public private(set) var issues: [ValidationIssue] = []
    public init() {}

    public mutating func fail(_ field: String, _ key: String, _ params: [String] = []) {
        issues.append(.init(field: field, key: key, params: params))
    }

    public mutating func text(_ field: String, _ value: String?, required: Bool = true, max: Int) -> String {
        let v = (value ?? "").trimmingWhitespace()
        if v.isEmpty {
            if required { fail(field, "error.required") }
            return v
        }
        if v.count > max { fail(field, "error.too_long", [String(max)]) }
        if v.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            fail(field, "error.control_chars")
        }
        return v
    }

    public mutating func day(_ field: String, _ value: String?, required: Bool = false) -> Day? {
        let v = (value ?? "").trimmingWhitespace()
        if v.isEmpty {
            if required { fail(field, "error.required") }
            return nil
        }
        guard let d = Day(v) else {
            fail(field, "error.date", [String(Day.validYears.lowerBound), String(Day.validYears.upperBound)])
            return nil
        }
        return d
    }

    public mutating func count(_ field: String, _ value: String?, required: Bool = false, max: Int64 = 1_000_000_000) -> Int64 {
        let v = (value ?? "").trimmingWhitespace().filter { $0 != "," }
        if v.isEmpty {
            if required { fail(field, "error.required") }
            return 0
        }
        guard let n = Int64(v) else {
            fail(field, "error.integer")
            return 0
        }
        if n < 0 {
            fail(field, "error.negative")
            return 0
        }
        if n > max {
            fail(field, "error.too_large", [String(max)])
            return 0
        }
        return n
    }

    public mutating func money(_ field: String, _ value: String?, unit: Money.Unit = .yuan) -> Money? {
        let v = (value ?? "").trimmingWhitespace()
        if v.isEmpty {
            fail(field, "error.required")
            return nil
        }
        guard let m = Money.parse(v, unit: unit) else {
            fail(field, "error.money")
            return nil
        }
        if m.fen < 0 {
            fail(field, "error.negative")
            return nil
        }
        if m.fen == 0 {
            fail(field, "error.positive")
            return nil
        }
        return m
    }

    public mutating func choice<E: RawRepresentable & CaseIterable>(_ field: String, _ value: String?, _ type: E.Type) -> E?
    where E.RawValue == String {
        let v = (value ?? "").trimmingWhitespace()
        if v.isEmpty {
            fail(field, "error.required")
            return nil
        }
        guard let e = E(rawValue: v) else {
            fail(field, "error.choice")
            return nil
        }
        return e
    }

    public func result<T>(_ value: T) -> Result<T, ValidationFailure> {
        issues.isEmpty ? .success(value) : .failure(ValidationFailure(issues))
    }
}

/// What a project form or API body carries, before validation. Strings as typed, so errors can echo them back.
public struct ProjectDraft: Sendable, Codable, Hashable {
    public var title: String?
    public var pairingId: String?
    public var countyCode: String?
    public var workArea: String?
    public var status: String?
    public var plannedStart: String?
    public var plannedEnd: String?
    public var beneficiaries: String?
    public var description: String?
    public init(
        title: String? = nil, pairingId: String? = nil, countyCode: String? = nil, workArea: String? = nil,
        status: String? = nil, plannedStart: String? = nil, plannedEnd: String? = nil,
        beneficiaries: String? = nil, description: String? = nil
    ) {
        self.title = title
        self.pairingId = pairingId
        self.countyCode = countyCode
        self.workArea = workArea
        self.status = status
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.beneficiaries = beneficiaries
        self.description = description
    }

    /// Validates against the reference data the caller looked up: the pairing and, if found, the county.
    /// A project's county must be a county on the western side inside the pairing's western region.
    public func validate(pairing: Pairing?, county: Region?) -> Result<Project, ValidationFailure> {
        var v = Validator()
        let title = v.text("title", title, max: 200)
        let description = v.text("description", description, required: false, max: 5000)
        if (pairingId ?? "").trimmingWhitespace().isEmpty {
            v.fail("pairingId", "error.required")
        } else if pairing == nil {
            v.fail("pairingId", "error.unknown_pairing")
        }
        let countyText = (countyCode ?? "").trimmingWhitespace()
        if countyText.isEmpty {
            v.fail("countyCode", "error.required")
        } else if let county, let pairing {
            if county.level != .county || !county.code.hasPrefix(Region.scopePrefix(code: pairing.westCode, level: Self.levelOf(pairing.westCode))) {
                v.fail("countyCode", "error.county_outside_pairing")
            }
        } else if county == nil {
            v.fail("countyCode", "error.unknown_region")
        }
        let area = v.choice("workArea", workArea, WorkArea.self)
        let status = (self.status ?? "").isEmpty ? ProjectStatus.planned : v.choice("status", self.status, ProjectStatus.self)
        let start = v.day("plannedStart", plannedStart)
        let end = v.day("plannedEnd", plannedEnd)
        if let start, let end, end < start { v.fail("plannedEnd", "error.end_before_start") }
        let beneficiaries = v.count("beneficiaries", beneficiaries)
        return v.result(
            Project(
                id: 0, pairingId: pairing?.id ?? 0, countyCode: county?.code ?? "",
                workArea: area ?? .industry, title: title, status: status ?? .planned,
                plannedStart: start, plannedEnd: end, beneficiaries: beneficiaries,
                description: description))
    }

    /// Level of a province/prefecture/county code from its shape (GB/T 2260 zero-padding).
    public static func levelOf(_ code: String) -> RegionLevel {
        if code.count == 6 {
            if code.hasSuffix("0000") { return .province }
            if code.hasSuffix("00") { return .prefecture }
            return .county
        }
        return code.count == 9 ? .town : .village
    }
}

public struct TransactionDraft: Sendable, Codable, Hashable {
    public var kind: String?
    public var date: String?
    public var amountYuan: String?
    public var note: String?
    public init(kind: String? = nil, date: String? = nil, amountYuan: String? = nil, note: String? = nil) {
        self.kind = kind
        self.date = date
        self.amountYuan = amountYuan
        self.note = note
    }

    public func validate(projectId: Int64) -> Result<FundingTransaction, ValidationFailure> {
        var v = Validator()
        let kind = v.choice("kind", kind, TransactionKind.self)
        let date = v.day("date", date, required: true)
        let amount = v.money("amountYuan", amountYuan)
        let note = v.text("note", note, required: false, max: 500)
        guard let kind, let date, let amount else { return .failure(ValidationFailure(v.issues)) }
        return v.result(FundingTransaction(id: 0, projectId: projectId, kind: kind, date: date, amount: amount, note: note))
    }
}

public struct ProgressDraft: Sendable, Codable, Hashable {
    public var indicatorCode: String?
    public var regionCode: String?
    public var year: String?
    public var month: String?
    public var value: String?
    public var note: String?
    public init(
        indicatorCode: String? = nil, regionCode: String? = nil, year: String? = nil, month: String? = nil,
        value: String? = nil, note: String? = nil
    ) {
        self.indicatorCode = indicatorCode
        self.regionCode = regionCode
        self.year = year
        self.month = month
        self.value = value
        self.note = note
    }

    public func validate(region: Region?) -> Result<ProgressReport, ValidationFailure> {
        var v = Validator()
        let indicator = IndicatorCatalogue.byCode[(indicatorCode ?? "").trimmingWhitespace()]
        if indicator == nil { v.fail("indicatorCode", (indicatorCode ?? "").isEmpty ? "error.required" : "error.unknown_indicator") }
        // Ledger-sourced indicators are computed from their ledger's rows; a typed figure would count twice.
        if let ledger = indicator?.ledger.flatMap(LedgerName.init(rawValue:)) {
            v.fail("indicatorCode", "error.ledger_indicator", [ledger.title(.zh)])
        }
        if region == nil { v.fail("regionCode", (regionCode ?? "").isEmpty ? "error.required" : "error.unknown_region") }
        let year = Int((year ?? "").trimmingWhitespace())
        if year == nil || !Day.validYears.contains(year!) {
            v.fail("year", "error.year", [String(Day.validYears.lowerBound), String(Day.validYears.upperBound)])
        }
        let month = Int((month ?? "").trimmingWhitespace())
        if month == nil || !(1...12).contains(month!) { v.fail("month", "error.month") }
        var amount: Int64 = 0
        if let indicator {
            if let parsed = indicator.parse(value ?? "") {
                if parsed < 0 { v.fail("value", "error.negative") } else { amount = parsed }
            } else {
                v.fail("value", (value ?? "").isEmpty ? "error.required" : (indicator.unit.isMoney ? "error.money" : "error.integer"))
            }
        }
        let note = v.text("note", note, required: false, max: 500)
        return v.result(
            ProgressReport(
                id: 0, indicatorCode: indicator?.code ?? "", regionCode: region?.code ?? "",
                year: year ?? 0, month: month ?? 0, value: amount, state: .draft, note: note))
    }
}

/// API clients send numbers as numbers or as strings; drafts keep both as the text the user meant.
extension KeyedDecodingContainer {
    func lenientString(_ key: Key) throws -> String? {
        if try !contains(key) || decodeNil(forKey: key) { return nil }
        if let s = try? decode(String.self, forKey: key) { return s }
        if let i = try? decode(Int64.self, forKey: key) { return String(i) }
        if let d = try? decode(Double.self, forKey: key) { return String(d) }
        if let b = try? decode(Bool.self, forKey: key) { return String(b) }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string or a number"))
    }
}

extension ProjectDraft {
    enum CodingKeys: String, CodingKey {
        case title, pairingId, countyCode, workArea, status, plannedStart, plannedEnd, beneficiaries, description
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try c.lenientString(.title), pairingId: try c.lenientString(.pairingId),
            countyCode: try c.lenientString(.countyCode), workArea: try c.lenientString(.workArea),
            status: try c.lenientString(.status), plannedStart: try c.lenientString(.plannedStart),
            plannedEnd: try c.lenientString(.plannedEnd), beneficiaries: try c.lenientString(.beneficiaries),
            description: try c.lenientString(.description))
    }
}

extension TransactionDraft {
    enum CodingKeys: String, CodingKey { case kind, date, amountYuan, note }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try c.lenientString(.kind), date: try c.lenientString(.date),
            amountYuan: try c.lenientString(.amountYuan), note: try c.lenientString(.note))
    }
}

extension ProgressDraft {
    enum CodingKeys: String, CodingKey { case indicatorCode, regionCode, year, month, value, note }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            indicatorCode: try c.lenientString(.indicatorCode), regionCode: try c.lenientString(.regionCode),
            year: try c.lenientString(.year), month: try c.lenientString(.month), value: try c.lenientString(.value),
            note: try c.lenientString(.note))
    }
}
