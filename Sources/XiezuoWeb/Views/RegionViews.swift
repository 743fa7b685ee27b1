// Reference pages: a region with its figures, the pairings, the indicator catalogue.

struct RegionPage: PageModel {
    struct Summary: Sendable {
        let code: String
        let name: String
        let level: String
        let side: String
        let keyAssisted: Bool
        let resettlement: Bool
    }
    struct Figure: Sendable {
        let name: String
        let unit: String
        let value: String
    }
    struct Head: Sendable { let name: String }
    struct Cell: Sendable { let value: String }
    struct Child: Sendable {
        let code: String
        let name: String
        let keyAssisted: Bool
        let values: [Cell]
    }
    struct ProjectItem: Sendable {
        let id: Int64
        let title: String
        let county: String
        let status: String
    }
    struct Parent: Sendable {
        let code: String
        let name: String
    }
    let region: Summary
    let year: Int
    let years: [Option]
    let actuals: [Figure]
    let indicatorHeads: [Head]
    let children: [Child]
    let projects: [ProjectItem]
    let projectTotal: Int
    /// Absent for a province.
    let parent: Parent?
}

struct PairingListPage: PageModel {
    struct Item: Sendable {
        let id: Int64
        let level: String
        let east: String
        let eastCode: String
        let west: String
        let westCode: String
        let since: Int
        /// Absent while the pairing is in force.
        let until: String?
    }
    let items: [Item]
}

struct IndicatorListPage: PageModel {
    struct Item: Sendable {
        let code: String
        let name: String
        let unit: String
        let source: String
        let workArea: String
    }
    let items: [Item]
}
