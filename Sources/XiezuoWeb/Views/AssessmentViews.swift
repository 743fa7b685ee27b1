// The year-end assessment: the pairings' scores for a year, and one pairing's assessment.

struct AssessmentListPage: PageModel {
    struct Item: Sendable {
        let pairingId: Int64
        let pairing: String
        let total: String
        let grade: String
        let gradeCode: String
    }
    let items: [Item]
    let year: Int
    let years: [Option]
    let rule: String
}

struct AssessmentPage: PageModel {
    struct AgreementRef: Sendable {
        let id: Int64
        let title: String
    }
    struct Row: Sendable {
        let indicator: String
        let code: String
        let target: String
        let actual: String
        let unit: String
        let completion: String
        let weight: Int
        let points: String
    }
    struct PastYear: Sendable {
        let year: Int
        let total: String
        let grade: String
        let current: Bool
    }
    struct Problem: Sendable { let message: String }
    let pairing: String
    let year: Int
    let agreement: AgreementRef
    let rows: [Row]
    let total: String
    let grade: String
    let gradeCode: String
    let rule: String
    let selfAssessment: String
    let partnerComment: String
    let version: Int64
    let history: [PastYear]
    let canWeigh: Bool
    let canSelf: Bool
    let canComment: Bool
    let base: String
    let hasErrors: Bool
    let errors: [Problem]
}
