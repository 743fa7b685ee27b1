import Foundation
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

extension ConferenceReport {
    /// Money as a number of 万元 rounded as the report shows it (two decimals).
    static func wanNumber(_ fen: Int64) -> XLSXWriter.Cell {
        var text = Money(fen: fen).wanRounded
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return .number(text)
    }

    static func value(_ ind: Indicator, _ v: Int64) -> XLSXWriter.Cell { ind.unit.isMoney ? wanNumber(v) : .number(String(v)) }

    static func percent(_ bp: Int?) -> XLSXWriter.Cell {
        guard let bp else { return .empty }
        return .number(Completion.percentNumber(bp))
    }

    /// One sheet per section of the report, the same figures as the HTML.
    public func xlsx() throws -> Data {
        var sheets: [XLSXWriter.Sheet] = []
        var summary: [[XLSXWriter.Cell]] = [
            [.text(t("meeting")), .text(meeting.title)], [.text(t("date")), .text(meeting.date.description)],
            [.text(t("place")), .text(meeting.place)], [.text(t("pairing")), .text(pairingLabel)],
            [.text(t("report_basis", [asOf.description])), .empty],
        ]
        if let agreement, let c = completion {
            summary.append([.text(t("agreement")), .text(agreement.title)])
            summary.append([.text(t("overall_completion") + " %"), Self.percent(c.overall)])
        }
        sheets.append(.init(name: t("sheet_summary"), header: [t("field"), t("value")], rows: summary))
        let c = completion
        sheets.append(
            .init(
                name: t("sheet_indicators"),
                header: [t("indicator"), t("work_area"), t("target"), t("actual"), t("unit"), t("completion") + " %"],
                rows: (c?.rows ?? []).map { r in
                    [
                        .text(r.indicator.name(lang)), .text(r.workArea.name(lang)), Self.value(r.indicator, r.target),
                        Self.value(r.indicator, r.actual), .text(t("unit_" + r.indicator.unit.rawValue)), Self.percent(r.basisPoints),
                    ]
                }))
        sheets.append(
            .init(
                name: t("sheet_work_areas"), header: [t("work_area"), t("completion") + " %"],
                rows: (c?.byWorkArea() ?? []).map { [.text($0.0.name(lang)), Self.percent($0.1)] }))
        sheets.append(
            .init(
                name: t("sheet_regions"), header: [t("prefecture"), t("agreement"), t("overall_completion") + " %"],
                rows: prefectures.map { [.text($0.region.name), .text($0.agreement.title), Self.percent($0.completion.overall)] }))
        let wan = "（" + t("wan_yuan") + "）"
        sheets.append(
            .init(
                name: t("sheet_projects"),
                header: [t("title"), t("county"), t("budget") + wan, t("committed") + wan, t("disbursed") + wan, t("spent") + wan],
                rows: keyProjects.map { p in
                    [
                        .text(p.project.title), .text(p.countyName), Self.wanNumber(p.funding.budget.fen),
                        Self.wanNumber(p.funding.committed.fen), Self.wanNumber(p.funding.disbursed.fen), Self.wanNumber(p.funding.spent.fen),
                    ]
                }))
        sheets.append(
            .init(
                name: t("sheet_ledgers"), header: [t("indicator"), t("actual"), t("unit")],
                rows: ledgerTotals.map {
                    [
                        .text($0.indicator.name(lang)), Self.value($0.indicator, $0.actual),
                        .text(t("unit_" + $0.indicator.unit.rawValue)),
                    ]
                }))
        sheets.append(
            .init(
                name: t("sheet_tasks"),
                header: [t("meeting"), t("task"), t("owner_office"), t("owner_region"), t("deadline"), t("task_state"), t("task_updates")],
                rows: tasks.map { l in
                    [
                        .text(l.meetingTitle), .text(l.task.title), .text(l.task.ownerOffice), .text(l.ownerRegion),
                        .text(l.task.deadline.description), .text(t("task_" + l.state.rawValue)), .text(l.lastUpdate),
                    ]
                }))
        sheets.append(
            .init(
                name: t("warnings_title"), header: [t("warning_level"), t("warning_about"), t("region"), t("warning_detail")],
                rows: warnings.map { w in
                    [
                        .text(t("warning_" + w.level.rawValue)), .text(FormulaGuard.escape(w.title)), .text(w.regionCode),
                        .text(FormulaGuard.escape(EarlyWarnings.detail(w, lang: lang))),
                    ]
                }))
        return try XLSXWriter(sheets: sheets).data()
    }
}
