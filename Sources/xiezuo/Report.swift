import ArgumentParser
import Foundation
import Logging
import XiezuoDomain
import XiezuoReports
import XiezuoStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Produce reports.",
        subcommands: [ConferenceReportCommand.self, AssessmentPackageCommand.self])
}

/// `xiezuo report conference --meeting ID --format html|pdf|xlsx [--output FILE]`: the same report as the web UI's,
/// over all data (the command line is the operator's). Progress goes to standard error.
struct ConferenceReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conference",
        abstract: "The progress report for a joint conference (HTML, PDF or XLSX).")
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, pdf, xlsx }

    @Option(help: "The meeting's id (see /meetings).") var meeting: Int64
    @Option(help: "html, pdf or xlsx.") var format: Format = .html
    @Option(help: "File to write; standard output when omitted.") var output: String?
    @Option(help: "The day the data are reported as of (YYYY-MM-DD); today in China when omitted.") var asOf: String?
    @Option(help: "zh or en.") var lang: String = "zh"
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        guard let language = Language(rawValue: lang) else { throw CommandFailure("--lang: zh 或 en / zh or en") }
        let day: Day
        if let asOf {
            guard let d = Day(asOf) else { throw CommandFailure("--as-of 应为 YYYY-MM-DD / must be YYYY-MM-DD") }
            day = d
        } else {
            day = Day.inChina()
        }
        let store: Store
        do { store = try await Store.open(url: db.database, logger: Logger(label: "xiezuo")) } catch let e as StoreError {
            throw CommandFailure(e.description)
        }
        try await store.migrate()
        func step(_ s: String) { FileHandle.standardError.write(Data("· \(s)\n".utf8)) }
        step("收集数据 / gathering figures")
        guard let report = try await ConferenceReport.build(store: store, meetingId: meeting, asOf: day, lang: language, scope: .all) else {
            await store.close()
            throw CommandFailure("会议 \(meeting) 不存在；会议编号见网页 /meetings / meeting \(meeting) does not exist; see /meetings for ids")
        }
        step("生成 \(format.rawValue.uppercased()) / rendering \(format.rawValue.uppercased())")
        let data: Data
        switch format {
        case .html: data = Data(report.html().utf8)
        case .xlsx: data = try report.xlsx()
        case .pdf:
            do { data = try PDFPrinter.pdf(html: report.html(), stamp: day) } catch PDFPrinter.Failure.chromiumMissing {
                await store.close()
                throw CommandFailure(Strings.text("report_pdf_unavailable", .zh) + " / " + Strings.text("report_pdf_unavailable", .en))
            }
        }
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
            step("已写入 / written: \(output) (\(data.count) bytes)")
        } else {
            FileHandle.standardOutput.write(data)
        }
        await store.close()
    }

}

/// `xiezuo report assessment --pairing ID --year Y --output FILE.zip`: the year-end assessment package — the
/// self-assessment report (PDF and XLSX), one folder per indicator with its figures, ledger rows and evidence.
struct AssessmentPackageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment", abstract: "The year-end assessment package of a pairing (zip).")

    @Option(help: "The pairing's id (see /pairings).") var pairing: Int64
    @Option(help: "The assessed year.") var year: Int
    @Option(help: "The zip file to write.") var output: String
    @Option(help: "zh or en (the report's labels).") var lang: String = "zh"
    @Flag(help: "Leave the PDF out (the report is then included as HTML), e.g. where no Chromium is installed.") var noPdf = false
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        guard let language = Language(rawValue: lang) else { throw CommandFailure("--lang: zh 或 en / zh or en") }
        guard output.lowercased().hasSuffix(".zip") else { throw CommandFailure("--output 应以 .zip 结尾 / must end in .zip") }
        let store: Store
        do { store = try await Store.open(url: db.database, logger: Logger(label: "xiezuo")) } catch let e as StoreError {
            throw CommandFailure(e.description)
        }
        do {
            try await produce(store, language)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    func produce(_ store: Store, _ language: Language) async throws {
        try await store.migrate()
        guard let p = try await store.pairings().first(where: { $0.id == pairing }) else {
            throw CommandFailure("结对 \(pairing) 不存在；编号见网页 /pairings / pairing \(pairing) does not exist; see /pairings for ids")
        }
        let stamp = Day.inChina()
        var render: ((String) throws -> Data)? = nil
        if !noPdf {
            guard PDFPrinter.chromium() != nil else {
                throw CommandFailure(
                    Strings.text("report_pdf_unavailable", .zh) + "（或加 --no-pdf）/ " + Strings.text("report_pdf_unavailable", .en)
                        + " (or add --no-pdf)")
            }
            render = { html in try PDFPrinter.pdf(html: html, stamp: stamp) }
        }
        let url = URL(fileURLWithPath: output)
        do {
            let summary = try await AssessmentPackage.write(
                store: store, pairing: p, year: year, lang: language, output: url, pdf: render,
                progress: { FileHandle.standardError.write(Data("· \($0)\n".utf8)) })
            FileHandle.standardError.write(
                Data("已写入 / written: \(output) — \(summary.files) 个文件 / files, \(summary.evidence) 份佐证材料 / evidence files\n".utf8))
        } catch AssessmentPackage.Failure.noAgreement {
            try? FileManager.default.removeItem(at: url)
            throw CommandFailure("结对 \(pairing) 没有 \(year) 年的协议，无从考核 / pairing \(pairing) has no agreement for \(year)")
        }
    }
}
