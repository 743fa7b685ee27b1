import Foundation
import SQLKit
import XiezuoDomain

/// The regions, indicators and published pairings every installation starts with. Seeding is idempotent: rows that
/// exist are left alone, so an administrator's edits (flags, pairings) are never overwritten.
extension Store {
    public static func bundledRegions() throws -> [Region] {
        guard let url = Bundle.module.url(forResource: "regions", withExtension: "tsv") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [Region] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6, let level = RegionLevel(rawValue: f[2]), let side = Side(rawValue: f[4]) else { continue }
            out.append(
                Region(
                    code: f[0], name: f[1], level: level, parentCode: f[3].isEmpty ? nil : f[3], side: side,
                    keyAssisted: f[5] == "1"))
        }
        return out
    }

    /// Former codes and names of regions with the region that carries each on today (generated with regions.tsv).
    public static func bundledRegionHistory() throws -> [FormerRegion] {
        guard let url = Bundle.module.url(forResource: "region_history", withExtension: "tsv") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, let year = Int(f[3]) else { return nil }
            return FormerRegion(
                code: f[0], name: f[1], successor: f[2].isEmpty ? nil : f[2], lastPublished: year, changed: f.count > 4 ? Int(f[4]) : nil)
        }
    }

    /// Every region a sheet may name: today's in this database, and the former ones that lead to them.
    public func regionDirectory() async throws -> RegionDirectory {
        let regions = try await regions()
        let levels = Dictionary(regions.map { ($0.code, $0.level) }, uniquingKeysWith: { a, _ in a })
        let paired = try await pairings().compactMap { p in levels[p.westCode].map { Region.scopePrefix(code: p.westCode, level: $0) } }
        return RegionDirectory(regions, former: try Self.bundledRegionHistory(), paired: paired)
    }

    /// The province pair and the city→prefecture pairs published for 2021 onward (product brief). 黔西南's partner
    /// city is not confirmed, so it is left for users to enter.
    static let publishedPairings: [(PairingLevel, String, String)] = [
        (.province, "440000", "520000"),
        (.city, "440100", "520500"),  // 广州 → 毕节
        (.city, "440100", "522700"),  // 广州 → 黔南
        (.city, "440100", "520400"),  // 广州 → 安顺
        (.city, "440600", "522600"),  // 佛山 → 黔东南
        (.city, "441900", "520600"),  // 东莞 → 铜仁
        (.city, "440400", "520300"),  // 珠海 → 遵义
        (.city, "442000", "520200"),  // 中山 → 六盘水
    ]

    func seedReferenceData() async throws {
        let update = try await updateRegions()
        if !update.superseded.isEmpty || update.changed > 0 {
            logger.info(
                "regions brought up to the bundled table: \(update.added) added, \(update.changed) changed, \(update.superseded.count) superseded, rows moved \(update.moved), kept \(update.kept)"
            )
        }
        try await backend.write { db in
            // Any regions read before this start (or restored from a backup without a stamp) are read afresh.
            if try await db.raw("SELECT 1 AS x FROM app_meta WHERE key = 'regions_version'").first() == nil {
                try await Self.stampReferenceData(db)
            }
            for i in IndicatorCatalogue.all {
                let exists = try await db.raw("SELECT 1 AS x FROM indicators WHERE code = \(bind: i.code)").first() != nil
                if exists {
                    try await db.raw(
                        """
                        UPDATE indicators SET name_zh = \(bind: i.nameZh), name_en = \(bind: i.nameEn), unit = \(bind: i.unit.rawValue),
                        source = \(bind: i.source.rawValue), ledger = \(bind: i.ledger), work_area = \(bind: i.workArea.rawValue)
                        WHERE code = \(bind: i.code)
                        """
                    ).run()
                } else {
                    try await db.raw(
                        """
                        INSERT INTO indicators (code, name_zh, name_en, unit, source, ledger, work_area)
                        VALUES (\(bind: i.code), \(bind: i.nameZh), \(bind: i.nameEn), \(bind: i.unit.rawValue),
                                \(bind: i.source.rawValue), \(bind: i.ledger), \(bind: i.workArea.rawValue))
                        """
                    ).run()
                }
            }
            let pairings = try await db.raw("SELECT COUNT(*) AS n FROM pairings").first()?.decode(column: "n", as: Int.self) ?? 0
            if pairings == 0 {
                for (level, east, west) in Self.publishedPairings {
                    let id = try await db.raw(
                        """
                        INSERT INTO pairings (level, east_code, west_code, since_year) VALUES
                        (\(bind: level.rawValue), \(bind: east), \(bind: west), 2021) RETURNING id
                        """
                    ).first()!.decode(column: "id", as: Int64.self)
                    try await Self.audit(
                        db, .system, entity: "pairing", id: String(id), action: "create", before: Pairing?.none,
                        after: Pairing(id: id, level: level, eastCode: east, westCode: west, sinceYear: 2021))
                }
                try await Self.stampReferenceData(db)
            }
        }
    }
}
