import Foundation
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

// Each list's filter, read from its ListQuery in one place, for its page and its API list alike. The scope is a
// required argument: a filter cannot be built without saying whose data it may show.

extension ProjectFilter {
    init(_ q: ListQuery, scope: RegionScope) throws {
        self.init(scope: scope)
        text = q.text("q")
        regionCode = try q.region
        workArea = try q.choice("workArea", WorkArea.self)
        status = try q.choice("status", ProjectStatus.self)
        pairingId = try q.value("pairing") { Int64($0) }
    }
}

extension ProgressFilter {
    init(_ q: ListQuery, scope: RegionScope) throws {
        self.init(scope: scope)
        indicatorCode = try q.value("indicator") { IndicatorCatalogue.byCode[$0] != nil ? $0 : nil }
        regionCode = try q.region
        year = try q.year
        month = try q.value("month") { Int($0).flatMap { (1...12).contains($0) ? $0 : nil } }
        state = try q.state
    }
}

extension LedgerFilter {
    /// Region, from/to dates, year, review state, keyword, and choice/flag fields (`f.kind=official`).
    init(_ q: ListQuery, _ d: LedgerDefinition, scope: RegionScope) throws {
        self.init(regionCode: try q.region, year: try q.year, state: try q.state, scope: scope)
        from = try q.value("from") { SheetDate.parse($0, numeric: false) }
        to = try q.value("to") { SheetDate.parse($0, numeric: false) }
        query = try q.value("q") { $0.count <= 100 ? $0 : nil }
        for field in d.fields {
            guard let v = q.text("f.\(field.key)") else { continue }
            switch field.kind {
            case .choice(let codes): guard codes.contains(v) else { throw AppError.badFilter(field.key) }
            case .flag: guard v == "1" || v == "0" else { throw AppError.badFilter(field.key) }
            default: throw AppError.badFilter(field.key)
            }
            fields[field.key] = v
        }
    }
}
