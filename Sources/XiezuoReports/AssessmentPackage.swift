import Foundation
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// The year-end assessment package (考核材料): one zip a reviewer can walk without the platform — the
/// self-assessment report (PDF and XLSX) at its top, then one folder per scored indicator with its figures, its ledger
/// rows (XLSX, personal data masked) and the evidence files of both, each named by region and period. Projects'
/// evidence has a folder of its own, and 目录.csv lists every file with what it supports.
public enum AssessmentPackage {
    public struct Summary: Sendable {
        public var files: Int
        public var evidence: Int
        public var pdf: Bool
    }

    public enum Failure: Error, Equatable { case noAgreement }

    /// Writes the package to `output`. `pdf` renders the report's HTML (nil: no PDF, said in the index).
    public static func write(
        store: Store, pairing: Pairing, year: Int, lang: Language, output: URL,
        pdf: ((String) throws -> Data)?, progress: (String) -> Void = { _ in }
    ) async throws -> Summary {
        guard let assessment = try await YearAssessment.build(store: store, pairing: pairing, year: year) else { throw Failure.noAgreement }
        let regions = try await store.regionIndex()
        let west = pairing.westCode
        try? FileManager.default.removeItem(at: output)
        let zip = try ZipPackage(url: output)
        var index: [[String]] = [["文件 / file", "内容 / what", "指标 / indicator", "地区 / region", "期间 / period"]]
        var evidenceCount = 0
        let east = regions[pairing.eastCode]?.name ?? pairing.eastCode
        let westName = regions[west]?.name ?? west
        let title = "\(east)—\(westName) \(year)年东西部协作考核材料"

        // The report.
        progress("自评报告 / the self-assessment report")
        let html = reportHTML(assessment, title: title, regions: regions, lang: lang)
        let xlsx = try reportXLSX(assessment, lang: lang)
        index.append([try zip.add("00_自评报告.xlsx", xlsx), "自评报告（表格）", "", westName, String(year)])
        var madePDF = false
        if let pdf {
            index.append([try zip.add("00_自评报告.pdf", try pdf(html)), "自评报告", "", westName, String(year)])
            madePDF = true
        } else {
            index.append([try zip.add("00_自评报告.html", Data(html.utf8)), "自评报告（未能生成 PDF：本机没有 Chromium）", "", westName, String(year)])
        }

        // One folder per indicator.
        for (n, row) in assessment.score.rows.enumerated() {
            let ind = row.indicator
            let folder = String(format: "%02d_", n + 1) + safe(ind.name(.zh))
            progress("\(n + 1)/\(assessment.score.rows.count) \(ind.name(.zh))")
            var figures: [ProgressReport] = []
            var page = 1
            while true {
                let got = try await store.progress(
                    ProgressFilter(indicatorCode: ind.code, regionCode: west, year: year, scope: .all), page: Page(number: page, size: Page.maxSize))
                figures += got.items
                if figures.count >= got.total || got.items.isEmpty { break }
                page += 1
            }
            figures.sort { ($0.regionCode, $0.month) < ($1.regionCode, $1.month) }
            if !figures.isEmpty {
                let sheet = XLSXWriter.Sheet(
                    name: "填报数据", header: ["地区", "地区代码", "月份", "数值（\(Strings.text("unit_" + ind.unit.rawValue, .zh))）", "审核状态", "备注"],
                    rows: figures.map { f in
                        [
                            .text(regions[f.regionCode]?.name ?? f.regionCode), .text(f.regionCode), .text(period(f.year, f.month)),
                            .number(ind.format(f.value).replacingOccurrences(of: ",", with: "")),
                            .text(Strings.text("state_" + f.state.rawValue, .zh)),
                            .text(f.note),
                        ]
                    })
                index.append([
                    try zip.add("\(folder)/填报数据.xlsx", try XLSXWriter(sheets: [sheet]).data()), "填报数据", ind.name(.zh), westName, String(year),
                ])
            }
            let byId = Dictionary(uniqueKeysWithValues: figures.map { ($0.id, $0) })
            for a in try await store.attachments(owner: .progress, ownerIds: figures.map(\.id)) {
                guard let f = byId[a.ownerId] else { continue }
                let region = regions[f.regionCode]?.name ?? f.regionCode
                let name = try zip.add(
                    "\(folder)/佐证材料/\(safe(region))_\(period(f.year, f.month))_\(safe(a.fileName))", try await store.attachmentData(id: a.id))
                index.append([name, "佐证材料（填报数据）", ind.name(.zh), region, period(f.year, f.month)])
                evidenceCount += 1
            }
            if let ledger = ind.ledger.flatMap(LedgerName.init(rawValue:)) {
                let filter = LedgerFilter(regionCode: west, year: year, state: .approved, scope: .all)
                let export = try await LedgerExport.write(
                    store: store, ledger: ledger, filter: filter, columns: nil, format: .xlsx, reveal: { _ in false })
                defer { try? FileManager.default.removeItem(at: export.file.deletingLastPathComponent()) }
                let name = try zip.add("\(folder)/台账_\(safe(ledger.title(.zh))).xlsx", try Data(contentsOf: export.file))
                index.append([name, "台账记录 \(export.rows) 条（已审核；个人信息已遮盖）", ind.name(.zh), westName, String(year)])
                var last: Int64 = 0
                while true {
                    let rows = try await store.ledgerRows(ledger, filter, afterId: last, limit: 2000)
                    guard let end = rows.last else { break }
                    let byRow = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
                    for a in try await store.attachments(owner: .ledgerRow, ownerIds: rows.map(\.id)) {
                        guard let r = byRow[a.ownerId] else { continue }
                        let region = regions[r.countyCode]?.name ?? r.countyCode
                        let name = try zip.add(
                            "\(folder)/佐证材料/\(safe(region))_\(r.date)_台账\(r.id)_\(safe(a.fileName))", try await store.attachmentData(id: a.id))
                        index.append([name, "佐证材料（台账记录 \(r.id)）", ind.name(.zh), region, r.date])
                        evidenceCount += 1
                    }
                    last = end.id
                }
            }
        }

        // Projects of the pairing and their evidence.
        progress("项目佐证材料 / project evidence")
        var projects: [Project] = []
        var projectPage = 1
        while true {
            let got = try await store.projects(ProjectFilter(pairingId: pairing.id, scope: .all), page: Page(number: projectPage, size: Page.maxSize))
            projects += got.items.map(\.project)
            if projects.count >= got.total || got.items.isEmpty { break }
            projectPage += 1
        }
        for a in try await store.attachments(owner: .project, ownerIds: projects.map(\.id)) {
            guard let p = projects.first(where: { $0.id == a.ownerId }) else { continue }
            let name = try zip.add("项目佐证材料/\(safe(p.title))_\(safe(a.fileName))", try await store.attachmentData(id: a.id))
            index.append([name, "佐证材料（项目）", "", regions[p.countyCode]?.name ?? p.countyCode, ""])
            evidenceCount += 1
        }

        // The index, first line the title; a byte-order mark so Excel reads it as UTF-8.
        let csv = "\u{FEFF}" + ([[title]] + index).map { $0.map(csvCell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        try zip.add("目录.csv", Data(csv.utf8))
        return Summary(files: index.count, evidence: evidenceCount, pdf: madePDF)
    }

    static func period(_ year: Int, _ month: Int) -> String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// A name safe as one path segment on Windows, macOS and Linux.
    static func safe(_ s: String) -> String {
        let cleaned = String(s.map { "/\\:*?\"<>|".contains($0) || $0.isNewline ? "_" : $0 })
        return String(cleaned.trimmingWhitespace().prefix(80))
    }

    static func csvCell(_ s: String) -> String {
        s.contains(where: { ",\"\r\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func reportXLSX(_ a: YearAssessment, lang: Language) throws -> Data {
        let rows: [[XLSXWriter.Cell]] = a.score.rows.map { r in
            [
                .text(r.indicator.name(lang)), .number(r.indicator.format(r.target).replacingOccurrences(of: ",", with: "")),
                .number(r.indicator.format(r.actual).replacingOccurrences(of: ",", with: "")), .number(Completion.percentNumber(r.completion)),
                .number(String(r.weight)), .number(AssessmentScore.pointsText(r.points)),
            ]
        }
        let total: [XLSXWriter.Cell] = [.text("合计"), .empty, .empty, .empty, .empty, .number(AssessmentScore.pointsText(a.score.total))]
        let sheet = XLSXWriter.Sheet(
            name: "自评", header: ["指标", "目标", "完成", "完成率（%）", "权重", "得分"], rows: rows + [total])
        let text = XLSXWriter.Sheet(
            name: "说明", header: ["项目", "内容"],
            rows: [
                [.text("协议"), .text(a.agreement.title)], [.text("等次"), .text(Strings.text("grade_" + a.score.grade.rawValue, lang))],
                [.text("自评"), .text(a.record.selfAssessment)], [.text("东部意见"), .text(a.record.partnerComment)],
            ])
        return try XLSXWriter(sheets: [sheet, text]).data()
    }

    static func reportHTML(_ a: YearAssessment, title: String, regions: [String: Region], lang: Language) -> String {
        func e(_ s: String) -> String { escapeXML(s) }
        var h = "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>\(e(title))</title><style>"
        h += "body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:24px;color:#111}table{border-collapse:collapse;width:100%}"
        h += "th,td{border:1px solid #999;padding:4px 6px;font-size:12px}td.n{text-align:right}h1{font-size:20px}p{white-space:pre-wrap}"
        h += "</style></head><body><h1>\(e(title))</h1>"
        h +=
            "<p>协议：\(e(a.agreement.title))　总分：\(AssessmentScore.pointsText(a.score.total))　等次：\(e(Strings.text("grade_" + a.score.grade.rawValue, lang)))</p>"
        h += "<table><thead><tr><th>指标</th><th>目标</th><th>完成</th><th>完成率</th><th>权重</th><th>得分</th></tr></thead><tbody>"
        for r in a.score.rows {
            let unit = Strings.text("unit_" + r.indicator.unit.rawValue, lang)
            h += "<tr><td>\(e(r.indicator.name(lang)))</td><td class=\"n\">\(r.indicator.format(r.target)) \(e(unit))</td>"
            h += "<td class=\"n\">\(r.indicator.format(r.actual)) \(e(unit))</td><td class=\"n\">\(Completion.percentText(r.completion))</td>"
            h += "<td class=\"n\">\(r.weight)</td><td class=\"n\">\(AssessmentScore.pointsText(r.points))</td></tr>"
        }
        h += "</tbody></table><h2>自评</h2><p>\(e(a.record.selfAssessment.isEmpty ? "（未填写）" : a.record.selfAssessment))</p>"
        h += "<h2>东部意见</h2><p>\(e(a.record.partnerComment.isEmpty ? "（未填写）" : a.record.partnerComment))</p></body></html>"
        return h
    }
}
