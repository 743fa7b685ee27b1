/// The public portal's page: approved figures by prefecture and county, completed projects, the licence.
struct PublicPage: PageModel {
    struct Row: Sendable {
        let code: String
        let name: String
        let prefecture: String
        let indicator: String
        let value: String
        let unit: String
    }
    struct ProjectLine: Sendable {
        let title: String
        let county: String
        let workArea: String
        let plannedEnd: String
        let budget: String
        let disbursed: String
    }
    let year: Int
    let years: [Option]
    let prefectures: [Row]
    let counties: [Row]
    let projects: [ProjectLine]
    let licence: String
    let csvHref: String
    let jsonHref: String
}
