import XiezuoDomain

/// Helpers to build template data in the reader's language.
struct Labels {
    let lang: Language
    func t(_ key: String, _ params: String...) -> String { Strings.text(key, lang, params) }
    func unit(_ u: IndicatorUnit) -> String { t("unit_" + u.rawValue) }
    func region(_ r: Region?) -> String { r?.name ?? "—" }
}
