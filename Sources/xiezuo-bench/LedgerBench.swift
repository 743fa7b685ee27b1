import ArgumentParser
import Foundation
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// Ledger data for benchmarks: a labour sheet of any size as offices would send it (XLSX, Chinese headers), and
/// approved ledger rows in a database. Deterministic.
struct LedgerSheet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger-sheet", abstract: "Write a labour ledger sheet of N rows (XLSX).")
    @Option(help: "Rows.") var rows = 500_000
    @Option(help: "The .xlsx file to write.") var output = "labour.xlsx"

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗龙潘石")
    static let given = Array("明华芳军丽强敏静磊洋艳勇娟涛超秀英兰平刚桂梅")
    static let cities = ["佛山市", "东莞市", "广州市", "深圳市", "中山市", "珠海市"]

    /// The n-th worker (canonical values) in one of the counties. County, sequence number and birth date together
    /// spell n, so every worker has an ID number of their own (the ID is the ledger's natural key).
    static func worker(_ n: Int, _ counties: [Region]) -> [String] {
        let c = counties[n % counties.count]
        let k = n / (counties.count * 1000)
        let first17 =
            c.code + String(1965 + k % 40) + String(format: "%02d%02d", 1 + (k / 40) % 12, 1 + (k / 480) % 28)
            + String(format: "%03d", (n / counties.count) % 1000)
        let id = first17 + String(IDNumber.checkCharacter(first17))
        let name = "\(surnames[n % surnames.count])\(given[(n / 7) % given.count])\(given[(n / 13) % given.count])"
        let start = Day(year: 2020 + n % 5, month: 1 + n % 12, day: 1 + (n / 12) % 28)!
        return [
            name, id, "13\(String(format: "%09d", n))", c.code, n % 3 == 0 ? "1" : "0", "企业\(n % 5000)",
            cities[n % cities.count], start.description, String(1 + n % 12), String((3000 + n % 5000) * 100),
        ]
    }

    func run() async throws {
        // The counties of the bundled region table (no database needed to write a sheet).
        let store = try await Store.open(
            url: "sqlite://" + FileManager.default.temporaryDirectory.appendingPathComponent("regions-\(UUID().uuidString).sqlite").path,
            logger: .init(label: "bench"))
        try await store.migrate()
        // Guizhou's counties: the workers of a Guangdong–Guizhou labour ledger (a bare name like 新城区 is also a
        // district of other western provinces, and such a name is refused rather than guessed).
        let counties = try await store.regions().filter { $0.code.hasPrefix("52") && $0.level == .county }
        await store.close()
        let d = LedgerName.labour.definition
        let sheet = try XLSXSheetStream(name: "劳务协作台账", header: d.fields.map { d.label($0.key, .zh) })
        for n in 0..<rows {
            let v = Self.worker(n, counties)
            let county = counties[n % counties.count].name
            sheet.append([
                .text(v[0]), .text(v[1]), .text(v[2]), .text(county), .text(v[4] == "1" ? "是" : "否"), .text(v[5]),
                .text(v[6]), .text(v[7]), .number(v[8]), .number(String(Int(v[9])! / 100)),
            ])
            if n % 100_000 == 0 && n > 0 { print("rows: \(n)") }
        }
        let file = try sheet.finish()
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.copyItem(at: file, to: URL(fileURLWithPath: output))
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.intValue ?? 0
        print("wrote \(output): \(rows) rows, \(size / 1_000_000) MB")
    }

    /// Approved rows over the eight ledgers, imported a hundred thousand at a time.
    static func fill(_ store: Store, rows: Int, counties: [Region], actor: Actor) async throws {
        let share: [(LedgerName, Int)] = [
            (.labour, 40), (.consumption, 20), (.exchanges, 10), (.pairs, 10), (.donations, 8),
            (.services, 8), (.investment, 3), (.parks, 1),
        ]
        for (ledger, pct) in share {
            let n = rows * pct / 100
            var start = 0
            while start < n {
                let end = min(n, start + 100_000)
                let made = (start..<end).map { i in ParsedLedgerRow(rowNumber: i + 2, values: row(ledger, i, counties), issues: []) }
                let r = try await store.importLedger(ledger, commit: true, actor: actor, canWrite: { _ in true }, open: { Rows(rows: made) })
                start = end
                print("\(ledger.rawValue): \(start) / \(n) (added \(r.added))")
            }
            // Approved by a reviewer: nobody approves rows they imported themselves.
            let approved = try await store.approveLedgerRows(
                ledger, LedgerFilter(scope: .all), actor: Actor(name: "xiezuo-bench.reviewer", address: nil))
            print("\(ledger.rawValue): approved \(approved)")
        }
    }

    static func row(_ ledger: LedgerName, _ i: Int, _ counties: [Region]) -> [String] {
        let c = counties[i % counties.count].code
        let day = Day(year: 2021 + i % 5, month: 1 + i % 12, day: 1 + (i / 12) % 28)!.description
        let money = String(Int64(100 + i % 50_000) * 10_000)
        switch ledger {
        case .labour: return worker(i, counties)
        case .consumption: return ["产品\(i % 500)", "类别\(i % 10)", "供货企业\(i % 3000)", c, "采购方\(i)", LedgerCatalogue.channels[i % 6], money, day]
        case .investment: return ["投资企业\(i)", "项目\(i)", c, "", money, day]
        case .parks: return ["园区\(i)", c, "东部共建方\(i % 20)", day, String(i % 50), money]
        case .exchanges: return ["人员\(i)", i % 8 == 0 ? "official" : "professional", "派出单位\(i % 100)", "接收单位\(i % 100)", c, "教育", day, ""]
        case .pairs: return [["village", "school", "hospital"][i % 3], "受援单位\(i)", c, "enterprise", "帮扶方\(i % 1000)", day, money]
        case .donations: return ["捐赠方\(i)", i % 2 == 0 ? "cash" : "inKind", i % 2 == 0 ? "" : "物资\(i)", money, c, "", day]
        case .services: return ["事项\(i)", "部门", c, day, String(i % 400)]
        }
    }

    struct Rows: LedgerRowStream {
        var rows: [ParsedLedgerRow]
        var i = 0
        mutating func nextRow() throws -> ParsedLedgerRow? {
            defer { i += 1 }
            return i < rows.count ? rows[i] : nil
        }
        var fraction: Double { rows.isEmpty ? 1 : Double(i) / Double(rows.count) }
    }
}
