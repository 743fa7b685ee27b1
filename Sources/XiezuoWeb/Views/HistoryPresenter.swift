import Foundation
import XiezuoDomain

/// A recorded version as its readers know it: each field by its name on the forms, codes by their names (regions,
/// indicators, states, work areas), amounts in their unit, personal data never shown, times in Beijing time.
struct HistoryPresenter {
    let l: Labels
    let regions: [String: Region]

    /// Field keys that name a region, and the one that names an indicator.
    static let regionKeys: Set<String> = ["regionCode", "countyCode", "ownerRegionCode", "eastCode", "westCode", "county"]
    /// Labels of stored keys that are not on a form under the same word.
    static let labels: [String: String] = [
        "indicatorCode": "indicator", "regionCode": "region", "value": "value", "year": "year", "month": "month", "note": "note",
        "state": "state", "pairingId": "pairing", "version": "version", "updatedAt": "updated_at", "id": "id", "county": "county",
        "ledger": "ledger_file", "eastCode": "side_east", "westCode": "side_west", "sinceYear": "year", "role": "role",
        "username": "username", "fullName": "full_name", "unit": "unit_name", "mustChangePassword": "must_change_pending",
    ]

    func label(_ key: String) -> String {
        if let k = Self.labels[key] { return l.t(k) }
        let field = "field_" + key
        let text = l.t(field)
        return text == field ? key : text
    }

    /// One version's fields, readable: label → shown value.
    func present(_ state: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        let indicator = (state["indicatorCode"] as? String).flatMap { IndicatorCatalogue.byCode[$0] }
        for (key, raw) in state {
            if key == "values", let values = raw as? [String: Any], let ledger = (state["ledger"] as? String).flatMap(LedgerName.init(rawValue:)) {
                // A ledger row's fields by the ledger's own labels; personal data stays hidden.
                let d = ledger.definition
                for f in d.fields {
                    guard let v = values[f.key] as? String else { continue }
                    let shown =
                        f.kind.isPersonal
                        ? l.t("history_personal_hidden")
                        : f.kind == .county ? (regions[v].map { "\($0.name)（\(v)）" } ?? v) : LedgerValue.display(v, field: f, lang: l.lang)
                    out[d.label(f.key, l.lang)] = shown
                }
                continue
            }
            out[label(key)] = value(key, raw, indicator: indicator)
        }
        return out
    }

    func value(_ key: String, _ raw: Any?, indicator: Indicator?) -> String {
        let text = HistoryController.text(raw)
        if text.hasPrefix("enc1:") { return l.t("history_personal_hidden") }
        switch key {
        case _ where Self.regionKeys.contains(key): return regions[text].map { "\($0.name)（\(text)）" } ?? text
        case "indicatorCode": return indicator?.name(l.lang) ?? text
        case "value": return indicator.flatMap { i in Int64(text).map { i.format($0) + " " + l.unit(i.unit) } } ?? text
        case "state": return l.t("state_" + text)
        case "workArea": return WorkArea(rawValue: text)?.name(l.lang) ?? text
        case "role": return l.t("role_" + text)
        case "updatedAt", "at": return ReviewController.beijing(text)
        default:
            if let b = raw as? Bool { return l.t(b ? "yes" : "no") }
            return text
        }
    }
}
