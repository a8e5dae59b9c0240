import Foundation
import LivingTogetherCore
import Vapor

enum KnowledgeViews {
    typealias Option = (value: String, label: String)

    /// What the search form's lists offer, and each list's options as markup (made once with the cached lists: a
    /// search page shows hundreds of options, and only which one is selected changes).
    struct Filters: Sendable {
        var themes: [Option]
        var keyFactors: [Option]
        var actions: [Option]
        var countries: [Option]
        var languages: [Option]
        private(set) var rendered: [String: String] = [:]

        init(themes: [Option], keyFactors: [Option], actions: [Option], countries: [Option], languages: [Option]) {
            self.themes = themes; self.keyFactors = keyFactors; self.actions = actions; self.countries = countries
            self.languages = languages
            for (name, list) in [("theme", themes), ("key_factor", keyFactors), ("action", actions), ("country", countries),
                                 ("language", languages)] {
                rendered[name] = Form.optionsMarkup(list)
            }
        }
    }

    /// The library's search page: the query, one page of results and the filters.
    struct ListPage {
        var query: KnowledgeQuery
        var page: KnowledgePage
        var items: [(slug: String, practice: Practice)]
        var filters: Filters
    }

    /// One record's page.
    struct PracticePage {
        var row: PracticeRow
        var practice: Practice
        var organisations: [(name: String, id: Int?)]
        var themes: [String]
        var keyFactors: [String]
        var actions: [(id: String, title: String)]
        var countryName: String
        var stale: Bool
        var jsonLD: String
        var canEdit = false
        /// The statuses the person may move the record to.
        var moves: [PracticeStatus] = []
        /// Whether the person may comment without moving the record.
        var canComment = false
        var canVerify = false
        var history: [PracticeReview] = []
        var errors = FieldErrors()
        var values: [String: String] = [:]
        var stories: [PracticeTransfer] = []
        /// The municipalities the person may plan an action for and tell a transfer story of.
        var municipalities: [Organisation] = []
    }

    /// The form for a new record, or for a record's texts in one language.
    struct FormPage {
        var row: PracticeRow?
        var owners: [Organisation]
        var values: [String: String]
        var errors: FieldErrors
        var frameworks: [(id: String, title: String, keyFactors: [(String, String)])]
        var actions: [(id: String, title: String)]
        var countries: [(code: String, name: String)]
    }

    struct ReviewItem { var row: PracticeRow; var practice: Practice; var stale: Bool; var mine: Bool }

    typealias V = PlanViews

    static func text(_ l: LocalizedText, _ ctx: PageContext) -> HTML { BenchmarkViews.text(l, ctx) }

    /// Paragraphs of a text ("\n\n" between them).
    static func paragraphs(_ l: LocalizedText, _ ctx: PageContext) -> HTML {
        let r = l.resolve(ctx.language.rawValue)
        let parts = r.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        let attrs: HTML = r.isFallback ? " lang=\"en\" class=\"fallback\" title=\"\(ctx.t("content.untranslated"))\"" : ""
        return HTML.join(parts.map { "<p\(attrs)>\($0)</p>" })
    }

    static func list(_ ctx: PageContext, _ page: ListPage) -> Response {
        let t = ctx.t, q = page.query
        func select(_ name: String, _ label: String, _ all: String, _ options: [Option], _ selected: String?) -> HTML {
            if let markup = page.filters.rendered[name] {
                return Form.select(name: name, label: label, first: (value: "", label: all), optionsMarkup: markup, selected: selected)
            }
            return Form.select(name: name, label: label, options: [(value: "", label: all)] + options, selected: selected)
        }
        let kinds = Practice.Kind.allCases.map { (value: $0.rawValue, label: t("knowledge.kind.\($0.rawValue)")) }
        let bands = SizeBand.allCases.map { (value: $0.rawValue, label: t($0.labelKey)) }
        let rows = page.items.map { item -> HTML in
            let p = item.practice
            return """
            <li class="record"><h2 class="h3"><a href="\(SiteURL.practice(item.slug).path)">\(text(p.title, ctx))</a></h2>
            <p class="kind">\(t("knowledge.kind.\(p.kind.rawValue)")) · \(p.organisations.joined(separator: ", "))</p>
            <p>\(text(p.summary, ctx))</p></li>
            """
        }
        func link(_ n: Int) -> String {
            var items: [(String, String?)] = [("q", q.text.isEmpty ? nil : q.text), ("kind", q.kind?.rawValue), ("theme", q.theme),
                                              ("key_factor", q.keyFactor), ("action", q.action), ("country", q.country),
                                              ("band", q.band?.rawValue), ("language", q.language)]
            items.append(("page", String(n)))
            let query = items.compactMap { k, v in
                v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")" }
            }
            return SiteURL.knowledge.path + "?" + query.joined(separator: "&")
        }
        var pager: [HTML] = []
        if page.page.page > 1 { pager.append("<li><a href=\"\(link(page.page.page - 1))\" rel=\"prev\">\(t("pager.previous"))</a></li>") }
        pager.append("<li aria-current=\"page\">\(t("pager.pageOf", String(page.page.page), String(page.page.pageCount)))</li>")
        if page.page.page < page.page.pageCount {
            pager.append("<li><a href=\"\(link(page.page.page + 1))\" rel=\"next\">\(t("pager.next"))</a></li>")
        }
        let main: HTML = """
        <h1>\(t("knowledge.title"))</h1>
        <p class="lead">\(t("knowledge.intro"))</p>
        <p><a href="\(SiteURL.events.path)">\(t("events.title"))</a>: \(t("events.intro"))</p>
        \(HTML.when(ctx.user != nil, "<p><a href=\"\(SiteURL.knowledgeReview.path)\">\(t("knowledge.yourRecords"))</a> · <a href=\"\(SiteURL.practiceNew.path)\">\(t("knowledge.newTitle"))</a></p>"))
        <form method="get" action="\(SiteURL.knowledge.path)" class="filters" role="search">
        <div class="field"><label for="f-q">\(t("knowledge.search"))</label><input id="f-q" name="q" type="search" value="\(q.text)"></div>
        \(select("kind", t("knowledge.filter.kind"), t("knowledge.all"), kinds, q.kind?.rawValue))
        \(select("theme", t("knowledge.filter.theme"), t("knowledge.all"), page.filters.themes, q.theme))
        \(select("key_factor", t("knowledge.filter.keyFactor"), t("knowledge.all"), page.filters.keyFactors, q.keyFactor))
        \(select("action", t("knowledge.filter.action"), t("knowledge.all"), page.filters.actions, q.action))
        \(select("country", t("field.country"), t("knowledge.all"), page.filters.countries, q.country))
        \(select("band", t("field.sizeBand"), t("knowledge.all"), bands, q.band?.rawValue))
        \(select("language", t("knowledge.filter.language"), t("knowledge.all"), page.filters.languages, q.language))
        <div class="actions"><button type="submit">\(t("directory.searchButton"))</button></div>
        </form>
        <p role="status">\(t.plural("knowledge.count", count: Double(page.page.total), t.number(page.page.total)))</p>
        \(HTML.either(page.items.isEmpty, "<p>\(t("knowledge.none"))</p>", """
        <ul class="records">\(rows)</ul>
        <nav aria-label="\(t("pager.label"))"><ul class="pager">\(pager)</ul></nav>
        """))
        <p>\(t("knowledge.download")) <a href="\(SiteURL.knowledgeExportJSON.path)">JSON</a> · \
        <a href="\(SiteURL.knowledgeExportCSV.path)">CSV</a> (\(t("knowledge.licence", KnowledgeExport.licence)))</p>
        """
        return Layout.page(ctx, title: t("knowledge.title"), main: main)
    }

    static func practice(_ ctx: PageContext, _ page: PracticePage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue, p = page.practice
        func section(_ key: String, _ l: LocalizedText) -> HTML {
            l.values.values.allSatisfy(\.isEmpty) ? .empty : "<h2>\(t(key))</h2>\(paragraphs(l, ctx))"
        }
        func row(_ label: String, _ value: HTML?) -> HTML {
            guard let value else { return .empty }
            return "<div><dt>\(label)</dt><dd>\(value)</dd></div>"
        }
        let organisations = HTML.join(page.organisations.map { o -> HTML in
            o.id.map { "<a href=\"\(SiteURL.organisation($0).path)\">\(o.name)</a>" } ?? "\(o.name)"
        }, separator: ", ")
        let period: String = p.start == "unknown" ? t("knowledge.periodUnknown")
            : (p.end.map { "\(p.start)–\($0)" } ?? (p.stillRunning == true ? t("knowledge.since", p.start) : p.start))
        let machine = p.translations[lang] == .machine
        let steps = p.steps.enumerated().map { i, s -> HTML in
            "<li><h3>\(i + 1). \(text(s.title, ctx))</h3>\(paragraphs(s.text, ctx))</li>"
        }
        let actions = HTML.join(page.actions.map { a -> HTML in
            "<a href=\"\(SiteURL.knowledge.path)?action=\(a.id)\">\(a.title)</a>"
        }, separator: ", ")
        let verified: HTML = page.row.lastVerified.map { "\(t("knowledge.lastVerified", $0))" } ?? "\(t("knowledge.neverVerified"))"
        let main: HTML = """
        <p><a href="\(SiteURL.knowledge.path)">← \(t("knowledge.title"))</a></p>
        <h1>\(text(p.title, ctx))</h1>
        <p class="kind">\(t("knowledge.kind.\(p.kind.rawValue)")) · \(organisations) · \(page.countryName) · \(period)</p>
        \(HTML.when(machine, "<p class=\"notice\">\(t("knowledge.machineTranslated"))</p>"))
        \(HTML.when(page.stale, "<p class=\"notice stale\">\(t("knowledge.stale")) \(verified)</p>"))
        <p class="lead">\(text(p.summary, ctx))</p>
        \(section("knowledge.issue", p.issue))
        \(section("knowledge.howItWorks", p.howItWorks))
        \(HTML.when(!p.steps.isEmpty, "<h2>\(t("knowledge.steps"))</h2><ol class=\"steps-list\">\(steps)</ol>"))
        \(section("knowledge.results", p.results))
        \(section("knowledge.evaluation", p.evaluation))
        \(section("knowledge.beneficiaries", p.beneficiaries))
        <h2>\(t("knowledge.facts"))</h2>
        <dl class="facts">
        \(row(t("knowledge.staff"), text(p.staff, ctx)))
        \(row(t("knowledge.budget"), "\(t("knowledge.budget.\(p.budgetBand.rawValue)"))"))
        \(row(t("knowledge.duration"), text(p.duration, ctx)))
        \(row(t("knowledge.funding"), text(p.funding, ctx)))
        \(row(t("knowledge.durationMinutes"), p.durationMinutes.map { "\(t("knowledge.minutes", String($0)))" }))
        \(row(t("knowledge.groupSize"), p.groupSize.map { "\($0)" }))
        \(row(t("knowledge.materials"), p.materials.map { text($0, ctx) }))
        \(row(t("knowledge.languages"), "\(p.languages.map { t.has("language.\($0)") ? t("language.\($0)") : $0 }.joined(separator: ", "))"))
        \(row(t("knowledge.competences"), text(p.competences, ctx)))
        \(row(t("knowledge.sizeBands"), p.sizeBands.isEmpty ? nil : "\(p.sizeBands.map { t($0.labelKey) }.joined(separator: "; "))"))
        \(row(t("knowledge.themes"), page.themes.isEmpty ? nil : "\(page.themes.joined(separator: "; "))"))
        \(row(t("knowledge.keyFactors"), page.keyFactors.isEmpty ? nil : "\(page.keyFactors.joined(separator: "; "))"))
        \(row(t("knowledge.actions"), page.actions.isEmpty ? nil : actions))
        \(row(t("knowledge.contact"), p.contact.map { c in c.hasPrefix("https://") || c.hasPrefix("http://") ? "<a href=\"\(c)\">\(c)</a>" : "\(c)" }))
        \(row(t("knowledge.verified"), verified))
        </dl>
        \(p.source.map { s in "<p class=\"credit\">\(t("knowledge.source", s.title, s.where))</p>" as HTML })
        <p class="credit">\(t("knowledge.licence", KnowledgeExport.licence))</p>
        \(transfers(ctx, page))
        \(manage(ctx, page))
        \(HTML.when(page.row.practiceStatus == .published, "<script type=\"application/ld+json\">\(HTML(raw: page.jsonLD))</script>"))
        """
        return Layout.page(ctx, title: p.title(lang), main: main, status: status)
    }

    /// "Plan an action from this practice", and the municipalities' transfer stories with the form to tell one.
    static func transfers(_ ctx: PageContext, _ page: PracticePage) -> HTML {
        let t = ctx.t, errors = page.errors, v = page.values
        let plan = page.municipalities.map { o -> HTML in
            "<li><a href=\"\(SiteURL.planActionNew(o.id).path)?practice=\(page.row.slug)\">\(t("knowledge.planFrom", o.name))</a></li>"
        }
        let stories = page.stories.map { s -> HTML in
            """
            <li><h3><a href="\(SiteURL.organisation(s.organisation.id).path)">\(s.organisation.name)</a>\
            \(s.createdAt.map { " · \(V.date($0, t))" } ?? "")</h3>
            <p><strong>\(t("knowledge.adapted"))</strong> \(s.adapted)</p><p><strong>\(t("knowledge.result"))</strong> \(s.result)</p></li>
            """
        }
        let form: HTML = page.municipalities.isEmpty ? .empty : """
        <form method="post" action="\(SiteURL.practiceTransfers(page.row.slug).path)" novalidate>\(ctx.csrfField)
        <fieldset><legend>\(t("knowledge.tellTransfer"))</legend>
        \(V.select("organisation", t("field.municipality"), options: page.municipalities.map { (value: String($0.id ?? 0), label: $0.name) },
                    selected: v["organisation"], errors: errors, t: t))
        \(V.textarea("adapted", t("knowledge.adaptedLabel"), value: v["adapted"], errors: errors, t: t))
        \(V.textarea("result", t("knowledge.resultLabel"), value: v["result"], errors: errors, t: t))
        <div class="actions"><button type="submit">\(t("knowledge.tellButton"))</button></div>
        </fieldset></form>
        """
        guard !plan.isEmpty || !stories.isEmpty else { return .empty }
        return """
        \(HTML.when(!plan.isEmpty, "<ul class=\"actions no-print\">\(plan)</ul>"))
        <h2 id="transfers">\(t("knowledge.transfers"))</h2>
        \(HTML.either(stories.isEmpty, "<p>\(t("knowledge.noTransfers"))</p>", "<ul class=\"records\">\(stories)</ul>"))
        \(form)
        """
    }

    /// The record's review for those who take part in it: status, history, the steps they may take, "still running?".
    static func manage(_ ctx: PageContext, _ page: PracticePage) -> HTML {
        let t = ctx.t, row = page.row, errors = page.errors
        guard page.canEdit || !page.moves.isEmpty || page.canVerify || page.canComment else { return .empty }
        let history = page.history.map { r -> HTML in
            let who = r.user?.name ?? t("knowledge.someone")
            let what: String
            if r.comment.hasPrefix("verified:") { what = t(r.comment == "verified:running" ? "knowledge.history.running" : "knowledge.history.ended") }
            else if r.comment == "created" { what = t("knowledge.history.created") }
            else if r.fromStatus == r.toStatus { what = r.comment }
            else { what = t("knowledge.history.moved", t("practiceStatus.\(r.fromStatus)"), t("practiceStatus.\(r.toStatus)")) }
            let comment: HTML = r.comment.isEmpty || r.comment == "created" || r.comment.hasPrefix("verified:") || r.fromStatus == r.toStatus
                ? .empty : " — \(r.comment)"
            return "<li>\(r.at.map { V.date($0, t) } ?? ""), \(who): \(what)\(comment)</li>"
        }
        let moves = page.moves.map { to -> HTML in
            "<button type=\"submit\" name=\"to\" value=\"\(to.rawValue)\"\(HTML.when(to == .archived || to == .draft, " class=\"secondary\""))>\(t("knowledge.moveTo.\(to.rawValue)"))</button>"
        }
        return """
        <section class="review no-print" aria-labelledby="h-review">
        <h2 id="h-review">\(t("knowledge.review"))</h2>
        \(V.summary(errors, t))
        <p><strong>\(t("field.status")):</strong> \(t(row.practiceStatus.labelKey))\(HTML.when(page.canEdit, " · <a href=\"\(SiteURL.practiceEdit(row.slug).path)\">\(t("knowledge.edit"))</a> · <a href=\"\(SiteURL.practiceEdit(row.slug).path)?language=\(ctx.language == .en ? "nl" : "en")\">\(t("knowledge.translate"))</a>"))</p>
        \(HTML.when(!moves.isEmpty || page.canComment, """
        <form method="post" action="\(SiteURL.practiceStatus(row.slug).path)" novalidate>\(ctx.csrfField)
        \(V.textarea("comment", t("knowledge.comment"), value: page.values["comment"], errors: errors, t: t, hint: t("knowledge.commentHint")))
        \(HTML.when(errors["status"] != nil, "<p class=\"error\" id=\"f-status\">\(Form.message(errors, "status", t) ?? "")</p>"))
        <div class="actions">\(moves)\(HTML.when(page.canComment, "<button type=\"submit\" formaction=\"\(SiteURL.practiceComments(row.slug).path)\" class=\"secondary\">\(t("knowledge.commentOnly"))</button>"))</div></form>
        """))
        \(HTML.when(page.canVerify, """
        <form method="post" action="\(SiteURL.practiceVerify(row.slug).path)" class="inline">\(ctx.csrfField)
        <fieldset><legend>\(t("knowledge.stillRunning"))</legend>
        <button type="submit" name="still_running" value="yes">\(t("knowledge.stillRunning.yes"))</button>
        <button type="submit" name="still_running" value="no" class="secondary">\(t("knowledge.stillRunning.no"))</button>
        </fieldset></form>
        """))
        \(HTML.when(!history.isEmpty, "<h3>\(t("knowledge.history"))</h3><ul>\(history)</ul>"))
        </section>
        """
    }

    static func form(_ ctx: PageContext, _ page: FormPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, v = page.values, errors = page.errors
        let editing = page.row != nil
        let action = page.row.map { SiteURL.practiceEdit($0.slug).path } ?? SiteURL.practiceNew.path
        let title = editing ? t("knowledge.editTitle") : t("knowledge.newTitle")
        let languages = ContentChecker.requiredLanguages.map { (value: $0, label: t("language.\($0)")) }
        let kinds = Practice.Kind.allCases.map { (value: $0.rawValue, label: t("knowledge.kind.\($0.rawValue)")) }
        let budgets = Practice.BudgetBand.allCases.map { (value: $0.rawValue, label: t("knowledge.budget.\($0.rawValue)")) }
        let running = [("unknown", t("knowledge.running.unknown")), ("yes", t("knowledge.running.yes")), ("no", t("knowledge.running.no"))]
            .map { (value: $0.0, label: $0.1) }
        func box(_ name: String, _ label: String) -> HTML {
            let id = "f-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            return "<div class=\"choice\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"on\"\(HTML.when(v[name] != nil, " checked"))><label for=\"\(id)\">\(label)</label></div>"
        }
        let themes = page.frameworks.map { f -> HTML in
            """
            <fieldset><legend>\(f.title)</legend>\(box("theme:\(f.id)", t("knowledge.wholeTheme")))
            \(HTML.join(f.keyFactors.map { box("kf:\($0.0)", $0.1) }))</fieldset>
            """
        }
        let texts = PracticeInput.textFields.map { field, _ -> HTML in
            field == "title"
                ? V.input(field, t("knowledge.field.\(field)"), value: v[field], errors: errors, t: t)
                : V.textarea(field, t("knowledge.field.\(field)"), value: v[field], errors: errors, t: t, rows: field == "summary" ? 2 : 4,
                             hint: field == "summary" ? t("knowledge.summaryHint", String(Practice.maximumSummaryLength)) : nil)
        }
        let main: HTML = """
        <h1>\(title)</h1>
        <p>\(t("knowledge.formIntro"))</p>
        \(V.summary(errors, t))
        <form method="post" action="\(action)" novalidate>\(ctx.csrfField)
        \(HTML.when(!editing, V.select("owner", t("knowledge.owner"), options: page.owners.map { (value: String($0.id ?? 0), label: $0.name) },
                                        selected: v["owner"], errors: errors, t: t)))
        \(V.select("written_in", t("knowledge.writtenIn"), options: languages, selected: v["written_in"], errors: errors, t: t))
        \(V.select("kind", t("knowledge.filter.kind"), options: kinds, selected: v["kind"], errors: errors, t: t))
        \(texts)
        <fieldset><legend>\(t("knowledge.toolFields"))</legend>
        \(V.textarea("steps", t("knowledge.field.steps"), value: v["steps"], errors: errors, t: t, rows: 6, hint: t("knowledge.stepsHint")))
        \(V.input("duration_minutes", t("knowledge.durationMinutes"), value: v["duration_minutes"], errors: errors, t: t))
        \(V.input("group_size", t("knowledge.groupSize"), value: v["group_size"], errors: errors, t: t))
        \(V.textarea("materials", t("knowledge.materials"), value: v["materials"], errors: errors, t: t))
        </fieldset>
        <fieldset><legend>\(t("knowledge.facts"))</legend>
        \(V.input("organisations", t("knowledge.field.organisations"), value: v["organisations"], errors: errors, t: t, hint: t("knowledge.organisationsHint")))
        \(V.select("country", t("field.country"), options: [(value: "", label: t("form.choose"))] + page.countries.map { (value: $0.code, label: $0.name) },
                    selected: v["country"], errors: errors, t: t))
        \(V.input("start", t("knowledge.field.start"), value: v["start"], errors: errors, t: t, hint: t("knowledge.yearHint")))
        \(V.input("end", t("knowledge.field.end"), value: v["end"], errors: errors, t: t, hint: t("knowledge.yearHint")))
        \(V.select("still_running", t("knowledge.field.stillRunning"), options: running, selected: v["still_running"], errors: errors, t: t))
        \(V.select("budget_band", t("knowledge.budget"), options: budgets, selected: v["budget_band"], errors: errors, t: t))
        \(V.input("languages", t("knowledge.languages"), value: v["languages"], errors: errors, t: t, hint: t("knowledge.languagesHint")))
        \(V.input("contact", t("knowledge.contact"), value: v["contact"], errors: errors, t: t))
        </fieldset>
        <fieldset id="f-tags"\(HTML.when(errors["tags"] != nil, " class=\"has-error\" aria-describedby=\"f-tags-error\""))><legend>\(t("knowledge.tags"))</legend>
        \(HTML.when(errors["tags"] != nil, "<p class=\"error\" id=\"f-tags-error\">\(Form.message(errors, "tags", t) ?? "")</p>"))
        \(themes)
        <fieldset><legend>\(t("knowledge.actions"))</legend>\(HTML.join(page.actions.map { box("action:\($0.id)", $0.title) }))</fieldset>
        <fieldset><legend>\(t("knowledge.sizeBands"))</legend>\(HTML.join(SizeBand.allCases.map { box("band:\($0.rawValue)", t($0.labelKey)) }))</fieldset>
        </fieldset>
        <div class="actions"><button type="submit">\(editing ? t("form.save") : t("knowledge.create"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    static func review(_ ctx: PageContext, items: [ReviewItem], isEditor: Bool) -> Response {
        let t = ctx.t
        func list(_ rows: [ReviewItem]) -> HTML {
            rows.isEmpty ? "<p>\(t("knowledge.reviewNone"))</p>" : """
            <ul>\(rows.map { i -> HTML in
                "<li><a href=\"\(SiteURL.practice(i.row.slug).path)\">\(text(i.practice.title, ctx))</a> — \(t(i.row.practiceStatus.labelKey))\(HTML.when(i.stale, " · \(t("knowledge.staleShort"))"))</li>"
            })</ul>
            """
        }
        let main: HTML = """
        <h1>\(t("knowledge.reviewTitle"))</h1>
        <p><a href="\(SiteURL.practiceNew.path)">\(t("knowledge.newTitle"))</a></p>
        \(HTML.when(isEditor, "<h2>\(t("knowledge.inReview"))</h2>\(list(items.filter { $0.row.practiceStatus == .inReview }))"))
        \(HTML.when(isEditor, "<h2>\(t("knowledge.toVerify"))</h2>\(list(items.filter { $0.stale && !$0.mine }))"))
        <h2>\(t("knowledge.yours"))</h2>
        \(list(items.filter(\.mine)))
        """
        return Layout.page(ctx, title: t("knowledge.reviewTitle"), main: main)
    }
}
