/// The county map page: the choices, the map, and the same figures as a table (for screen readers and copying).
struct MapPage: PageModel {
    struct CountyLine: Sendable {
        let code: String
        let name: String
        let prefecture: String
        let actual: String
        let target: String
        let completion: String
        let keyAssisted: Bool
        let partners: String
        let href: String
    }
    let years: [Option]
    let provinces: [Option]
    let indicators: [Option]
    let measures: [Option]
    /// Server-rendered SVG.
    let svg: String?
    let counties: [CountyLine]
    let pending: Bool
    var unit: String = ""
    /// (Stored: templates read stored properties only.)
    var hasProvinceChoice = false
}
