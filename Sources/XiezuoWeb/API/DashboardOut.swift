// What the figures' routes answer: an import's count, the dashboard.

struct Imported: Codable, Sendable { let imported: Int }

/// The dashboard's figures for a year.
struct DashboardOut: Codable, Sendable {
    struct Prefecture: Codable, Sendable {
        let regionCode: String
        let name: String
        let agreementId: Int64
        @Null var overallBasisPoints: Int?
    }
    /// One western partner of the shown pairing's eastern province, with its actuals by indicator code.
    struct Partner: Codable, Sendable {
        let pairingId: Int64
        let westCode: String
        let name: String
        let actuals: [String: Int64]
    }
    let year: Int
    /// The pairing shown (absent when the reader's pairings have no agreement that year).
    let pairingId: Int64?
    /// Every partner of the eastern province the reader may see, when there are several; empty otherwise.
    let partners: [Partner]
    /// The partners' actuals summed (the eastern province's own totals); empty with one partner.
    let combined: [String: Int64]
    let projectCount: Int
    let funding: FundingOut
    /// Absent when the reader's pairing has no agreement that year.
    let agreement: AgreementOut?
    let completion: CompletionOut?
    let prefectures: [Prefecture]
}
