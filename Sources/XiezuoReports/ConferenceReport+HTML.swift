import XiezuoDomain
import XiezuoFormats
import XiezuoStore

extension ConferenceReport {
    /// The report as one self-contained HTML page: styles inline, charts as inline SVG, A4 print rules, no script and
    /// nothing fetched, so it prints, converts to PDF and archives as it is.
    public func html() -> String {
        func e(_ s: String) -> String { escapeXML(s) }
        var h = """
            <!doctype html>
            <html lang="\(lang == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <title>\(e(t("report_title", [meeting.title])))</title>
            <style>
            @page { size: A4; margin: 18mm 16mm; }
            body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color:#1a202c; font-size:10.5pt; line-height:1.5; max-width:180mm; margin:0 auto; }
            h1 { font-size:17pt; margin:0 0 4pt; } h2 { font-size:13pt; margin:16pt 0 6pt; border-bottom:1px solid #cbd5e0; break-after:avoid; }
            table { border-collapse:collapse; width:100%; margin:4pt 0 8pt; font-size:9.5pt; } th, td { border:1px solid #cbd5e0; padding:2pt 4pt; text-align:left; vertical-align:top; word-break:keep-all; }
            th { background:#edf2f7; } td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; } tr { break-inside:avoid; }
            .nowrap { white-space:nowrap; } .muted { color:#4a5568; } .overdue { color:#c53030; font-weight:600; } .demo { border:1px solid #dd6b20; color:#9c4221; padding:4pt; }
            .chart { width:100%; height:auto; border:1px solid #e2e8f0; margin:4pt 0; break-inside:avoid; }
            .chart-title { font-weight:600; font-size:14px; } .chart-label,.chart-value,.chart-axis { font-size:12px; fill:#333; }
            .track { fill:#edf2f7; } .bar.done { fill:#2f855a; } .bar.mid { fill:#dd6b20; } .bar.low { fill:#c53030; }
            </style></head><body>
            <h1>\(e(t("report_title", [meeting.title])))</h1>
            <p class="muted">\(e(pairingLabel)) · \(e(meeting.date.description)) · \(e(meeting.place))<br>\(e(t("report_basis", [asOf.description])))</p>

            """
        if meeting.isDemo { h += "<p class=\"demo\">\(e(t("demo_banner")))</p>\n" }

        h += "<h2>\(e(t("report_s1")))</h2>\n"
        if let agreement, let c = completion {
            h +=
                "<p>\(e(agreement.title))：\(e(t("overall_completion"))) <strong id=\"report-overall\">\(Completion.percentText(c.overall))</strong></p>\n"
            h +=
                "<table id=\"report-work-areas\"><thead><tr><th>\(e(t("work_area")))</th><th class=\"num\">\(e(t("completion")))</th></tr></thead><tbody>\n"
            for (area, bp) in c.byWorkArea() { h += "<tr><td>\(e(area.name(lang)))</td><td class=\"num\">\(Completion.percentText(bp))</td></tr>\n" }
            h += "</tbody></table>\n"
            h += BarChart(title: t("by_indicator"), bars: c.rows.map { .init(label: $0.indicator.name(lang), basisPoints: $0.basisPoints) }).svg()
            h +=
                "\n<table id=\"report-indicators\"><thead><tr><th>\(e(t("indicator")))</th><th>\(e(t("work_area")))</th><th class=\"num\">\(e(t("target")))</th><th class=\"num\">\(e(t("actual")))</th><th>\(e(t("unit")))</th><th class=\"num\">\(e(t("completion")))</th></tr></thead><tbody>\n"
            for r in c.rows {
                h +=
                    "<tr><td>\(e(r.indicator.name(lang)))</td><td>\(e(r.workArea.name(lang)))</td><td class=\"num\">\(r.indicator.format(r.target))</td><td class=\"num\">\(r.indicator.format(r.actual))</td><td>\(e(t("unit_" + r.indicator.unit.rawValue)))</td><td class=\"num\">\(Completion.percentText(r.basisPoints))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        } else {
            h += "<p>\(e(t("no_agreement", [String(year)])))</p>\n"
        }

        h += "<h2>\(e(t("report_s2")))</h2>\n"
        if prefectures.isEmpty {
            h += "<p class=\"muted\">\(e(t("none")))</p>\n"
        } else {
            h += BarChart(title: t("by_prefecture"), bars: prefectures.map { .init(label: $0.region.name, basisPoints: $0.completion.overall) }).svg()
            h +=
                "\n<table id=\"report-regions\"><thead><tr><th>\(e(t("prefecture")))</th><th>\(e(t("agreement")))</th><th class=\"num\">\(e(t("overall_completion")))</th></tr></thead><tbody>\n"
            for p in prefectures {
                h +=
                    "<tr><td>\(e(p.region.name))</td><td>\(e(p.agreement.title))</td><td class=\"num\">\(Completion.percentText(p.completion.overall))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }

        if let countyMap { h += "<div id=\"report-map\">\(countyMap)</div>\n" }

        h += "<h2>\(e(t("report_s3")))</h2>\n"
        h +=
            "<p>\(e(t("report_funding", [String(projectCount), funding.budget.wanText, funding.committed.wanText, funding.disbursed.wanText, funding.spent.wanText])))</p>\n"
        h +=
            "<table id=\"report-projects\"><thead><tr><th>\(e(t("title")))</th><th>\(e(t("county")))</th><th class=\"num\">\(e(t("budget")))</th><th class=\"num\">\(e(t("committed")))</th><th class=\"num\">\(e(t("disbursed")))</th><th class=\"num\">\(e(t("spent")))</th></tr></thead><tbody>\n"
        for p in keyProjects {
            h +=
                "<tr><td>\(e(p.project.title))</td><td>\(e(p.countyName))</td><td class=\"num\">\(p.funding.budget.wanText)</td><td class=\"num\">\(p.funding.committed.wanText)</td><td class=\"num\">\(p.funding.disbursed.wanText)</td><td class=\"num\">\(p.funding.spent.wanText)</td></tr>\n"
        }
        h += "</tbody></table>\n<p class=\"muted\">\(e(t("report_money_unit")))</p>\n"

        h += "<h2>\(e(t("report_s4")))</h2>\n"
        h +=
            "<table id=\"report-ledgers\"><thead><tr><th>\(e(t("indicator")))</th><th class=\"num\">\(e(t("actual")))</th><th>\(e(t("unit")))</th></tr></thead><tbody>\n"
        for l in ledgerTotals {
            h +=
                "<tr><td>\(e(l.indicator.name(lang)))</td><td class=\"num\">\(l.indicator.format(l.actual))</td><td>\(e(t("unit_" + l.indicator.unit.rawValue)))</td></tr>\n"
        }
        h += "</tbody></table>\n"

        h += "<h2>\(e(t("report_s5")))</h2>\n"
        h += "<p class=\"muted\">\(e(previous.map { t("report_since", [$0.title, $0.date.description]) } ?? t("report_since_first")))</p>\n"
        let counts = TaskState.allCases.map { s in "\(t("task_" + s.rawValue)) \(tasks.filter { $0.state == s }.count)" }
        h += "<p id=\"report-task-counts\">\(e(counts.joined(separator: " · ")))</p>\n"
        h +=
            "<table id=\"report-tasks\"><thead><tr><th>\(e(t("task")))</th><th>\(e(t("owner")))</th><th>\(e(t("deadline")))</th><th>\(e(t("task_state")))</th><th>\(e(t("task_updates")))</th></tr></thead><tbody>\n"
        for l in tasks {
            h +=
                "<tr\(l.state == .overdue ? " class=\"overdue\"" : "")><td>\(e(l.task.title))</td><td>\(e(l.task.ownerOffice))（\(e(l.ownerRegion))）</td><td>\(l.task.deadline)</td><td>\(e(t("task_" + l.state.rawValue)))</td><td>\(e(l.lastUpdate))</td></tr>\n"
        }
        h += "</tbody></table>\n"

        h += "<h2>\(e(t("report_s6")))</h2>\n<p class=\"muted\">\(e(t("report_warnings_basis", [asOf.description])))</p>\n"
        if warnings.isEmpty {
            h += "<p class=\"muted\">\(e(t("none")))</p>\n"
        } else {
            h +=
                "<table id=\"report-warnings\"><thead><tr><th>\(e(t("warning_level")))</th><th>\(e(t("warning_about")))</th><th>\(e(t("warning_detail")))</th></tr></thead><tbody>\n"
            for w in warnings {
                h +=
                    "<tr\(w.level == .red ? " class=\"overdue\"" : "")><td class=\"nowrap\">\(e(t("warning_" + w.level.rawValue)))</td><td>\(e(w.title))</td><td>\(e(EarlyWarnings.detail(w, lang: lang)))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "</body></html>\n"
        return KeepTogether.dates(in: h)
    }
}
