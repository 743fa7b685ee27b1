import ArgumentParser
import Foundation
import Logging
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

extension LedgerName: ExpressibleByArgument {}
extension LedgerExport.Format: ExpressibleByArgument {}

/// Progress on standard error: a bar that redraws itself on a terminal, a line every tenth otherwise.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var shown = -1
    init(_ label: String) { self.label = label }

    func update(_ fraction: Double) {
        let pct = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        lock.lock()
        defer { lock.unlock() }
        guard pct != shown, tty || pct / 10 != shown / 10 || pct == 100 else { return }
        shown = pct
        let filled = pct / 4
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 25 - filled)
        FileHandle.standardError.write(Data("\(tty ? "\r" : "")\(label) [\(bar)] \(pct)%\(tty && pct < 100 ? "" : "\n")".utf8))
    }
}

func openLedgerStore(_ url: String) async throws -> Store {
    let store: Store
    do { store = try await Store.open(url: url, logger: Logger(label: "xiezuo")) } catch let e as StoreError { throw CommandFailure(e.description) }
    do { try await store.migrate() } catch let e as PersonalDataError {
        await store.close()
        throw CommandFailure(e.description)
    }
    return store
}

/// `xiezuo import LEDGER FILE [--dry-run]`: the same preview as the web page, then (without --dry-run) every row in
/// one transaction — or, if any row is rejected, none.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a ledger sheet (XLSX or CSV): preview, then all rows or none.",
        discussion:
            "LEDGER: \(LedgerName.allCases.map(\.rawValue).joined(separator: ", ")). Rejected rows are listed with their row, column and reason; nothing is written then."
    )

    @Argument(help: "Which ledger.") var ledger: LedgerName
    @Argument(help: "The .xlsx or .csv file.") var file: String
    @Flag(help: "Show what would happen; write nothing.") var dryRun = false
    @Option(help: "How many rows of each outcome to list (default 20; rejected rows up to 1,000).") var show: Int = 20
    @Option(
        name: .customLong("map"),
        help: "A header no synonym knows, and the field it holds: --map '购货单位=buyer' (a field's key or its Chinese name; repeat for several).")
    var mappings: [String] = []
    @Option(help: "Which worksheet of a workbook: its name, or its position from 1 (default: the first whose header maps).") var sheet: String?
    @OptionGroup var db: DatabaseOption

    /// `HEADER=field` pairs, the field named by its key or its Chinese label.
    static func mapping(_ pairs: [String], _ d: LedgerDefinition) throws -> [String: String] {
        var out: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            let key = parts.count == 2 ? d.fields.first { $0.key == parts[1] || d.label($0.key, .zh) == parts[1] }?.key : nil
            guard parts.count == 2, !parts[0].isEmpty, let key else {
                throw CommandFailure(
                    "--map 须为 表头=字段 / must be HEADER=field: \(pair)\n字段 / fields: "
                        + d.fields.map { "\($0.key)（\(d.label($0.key, .zh))）" }.joined(separator: "、"))
            }
            out[parts[0]] = key
        }
        return out
    }

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        let mapping = try Self.mapping(mappings, ledger.definition)
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw CommandFailure("无法读取文件 / cannot read \(file)") }
        let store = try await openLedgerStore(db.database)
        let regions = try await store.regionDirectory()
        let definition = ledger.definition
        let bar = ProgressBar(dryRun ? "预览 / previewing" : "导入 / importing")
        let report: LedgerImportReport
        var rejected = false
        do {
            report = try await store.importLedger(
                ledger, commit: !dryRun, actor: Actor(name: "cli", address: nil), canWrite: { _ in true },
                progress: { bar.update($0) },
                open: { try LedgerFileRows(url: url, definition: definition, regions: regions, mapping: mapping, sheet: sheet) })
        } catch let e as LedgerImportRejected {
            report = e.report
            rejected = true
        } catch let e as SheetFileError {
            await store.close()
            throw CommandFailure(
                Strings.text("ledger.not_a_sheet", .zh, [e.message(.zh)]) + "\n" + Strings.text("ledger.not_a_sheet", .en, [e.message(.en)]))
        } catch let e as CellIssue {
            await store.close()
            var text = e.message(.zh) + "\n" + e.message(.en)
            if e.key == "ledger.missing_columns" || e.key == "ledger.no_header" {
                text +=
                    "\n若文件用了别的表头，用 --map '表头=字段' 指明 / if the file names a column otherwise, say which with --map 'HEADER=field'; 字段 / fields: "
                    + definition.fields.map { "\($0.key)（\(definition.label($0.key, .zh))）" }.joined(separator: "、")
            }
            throw CommandFailure(text)
        }
        await store.close()
        print(Self.describe(report, definition: definition, show: show, dryRun: dryRun))
        if rejected || (dryRun && report.rejected > 0) {
            throw ExitCode(1)
        }
    }

    static func describe(_ r: LedgerImportReport, definition d: LedgerDefinition, show: Int, dryRun: Bool) -> String {
        var out = "\(d.name.title(.zh)) / \(d.name.title(.en))\n"
        out += "新增 added \(r.added) · 更新 updated \(r.updated) · 未变 unchanged \(r.unchanged)"
        if r.repeated > 0 { out += " · 重复 repeated \(r.repeated)" }
        out += " · 拒绝 rejected \(r.rejected)\n"
        if !r.ignoredColumns.isEmpty {
            out += "未导入的列 / columns not imported: " + r.ignoredColumns.joined(separator: "、") + "\n"
        }
        let rejected = r.rows.filter { $0.outcome == .rejected }
        if !rejected.isEmpty {
            out += "\n被拒绝的行 / rejected rows:\n"
            for o in rejected {
                for i in o.issues.isEmpty ? [CellIssue(column: "", key: "ledger.required")] : o.issues {
                    out += "  第 \(o.row) 行 row \(o.row)\(i.column.isEmpty ? "" : " · \(i.column)")：\(i.message(.zh))\n"
                }
            }
            if r.unlistedRejected > 0 { out += "  " + Strings.text("ledger.too_many_errors", .zh, [String(r.unlistedRejected)]) + "\n" }
        }
        for outcome in [LedgerOutcome.added, .updated, .repeated] {
            let rows = r.rows.filter { $0.outcome == outcome }.prefix(show)
            guard !rows.isEmpty else { continue }
            out += "\n\(Strings.text("ledger_" + outcome.rawValue, .zh)) / \(outcome.rawValue):\n"
            let keys = d.fields.indices.filter { d.fields[$0].inKey }
            for o in rows {
                out +=
                    "  第 \(o.row) 行 · " + keys.map { o.values[$0] }.joined(separator: " · ")
                    + (o.issues.isEmpty ? "" : "（" + o.issues.map { $0.message(.zh) }.joined(separator: "；") + "）") + "\n"
            }
        }
        out += "\n"
        if r.rejected > 0 {
            out += "未写入任何数据：请按上面的行号和列修改文件后重新导入。\nNothing was written: correct the rows above and import again."
        } else if dryRun {
            out += "预览，未写入。去掉 --dry-run 即导入。\nPreview only; nothing written. Run again without --dry-run to import."
        } else {
            out += "已导入，新增和更新的记录待审核。\nImported; added and updated rows await review."
        }
        return out
    }
}

/// `xiezuo export LEDGER [--format xlsx|csv] [--region CODE] [--from DATE] [--to DATE] [--output FILE]`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a ledger as XLSX or CSV (Chinese headers; importing it back changes nothing).")

    @Argument(help: "Which ledger.") var ledger: LedgerName
    @Option(help: "xlsx or csv (default csv to standard output, xlsx with --output).") var format: LedgerExport.Format?
    @Option(help: "Only rows of counties inside this region code.") var region: String?
    @Option(help: "First date (YYYY-MM-DD).") var from: String?
    @Option(help: "Last date (YYYY-MM-DD).") var to: String?
    @Option(help: "Only rows in this review state: submitted, approved, returned.") var state: String?
    @Option(help: "File to write; standard output when omitted.") var output: String?
    @Flag(help: "Mask ID numbers and phones (as the web shows them to offices that may not see them).") var mask = false
    @Flag(
        help:
            "Write the empty template to fill in instead (XLSX: the export's columns, drop-downs of the counties under --region or of every paired county, text and date formats)."
    ) var template = false
    @OptionGroup var db: DatabaseOption

    func writeTemplate() async throws {
        let store = try await openLedgerStore(db.database)
        let counties: [Region]
        do {
            let regions = try await store.regions()
            let levels = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0.level) })
            let paired = try await store.pairings().compactMap { p in levels[p.westCode].map { Region.scopePrefix(code: p.westCode, level: $0) } }
            let within = region.flatMap { code in levels[code].map { Region.scopePrefix(code: code, level: $0) } }
            counties = regions.filter { r in
                r.level == .county && r.side == .west && paired.contains { r.code.hasPrefix($0) } && (within.map { r.code.hasPrefix($0) } ?? true)
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let data = try LedgerTemplate.workbook(ledger.definition, counties: counties).data()
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("已写入模板 / template written: \(output) (\(counties.count) 个县 counties in its list)\n".utf8))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    func run() async throws {
        if template {
            if let region { guard Region.isWellFormedCode(region) else { throw CommandFailure("--region: 6 位地区代码 / a 6-digit region code") } }
            return try await writeTemplate()
        }
        var f = LedgerFilter(scope: .all)  // the command line is the operator: every region
        if let region {
            guard Region.isWellFormedCode(region) else { throw CommandFailure("--region: 6 位地区代码 / a 6-digit region code") }
            f.regionCode = region
        }
        if let from {
            guard let d = Day(from) else { throw CommandFailure("--from 应为 YYYY-MM-DD / must be YYYY-MM-DD") }
            f.from = d
        }
        if let to {
            guard let d = Day(to) else { throw CommandFailure("--to 应为 YYYY-MM-DD / must be YYYY-MM-DD") }
            f.to = d
        }
        if let state {
            guard let s = ProgressState(rawValue: state) else { throw CommandFailure("--state: submitted, approved, returned") }
            f.state = s
        }
        let format = self.format ?? (output?.lowercased().hasSuffix(".xlsx") == true ? .xlsx : .csv)
        let store = try await openLedgerStore(db.database)
        let mask = self.mask
        let result: LedgerExport.Result
        do {
            result = try await LedgerExport.write(
                store: store, ledger: ledger, filter: f, columns: nil, format: format, reveal: { _ in !mask },
                progress: { n in FileHandle.standardError.write(Data("\r导出 / exported \(n)".utf8)) })
            try await store.recordExport(ledger, rows: result.rows, revealed: result.revealed, actor: Actor(name: "cli", address: nil))
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        defer { try? FileManager.default.removeItem(at: result.file.deletingLastPathComponent()) }
        if let output {
            let dest = URL(fileURLWithPath: output)
            try? FileManager.default.removeItem(at: dest)
            try FileManager.default.copyItem(at: result.file, to: dest)
            FileHandle.standardError.write(Data("\n已写入 / written: \(output) (\(result.rows) 行 rows)\n".utf8))
        } else {
            FileHandle.standardError.write(Data("\n".utf8))
            FileHandle.standardOutput.write(try Data(contentsOf: result.file))
        }
    }
}
