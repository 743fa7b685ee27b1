import Foundation
import Hummingbird
import Mustache
import XiezuoDomain

/// Server-side pages: Mustache templates (bundled resources) filled with plain dictionaries, every one wrapped in
/// the layout with the strings of the reader's language.
struct Renderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer

    /// Every template a page renders: checked when the server starts, so a missing or broken one stops it with its
    /// name instead of answering a page with an error in it.
    static let required = [
        "agreement", "agreements", "assessment", "assessments", "dashboard", "document", "document_new", "documents", "error",
        "history", "history_block", "indicators", "layout", "ledger", "ledger_form", "ledger_preview", "ledger_row", "ledgers",
        "login", "meeting", "meeting_form", "meetings", "pairings", "progress", "progress_detail", "project", "project_form",
        "projects", "region", "review", "setup", "task", "tasks", "tokens", "users",
    ]

    struct TemplateMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "页面模板缺失或有误 / template missing or broken: \(name).mustache" }
    }

    static func load() async throws -> Renderer {
        guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        let library = try await MustacheLibrary(directory: base.appendingPathComponent("templates").path)
        for name in required where library.getTemplate(named: name) == nil { throw TemplateMissing(name: name) }
        let css = try Data(contentsOf: base.appendingPathComponent("static/app.css"))
        return Renderer(library: library, stylesheet: ByteBuffer(bytes: css))
    }

    /// Renders `template` inside the layout. `section` marks the active navigation entry.
    func page(
        _ template: String, title: String, section: String, lang: Language, demo: Bool, path: String,
        data: [String: Any], status: HTTPResponse.Status = .ok, user: UserAccount? = nil, csrf: String? = nil,
        languageSwitch: String? = nil
    ) -> Response {
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
        ctx["langHref"] = languageSwitch ?? path + "?lang=" + (lang == .zh ? "en" : "zh")
        guard let html = library.render(ctx, withTemplate: template) else {
            // Not reached once `required` holds every template a page uses; never a 200 either way.
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: TemplateMissing(name: template).description)))
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func errorPage(
        status: HTTPResponse.Status, message: String, lang: Language, user: UserAccount? = nil, csrf: String? = nil,
        back: String? = nil
    ) -> Response {
        var data: [String: Any] = ["status": status.code, "message": message]
        if let back, back != "/" { data["back"] = back }
        return page(
            "error", title: String(status.code), section: "", lang: lang, demo: false, path: "/",
            data: data, status: status, user: user, csrf: csrf)
    }
}

/// Helpers to build template data in the reader's language.
struct Labels {
    let lang: Language
    func t(_ key: String, _ params: String...) -> String { Strings.text(key, lang, params) }
    func unit(_ u: IndicatorUnit) -> String { t("unit_" + u.rawValue) }
    func region(_ r: Region?) -> String { r?.name ?? "—" }
}
