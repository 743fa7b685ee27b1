import XiezuoDomain
import XiezuoStore

extension CountyMap {
    /// The map of one western province for one indicator and year, as far as the reader may see: counties outside
    /// `scope` are drawn without figures; partners are those of the readable pairings (`pairingIds`, nil: all).
    /// `measure` nil: completion where any county has a target of its own for the indicator, else the amount.
    public static func build(
        store: Store, lang: Language, province: String, year: Int, indicator: Indicator, measure: Measure?,
        counted: CountedStates, scope: RegionScope, pairingIds: [Int64]?, countyLink: (String) -> String?
    ) async throws -> CountyMap? {
        guard let frame = CountyShapes.shared.frame(province: province) else { return nil }
        let regions = try await store.regionIndex()
        let prefix = String(province.prefix(2))
        let actuals = try await store.actualsByCounty(year: year, within: prefix, indicatorCode: indicator.code, counted: counted)

        let pairings = try await store.pairings().filter {
            $0.westCode.hasPrefix(prefix) && $0.isActive(in: year) && (pairingIds?.contains($0.id) ?? true)
        }
        // A county's own target: its county-level agreement of the year.
        var targets: [String: Int64] = [:]
        let countyPairings = Dictionary(pairings.filter { $0.level == .county }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if !countyPairings.isEmpty {
            let byAgreement = try await store.targetsByAgreement(year: year)
            for a in try await store.agreements(year: year) {
                guard let p = countyPairings[a.pairingId] else { continue }
                for item in byAgreement[a.id] ?? [] where item.target.indicatorCode == indicator.code {
                    targets[p.westCode, default: 0] += item.target.value
                }
            }
        }
        func eastName(_ p: Pairing) -> String { p.eastParty ?? regions[p.eastCode]?.name ?? p.eastCode }
        var partnersOf: [String: [String]] = [:]
        var assists: [String: (name: String, places: [String])] = [:]
        for p in pairings.sorted(by: { ($0.eastCode, $0.westCode) < ($1.eastCode, $1.westCode) }) where p.level == .city || p.level == .county {
            assists[p.eastCode, default: (eastName(p), [])].places.append(p.westCode)
            let place = p.level == .city ? String(p.westCode.prefix(4)) : p.westCode
            for shape in frame.counties where shape.code.hasPrefix(place) { partnersOf[shape.code, default: []].append(eastName(p)) }
        }

        var counties: [String: County] = [:]
        for shape in frame.counties {
            guard let r = regions[shape.code] else { continue }
            counties[shape.code] = County(
                code: r.code, name: r.name, actual: actuals[r.code], target: targets[r.code], keyAssisted: r.keyAssisted,
                readable: scope.contains(r.code), partners: partnersOf[r.code] ?? [], href: countyLink(r.code))
        }
        let chosen = measure ?? (targets.isEmpty ? .amount : .completion)
        let provinceName = regions[province]?.name ?? province
        let what = chosen == .completion ? Strings.text("completion", lang) : Strings.text("map_amount", lang)
        return CountyMap(
            lang: lang, title: Strings.text("map_title", lang, [String(year), provinceName, indicator.name(lang), what]), frame: frame,
            indicator: indicator, measure: chosen, counties: counties,
            prefectureNames: Dictionary(
                frame.prefectures.compactMap { s in regions[s.code].map { (s.code, $0.name) } }, uniquingKeysWith: { a, _ in a }),
            partners: assists.sorted { $0.key < $1.key }.map { Partner(name: $0.value.name, assists: $0.value.places) })
    }
}
