import Foundation
import Hummingbird
import Mustache
import XiezuoDomain

/// Server-side pages: Mustache templates (bundled resources) filled with plain dictionaries, every one wrapped in
/// the layout with the strings of the reader's language.
struct Renderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer

    static func load() async throws -> Renderer {
        guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        let library = try await MustacheLibrary(directory: base.appendingPathComponent("templates").path)
        let css = try Data(contentsOf: base.appendingPathComponent("static/app.css"))
        return Renderer(library: library, stylesheet: ByteBuffer(bytes: css))
    }

    /// Renders `template` inside the layout. `section` marks the active navigation entry.
    func page(_ template: String, title: String, section: String, lang: Language, demo: Bool, path: String,
              data: [String: Any], status: HTTPResponse.Status = .ok, user: UserAccount? = nil, csrf: String? = nil) -> Response {
        var ctx = data
        ctx["csrf"] = csrf ?? ""
        if let user {
            ctx["me"] = ["username": user.username, "role": Strings.text("role_" + user.role.rawValue, lang), "region": user.regionCode]
        }
        ctx["t"] = Strings.table(lang)
        ctx["lang"] = lang.rawValue
        ctx["otherLang"] = lang == .zh ? "en" : "zh"
        ctx["pageTitle"] = title
        ctx["demo"] = demo
        ctx["nav_" + section] = true
        ctx["path"] = path
        let html = library.render(ctx, withTemplate: template) ?? "template \(template) missing"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func errorPage(status: HTTPResponse.Status, message: String, lang: Language) -> Response {
        page("error", title: String(status.code), section: "", lang: lang, demo: false, path: "/",
             data: ["status": status.code, "message": message], status: status)
    }
}

/// Helpers to build template data in the reader's language.
struct Labels {
    let lang: Language
    func t(_ key: String, _ params: String...) -> String { Strings.text(key, lang, params) }
    func unit(_ u: IndicatorUnit) -> String { t("unit_" + u.rawValue) }
    func region(_ r: Region?) -> String { r?.name ?? "—" }
}
