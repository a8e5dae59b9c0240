import LivingTogetherCore
import Vapor

/// The base layout of every page: language attribute, skip link, landmarks, the language switch and
/// the account menu. Pages pass their title and main content.
enum Layout {
    /// The menu item a page belongs to: a plan action is under Plans, an assessment under Benchmarks, a learning
    /// network under Mentoring, an organisation's plan under Plans (though its address starts with the directory).
    static func section(of path: String) -> SiteURL? {
        let parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first else { return .home }
        switch first {
        case "plans", "plan-actions", "plan-indicators", "indicator-values": return .plans
        case "benchmarks", "assessments": return .benchmarks
        case "mentoring", "learning-networks", "learning-sessions": return .mentoring
        case "knowledge", "events": return .knowledge
        case "participation": return .participation
        case "directory":
            if parts.count >= 3, parts[2] == "plan" { return .plans }
            if parts.count >= 3, parts[2] == "assessments" { return .benchmarks }
            return .directory
        default: return nil
        }
    }

    static func page(_ ctx: PageContext, title: String, main: HTML, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let nav: [(SiteURL, String)] = [(.home, "nav.home"), (.directory, "nav.directory"), (.benchmarks, "nav.benchmarks"), (.plans, "nav.plans"), (.mentoring, "nav.mentoring"),
                                        (.knowledge, "nav.knowledge"), (.participation, "nav.participation")]
        let section = Self.section(of: ctx.path)
        let navItems = nav.map { url, key -> HTML in
            let current = url == section
            return "<li><a href=\"\(url.path)\"\(HTML.attr("aria-current", current ? "page" : nil))>\(t(key))</a></li>"
        }
        let account: HTML
        if let user = ctx.user {
            account = """
            <li><a href="\(SiteURL.account.path)"><span class="visually-hidden">\(t("nav.accountOf")) </span>\(user.name)</a></li>
            \(HTML.when(user.isPlatformAdmin, "<li><a href=\"\(SiteURL.adminOutbox.path)\">\(t("nav.outbox"))</a></li>"))
            <li><form method="post" action="\(SiteURL.signOut.path)" class="inline">\(ctx.csrfField)<button type="submit" class="link">\(t("nav.signOut"))</button></form></li>
            """
        } else {
            account = "<li><a href=\"\(SiteURL.signIn.path)\">\(t("nav.signIn"))</a></li>"
        }
        let other = Language.allCases.filter { $0 != ctx.language }
        let languageSwitch = other.map { lang -> HTML in
            """
            <form method="post" action="\(SiteURL.language.path)" class="inline">\(ctx.csrfField)<input type="hidden" name="return_to" value="\(ctx.here)"><button type="submit" class="link" name="language" value="\(lang.rawValue)" lang="\(lang.rawValue)">\(lang.name)</button></form>
            """
        }
        let flash: HTML = ctx.flash.map { "<div class=\"flash\" role=\"status\">\(t($0))</div>" } ?? .empty
        let body: HTML = """
        <!doctype html>
        <html lang="\(ctx.language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title == "Living Together" ? title : "\(title) · Living Together")</title>
        <link rel="stylesheet" href="\(SiteURL.stylesheet.path)">
        <script src="\(SiteURL.script.path)" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">\(t("layout.skip"))</a>
        <header class="site">
        <div class="bar">
        <a class="brand" href="/">Living Together</a>
        <nav aria-label="\(t("layout.mainNav"))"><ul>\(navItems)</ul></nav>
        <nav aria-label="\(t("layout.accountNav"))"><ul>\(account)<li>\(languageSwitch)</li></ul></nav>
        </div>
        </header>
        <main id="main" tabindex="-1">
        \(flash)
        \(HTML.scrollableTables(main, fallbackLabel: t("layout.table")))
        </main>
        <footer class="site">
        <p>\(t("layout.footer")) <a href="\(SiteURL.privacy.path)">\(t("nav.privacy"))</a> · <a href="/api/v1/openapi.json">API</a></p>
        </footer>
        </body>
        </html>
        """
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "Content-Language", value: ctx.language.rawValue)
        return Response(status: status, headers: headers, body: .init(string: body.raw))
    }
}

/// Form fields that show their label, the error beside them, and keep what was typed.
enum Form {
    /// A "Print" button, shown by the site's script (it prints the page); without JavaScript the hint beside it
    /// says how to print from the browser.
    static func printButton(_ t: Translator, hint: String) -> HTML {
        "<p class=\"no-print print-hint\"><button type=\"button\" data-print hidden>\(t("action.print"))</button> \(hint)</p>"
    }

    /// A JSON document uploaded as a file or pasted (a framework, a catalogue): the file field, the text field with
    /// what was pasted kept, and the number of problems beside it when the document came back.
    static func jsonUpload(fileLabel: String, pasteLabel: String, text: String, problemsMessage: String?) -> HTML {
        let invalid = problemsMessage != nil
        return """
        <div class="field"><label for="f-file">\(fileLabel)</label>\
        <input id="f-file" name="file" type="file" accept="application/json,.json"></div>
        <div class="field\(invalid ? " has-error" : "")"><label for="f-json">\(pasteLabel)</label>\
        \(problemsMessage.map { "<p class=\"error\" id=\"f-json-error\">\($0)</p>" as HTML })\
        <textarea id="f-json" name="json" rows="12"\(HTML.when(invalid, " aria-invalid=\"true\" aria-describedby=\"f-json-error\""))>\
        \(text)</textarea></div>
        """
    }

    struct Field {
        var name: String
        var label: String
        var type: String = "text"
        var value: String? = nil
        var error: String? = nil
        var hint: String? = nil
        var autocomplete: String? = nil
        var required: Bool = false
        var extra: HTML = .empty
    }

    static func input(_ f: Field) -> HTML {
        let id = "f-\(f.name)"
        var described: [String] = []
        if f.hint != nil { described.append("\(id)-hint") }
        if f.error != nil { described.append("\(id)-error") }
        // Passwords are never sent back into the page.
        let value = f.type == "password" ? nil : f.value
        return """
        <div class="field\(f.error == nil ? "" : " has-error")">
        <label for="\(id)">\(f.label)</label>
        \(f.hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\($0)</p>" as HTML })
        \(f.error.map { "<p class=\"error\" id=\"\(id)-error\">\($0)</p>" as HTML })
        <input id="\(id)" name="\(f.name)" type="\(f.type)"\(HTML.attr("value", value))\(HTML.attr("autocomplete", f.autocomplete))\(HTML.attr("aria-describedby", described.isEmpty ? nil : described.joined(separator: " ")))\(HTML.when(f.error != nil, " aria-invalid=\"true\""))\(HTML.when(f.required, " required"))\(f.extra)>
        </div>
        """
    }

    /// `id` defaults to "f-NAME"; give one where the name holds characters an id should not.
    static func select(name: String, label: String, options: [(value: String, label: String)], selected: String?, error: String? = nil,
                       id: String? = nil, disabled: Bool = false) -> HTML {
        let id = id ?? "f-\(name)"
        let opts = options.map { o -> HTML in "<option value=\"\(o.value)\"\(HTML.when(o.value == (selected ?? ""), " selected"))>\(o.label)</option>" }
        return """
        <div class="field\(error == nil ? "" : " has-error")">
        <label for="\(id)">\(label)</label>
        \(error.map { "<p class=\"error\" id=\"\(id)-error\">\($0)</p>" as HTML })
        <select id="\(id)" name="\(name)"\(HTML.when(error != nil, " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""))\(HTML.when(disabled, " disabled"))>\(opts)</select>
        </div>
        """
    }

    /// The `<option>`s of a list, none selected, as markup to keep (see the next function).
    static func optionsMarkup(_ options: [(value: String, label: String)]) -> String {
        HTML.join(options.map { o -> HTML in "<option value=\"\(o.value)\">\(o.label)</option>" }).raw
    }

    /// A select whose options were rendered once (`optionsMarkup`): the selected one is marked in the kept markup.
    static func select(name: String, label: String, first: (value: String, label: String), optionsMarkup: String,
                       selected: String?) -> HTML {
        let id = "f-\(name)"
        var options = optionsMarkup
        if let selected, !selected.isEmpty {
            let needle = "<option value=\"\(HTML.escape(selected))\">"
            if let r = options.range(of: needle) {
                options.replaceSubrange(r, with: "<option value=\"\(HTML.escape(selected))\" selected>")
            }
        }
        let none = selected == nil || selected == ""
        return """
        <div class="field">
        <label for="\(id)">\(label)</label>
        <select id="\(id)" name="\(name)"><option value="\(first.value)"\(HTML.when(none, " selected"))>\(first.label)</option>\(HTML(raw: options))</select>
        </div>
        """
    }

    /// A yes/no confirmation: a checkbox sending "yes", its error above it and linked to it.
    static func checkbox(name: String, label: String, checked: Bool, error: String? = nil, id: String? = nil) -> HTML {
        let id = id ?? "f-\(name)"
        return """
        <div class="field\(error == nil ? "" : " has-error")">
        \(error.map { "<p class=\"error\" id=\"\(id)-error\">\($0)</p>" as HTML })
        <div class="choice"><input type="checkbox" id="\(id)" name="\(name)" value="yes"\(HTML.when(checked, " checked"))\
        \(HTML.when(error != nil, " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""))><label for="\(id)">\(label)</label></div>
        </div>
        """
    }

    /// A summary of the errors at the top of a form, each linking to its field.
    static func errorSummary(_ errors: FieldErrors, _ t: Translator) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.entries.map { field, m -> HTML in
            "<li><a href=\"#f-\(field)\">\(t(m.key, args: m.arguments))</a></li>"
        }
        return """
        <div class="error-summary" role="alert" tabindex="-1">
        <h2>\(t("form.errorsTitle"))</h2>
        <ul>\(items)</ul>
        </div>
        """
    }

    static func message(_ errors: FieldErrors, _ field: String, _ t: Translator) -> String? {
        errors[field].map { t($0.key, args: $0.arguments) }
    }
}
