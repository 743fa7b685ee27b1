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
    let year: Int
    let projectCount: Int
    let funding: FundingOut
    /// Absent when the reader's pairing has no agreement that year.
    let agreement: AgreementOut?
    let completion: CompletionOut?
    let prefectures: [Prefecture]
}
