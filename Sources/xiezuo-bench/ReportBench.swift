import ArgumentParser
import Foundation
import Logging
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Times the conference report on a generated dataset: gathering plus rendering, for each format, several runs.
/// Prints the fastest and the median run of each.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Time the conference report (HTML, XLSX, PDF).")
    @Option(help: "Database URL (a dataset from `generate`).") var database = "sqlite://./bench.sqlite"
    @Option(help: "Runs per format.") var runs = 5
    @Flag(help: "Skip the PDF (Chromium) runs.") var noPdf = false

    func run() async throws {
        let store = try await Store.open(url: database, logger: Logger(label: "bench"))
        let province = try await store.pairings().first { $0.level == .province }!
        guard let meeting = try await store.meetings(pairingId: province.id).first(where: { $0.kind == .jointConference }) else {
            throw ValidationError("no joint conference in \(database); run `xiezuo-bench generate` first")
        }
        let asOf = Day(year: meeting.date.year + 1, month: 1, day: 1)!
        print("meeting \(meeting.id) \(meeting.title), as of \(asOf)")
        var formats = ["html", "xlsx"]
        if !noPdf && PDFPrinter.chromium() != nil { formats.append("pdf") }
        for format in formats {
            var times: [Double] = []
            var size = 0
            for _ in 0..<runs {
                let start = ContinuousClock.now
                let r = try await ConferenceReport.build(store: store, meetingId: meeting.id, asOf: asOf, lang: .zh, scope: .all)!
                switch format {
                case "html": size = r.html().utf8.count
                case "xlsx": size = try r.xlsx().count
                default: size = try PDFPrinter.pdf(html: r.html(), stamp: asOf).count
                }
                let d = ContinuousClock.now - start
                times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
            times.sort()
            print(
                String(
                    format: "%@: min %.3f s, median %.3f s over %d runs, %d bytes, %d tasks, %d key projects", format,
                    times[0], times[times.count / 2], runs, size,
                    try await ConferenceReport.build(store: store, meetingId: meeting.id, asOf: asOf, lang: .zh, scope: .all)!.tasks.count,
                    ConferenceReport.keyProjectLimit))
        }
        await store.close()
    }
}
