import Foundation
import SQLKit
import XiezuoDomain

extension Store {
    /// The demo's reporting round: 毕节市 asks its counties for November's fiscal aid and village figures by
    /// 10 December. Every county but 纳雍县 has submitted (its figures wait for the prefecture's review, and the
    /// period is locked for them once the deadline has passed); 纳雍县 has not, and was reminded once.
    static func loadDemoRound(_ db: any SQLDatabase, counties: [Region], figures: [ProgressReport], actor: Actor) async throws {
        let prefecture = "520500"
        let late = "520525"
        let members = counties.filter { $0.parentCode == prefecture }.sorted { $0.code < $1.code }
        guard !members.isEmpty else { return }
        let asked = ["fiscal_aid", "fiscal_aid_key_counties", "demo_villages"]
        let round = ReportingRound(
            id: 0, title: "\(demoYear)年11月东西部协作资金和示范村数据填报", openerRegionCode: prefecture, openedBy: "bijie", year: demoYear,
            month: 11, deadline: Day(year: demoYear, month: 12, day: 10)!, indicatorCodes: asked, ledgers: [.labour],
            note: "请各县（市、区）于12月10日前上报11月数据，并附拨付凭证等佐证材料。")
        let now = Self.now()
        let id = try await db.raw(
            """
            INSERT INTO rounds (title, opener_region, opened_by, year, month, deadline, indicators, ledgers, lock_state, note, is_demo,
                                created_at, updated_at)
            VALUES (\(bind: round.title), \(bind: prefecture), 'bijie', \(bind: round.year), 11, \(bind: round.deadline.description),
                    \(bind: asked.joined(separator: ",")), 'labour', 'deadline', \(bind: round.note), 1, \(bind: now), \(bind: now)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = round
        saved.id = id
        try await Self.audit(
            db, actor, entity: "round", id: String(id), action: "create", before: AuditedRound?.none,
            after: AuditedRound(round: saved, members: members.map(\.code)))
        // November as October was, county by county, sent for review by every county but the late one.
        var november: [ProgressReport] = []
        for f in figures where f.month == 10 && asked.contains(f.indicatorCode) && f.regionCode.hasPrefix("5205") && f.regionCode != late {
            var n = f
            n.month = 11
            n.state = .submitted
            n.note = "演示数据：11月"
            november.append(n)
        }
        try await Self.insertProgressBatch(db, november, actor: actor)
        for m in members {
            let submitted = m.code != late
            try await db.raw(
                """
                INSERT INTO round_members (round_id, region_code, scope_prefix, submitted_at, submitted_by, reminders, reminded_at, reminded_by)
                VALUES (\(bind: id), \(bind: m.code), \(bind: m.code), \(bind: submitted ? "\(demoYear)-12-0\(3 + Int(m.code.suffix(1))! % 5)T02:00:00Z" : nil),
                        \(bind: submitted ? "demo" : nil), \(bind: submitted ? 0 : 1), \(bind: submitted ? nil : "\(demoYear)-12-08T01:30:00Z"),
                        \(bind: submitted ? nil : "bijie"))
                """
            ).run()
        }
    }
}

extension Store {
    /// Evidence on a few of the demo's figures and on its first project: a one-page PDF voucher and a small photo,
    /// both made here (no file is shipped). Stored like any upload: sealed, in pieces, audited.
    func loadDemoEvidence() async throws {
        let actor = Actor(name: "demo", address: nil)
        let figures = try await backend.read { db in
            try await db.raw(
                """
                SELECT id, region_code FROM progress WHERE year = \(bind: Self.demoYear) AND month = 11 AND indicator_code = 'fiscal_aid'
                  AND region_code IN ('520502', '520521', '520523') ORDER BY region_code
                """
            ).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        }
        for (n, (id, region)) in figures.enumerated() {
            _ = try await addAttachment(
                owner: .progress, ownerId: id, regionCode: region, fileName: "资金拨付凭证-\(region).pdf", contentType: "application/pdf",
                data: Self.demoPDF(["Xiezuo demo evidence", "Fiscal aid disbursement voucher", "County \(region), November \(Self.demoYear)"]),
                isDemo: true, actor: actor)
            if n == 0 {
                _ = try await addAttachment(
                    owner: .progress, ownerId: id, regionCode: region, fileName: "项目现场照片.png", contentType: "image/png",
                    data: Self.demoPNG, isDemo: true, actor: actor)
            }
        }
        let project = try await backend.read { db in
            try await db.raw("SELECT id, county_code FROM projects ORDER BY id LIMIT 1").first().map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "county_code", as: String.self))
            }
        }
        if let (id, county) = project {
            _ = try await addAttachment(
                owner: .project, ownerId: id, regionCode: county, fileName: "项目立项批复.pdf", contentType: "application/pdf",
                data: Self.demoPDF(["Xiezuo demo evidence", "Project approval", "Project \(id), county \(county)"]), isDemo: true, actor: actor)
        }
    }

    /// A one-page PDF with `lines` of ASCII text (Helvetica), its cross-reference table counted as it is written.
    static func demoPDF(_ lines: [String]) -> Data {
        let text = lines.enumerated().map { i, line in
            let safe = line.filter { $0.isASCII && $0 != "(" && $0 != ")" && $0 != "\\" }
            return "BT /F1 \(i == 0 ? 18 : 12) Tf 72 \(760 - i * 28) Td (\(safe)) Tj ET"
        }.joined(separator: "\n")
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(text.utf8.count) >>\nstream\n\(text)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(repeating: "0", count: 10 - String(o).count) + String(o) + " 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    /// A 2×2 PNG (the four colours of a site photo's thumbnail, as a placeholder).
    static let demoPNG =
        Data(
            base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4YaNhs8CNwS1v37MTUQAkRAXJF2KuTQAAAABJRU5ErkJggg==")
        ?? Data()
}
