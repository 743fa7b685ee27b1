import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// What the public portal shows of a year: approved figures summed by prefecture and by county for the western
/// regions the installation's pairings cover, and the completed projects with their funds. Built only from approved
/// running totals and project records — never from ledgers (personal data), drafts or submitted figures, users,
/// audit records or documents.
public struct PublicFigures: Sendable {
    public struct Figure: Sendable, Encodable {
        public var level: String  // "prefecture" or "county"
        public var code: String
        public var name: String
        public var prefecture: String
        public var indicator: String
        public var indicatorName: String
        public var unit: String
        /// A plain number in the unit (万元 with six decimals, exact; counts whole).
        public var value: String
        /// As people read it (grouped, two decimals for money).
        public var display: String
    }

    public struct CompletedProject: Sendable, Encodable {
        public var title: String
        public var county: String
        public var countyCode: String
        public var workArea: String
        public var plannedEnd: String?
        /// 万元, exact.
        public var budget: String
        public var disbursed: String
        public var spent: String
    }

    public var year: Int
    public var figures: [Figure]
    public var projects: [CompletedProject]

    /// The most projects the portal lists (largest budgets first).
    public static let projectLimit = 200

    public static func build(store: Store, year: Int, lang: Language) async throws -> PublicFigures {
        let regions = try await store.regionIndex()
        let covered = Array(
            Set(
                try await store.pairings().filter { $0.isActive(in: year) }.map {
                    Region.scopePrefix(code: $0.westCode, level: ProjectDraft.levelOf($0.westCode))
                })
        ).sorted()
        // A prefix inside another adds nothing (a province's pairing covers its prefectures').
        let outer = covered.filter { p in !covered.contains { $0 != p && p.hasPrefix($0) } }
        var byPrefecture: [String: [String: Int64]] = [:]
        var byCounty: [String: [String: Int64]] = [:]
        for row in try await store.approvedTotals(year: year, within: outer) {
            guard row.region.count == 6, row.region.suffix(4) != "0000" else { continue }
            byPrefecture[String(row.region.prefix(4)) + "00", default: [:]][row.indicator, default: 0] += row.total
            if row.region.suffix(2) != "00" { byCounty[row.region, default: [:]][row.indicator, default: 0] += row.total }
        }
        func lines(_ level: String, _ sums: [String: [String: Int64]]) -> [Figure] {
            sums.keys.sorted().flatMap { code in
                IndicatorCatalogue.all.compactMap { i -> Figure? in
                    guard let v = sums[code]?[i.code] else { return nil }
                    return Figure(
                        level: level, code: code, name: regions[code]?.name ?? code,
                        prefecture: regions[String(code.prefix(4)) + "00"]?.name ?? "", indicator: i.code, indicatorName: i.name(lang),
                        unit: Strings.text("unit_" + i.unit.rawValue, lang), value: i.unit.isMoney ? Money(fen: v).wanExact : String(v),
                        display: i.format(v))
                }
            }
        }
        let projects = try await store.keyProjects(
            ProjectFilter(status: .completed, scope: .within(outer)), limit: projectLimit)
        return PublicFigures(
            year: year, figures: lines("prefecture", byPrefecture) + lines("county", byCounty),
            projects: projects.map { p in
                CompletedProject(
                    title: p.project.title, county: p.countyName, countyCode: p.project.countyCode, workArea: p.project.workArea.name(lang),
                    plannedEnd: p.project.plannedEnd?.description, budget: p.funding.budget.wanExact, disbursed: p.funding.disbursed.wanExact,
                    spent: p.funding.spent.wanExact)
            })
    }

    /// The figures as CSV: a licence line, a header, one line per region and indicator.
    public func csv(licence: String, lang: Language) -> String {
        // Names are guarded against spreadsheet formulas; codes and numbers are the program's own and stay numbers.
        func cell(_ s: String, text: Bool = false) -> String {
            let guarded = text ? FormulaGuard.escape(s) : s
            return guarded.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : guarded
        }
        var out = "# " + Strings.text("public_licence_line", lang, [licence]) + "\r\n"
        out += "year,level,code,name,prefecture,indicator,indicator_name,unit,value\r\n"
        for f in figures {
            out += [
                cell(String(year)), cell(f.level), cell(f.code), cell(f.name, text: true), cell(f.prefecture, text: true), cell(f.indicator),
                cell(f.indicatorName, text: true), cell(f.unit, text: true), cell(f.value),
            ].joined(separator: ",")
            out += "\r\n"
        }
        return out
    }
}
