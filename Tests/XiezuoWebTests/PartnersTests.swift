import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Guangdong runs its cooperation with Guangxi beside that with Guizhou, in one installation: each partner's offices
/// see their own rows, agreements and dashboard; Guangdong's office sees both apart and its own totals summed.
@Suite struct PartnersTests {
    static let users: [(String, Role, String)] = [
        ("gd.coordinator", .provinceCoordinator, "440000"), ("qian.coordinator", .provinceCoordinator, "520000"),
        ("gui.coordinator", .provinceCoordinator, "450000"), ("baise.officer", .prefectureOfficer, "451000"),
    ]

    func counties(_ rows: [LedgerRowOut]) -> Set<String> { Set(rows.map { String($0.countyCode.prefix(2)) }) }

    @Test func guangdongWithGuangxiBesideGuizhou() async throws {
        try await withAppAndStore(users: Self.users) { raw, store in
            let actor = Actor(name: "setup", address: nil)
            let guangxi = try await store.addPairing(
                Pairing(id: 0, level: .province, eastCode: "440000", westCode: "450000", sinceYear: 2021), actor: actor)
            let gxAgreement = try await store.createAgreement(
                pairingId: guangxi.id, year: 2024, title: "2024年粤桂东西部协作协议", status: .signed, actor: actor)
            let gd = try await AuthedClient.signIn(raw, username: "gd.coordinator")
            let qian = try await AuthedClient.signIn(raw, username: "qian.coordinator")
            let gui = try await AuthedClient.signIn(raw, username: "gui.coordinator")
            let baise = try await AuthedClient.signIn(raw, username: "baise.officer")

            // Baise's office imports three workers of 右江区.
            var csv = "姓名,身份证号码,户籍县,就业单位,就业城市,就业时间\n"
            for n in 1...3 { csv += "百色工人\(n),\(validID("451002", n)),右江区,深圳某电子厂,深圳市,2024-05-0\(n)\n" }
            let imported = try await baise.execute(
                uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["fileName": "百色.csv", "content": Data(csv.utf8).base64EncodedString()]))
            #expect(imported.status == .created, "\(imported.text.prefix(300))")
            // A Guizhou county is not Baise's to write.
            let intruding = try await baise.execute(
                uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                body: jsonBody([
                    "fileName": "x.csv",
                    "content": Data("姓名,身份证号码,户籍县,就业单位,就业城市,就业时间\n越界,\(validID("520525", 9)),纳雍县,某厂,佛山市,2024-05-01\n".utf8)
                        .base64EncodedString(),
                ]))
            #expect(intruding.json["rejected"] as? Int == 1)

            // Ledgers apart: each western province sees its own rows; Guangdong follows both.
            #expect(counties(try await allRows(gui, "labour", "")) == ["45"])
            #expect(counties(try await allRows(qian, "labour", "")) == ["52"])
            #expect(counties(try await allRows(gd, "labour", "")) == ["45", "52"])

            // Agreements apart.
            func agreementIds(_ c: AuthedClient) async throws -> Set<Int64> {
                let r = try await c.execute(uri: "/api/v1/agreements?year=2024&pageSize=100", method: .get)
                return Set(try r.decode(ListOut<AgreementOut>.self).items.map(\.id))
            }
            #expect(try await agreementIds(gui) == [gxAgreement.id])
            #expect(!(try await agreementIds(qian)).contains(gxAgreement.id))
            #expect(try await agreementIds(gd).contains(gxAgreement.id))

            // The dashboard: each western province its own pairing, without the other's figures.
            func dashboard(_ c: AuthedClient, _ query: String = "") async throws -> [String: Any] {
                let r = try await c.execute(uri: "/api/v1/dashboard?year=2024&pending=1" + query, method: .get)
                #expect(r.status == .ok)
                return r.json
            }
            let guiView = try await dashboard(gui)
            #expect(guiView["pairingId"] as? Int == Int(guangxi.id) && (guiView["partners"] as? [Any])?.isEmpty == true)
            let qianView = try await dashboard(qian)
            #expect(qianView["pairingId"] as? Int != Int(guangxi.id) && (qianView["partners"] as? [Any])?.isEmpty == true)
            // Guangdong: both partners apart, and its own totals their sum.
            let gdView = try await dashboard(gd)
            let partners = try #require(gdView["partners"] as? [[String: Any]])
            #expect(partners.map { $0["westCode"] as? String } == ["520000", "450000"])
            let placed = partners.map { (($0["actuals"] as? [String: Any])?["workers_placed"] as? Int) ?? 0 }
            #expect(placed[1] == 3 && placed[0] > 0)
            #expect((gdView["combined"] as? [String: Any])?["workers_placed"] as? Int == placed[0] + placed[1])
            // The Guangxi agreement when chosen.
            let chosen = try await dashboard(gd, "&pairing=\(guangxi.id)")
            #expect(chosen["pairingId"] as? Int == Int(guangxi.id) && (chosen["agreement"] as? [String: Any])?["id"] as? Int == Int(gxAgreement.id))
            // The page shows the choice and the table of both with the total.
            let page = try await gd.execute(uri: "/?year=2024&pending=1", method: .get)
            #expect(page.text.contains("id=\"partner-choice\"") && page.text.contains("广西壮族自治区"))
            #expect(page.text.contains("id=\"partners-table\""))
            let qianPage = try await qian.execute(uri: "/?year=2024", method: .get)
            #expect(!qianPage.text.contains("partners-table") && !qianPage.text.contains("广西"))
        }
    }
}
