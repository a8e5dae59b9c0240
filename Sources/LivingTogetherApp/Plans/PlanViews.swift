import Foundation
import LivingTogetherCore
import Vapor

enum PlanViews {
    struct CatalogueItem { var row: CatalogueVersion; var catalogue: Catalogue; var publisher: String?; var canCoordinate: Bool }
    /// An action a person's organisation reports on as a partner, and whether its plan may be opened.
    struct ReportingItem { var work: PlanUseCases.PartnerWork; var title: String; var canSeePlan: Bool }

    // MARK: small parts

    static func text(_ l: LocalizedText, _ ctx: PageContext) -> HTML { BenchmarkViews.text(l, ctx) }

    static func plainNumber(_ v: Double) -> String { v.plainText }

    /// A number with the language's separators ("12 500,50"); values no Int holds (stored before the input limits)
    /// are shown plainly instead of stopping the process.
    static func number(_ v: Double, _ t: Translator) -> String {
        let sign = v < 0 ? "-" : ""
        guard let cents = (abs(v) * 100).rounded().wholeNumber else { return v.plainText }
        if cents % 100 == 0 { return sign + t.number(cents / 100) }
        return sign + t.number(cents / 100) + (t.language == .nl ? "," : ".") + String(format: "%02d", cents % 100)
    }

    static func money(_ v: Double?, _ t: Translator) -> String { v.map { "€ " + number($0, t) } ?? "—" }

    static func fid(_ name: String) -> String {
        "f-" + name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? String($0) : "-" }.joined()
    }

    static func errorText(_ errors: FieldErrors, _ name: String, _ t: Translator) -> String? { errors[name].map { t($0.key, args: $0.arguments) } }

    static func fieldStart(_ name: String, _ label: String, _ errors: FieldErrors, _ t: Translator, hint: String? = nil) -> (open: HTML, attrs: HTML) {
        let id = fid(name)
        let error = errorText(errors, name, t)
        var described: [String] = []
        if hint != nil { described.append("\(id)-hint") }
        if error != nil { described.append("\(id)-error") }
        let open: HTML = """
        <div class="field\(error == nil ? "" : " has-error")"><label for="\(id)">\(label)</label>\(hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\($0)</p>" as HTML })\(error.map { "<p class=\"error\" id=\"\(id)-error\">\($0)</p>" as HTML })
        """
        let attrs: HTML = "id=\"\(id)\" name=\"\(name)\"\(HTML.attr("aria-describedby", described.isEmpty ? nil : described.joined(separator: " ")))\(HTML.when(error != nil, " aria-invalid=\"true\""))"
        return (open, attrs)
    }

    static func input(_ name: String, _ label: String, value: String?, errors: FieldErrors, t: Translator, type: String = "text", hint: String? = nil, extra: HTML = .empty) -> HTML {
        let f = fieldStart(name, label, errors, t, hint: hint)
        return "\(f.open)<input \(f.attrs) type=\"\(type)\"\(HTML.attr("value", value))\(extra)></div>"
    }

    static func textarea(_ name: String, _ label: String, value: String?, errors: FieldErrors, t: Translator, rows: Int = 3, hint: String? = nil) -> HTML {
        let f = fieldStart(name, label, errors, t, hint: hint)
        return "\(f.open)<textarea \(f.attrs) rows=\"\(rows)\">\(value ?? "")</textarea></div>"
    }

    static func checkbox(_ name: String, _ label: String, checked: Bool, errors: FieldErrors, t: Translator) -> HTML {
        Form.checkbox(name: name, label: label, checked: checked, error: errorText(errors, name, t), id: fid(name))
    }

    static func select(_ name: String, _ label: String, options: [(value: String, label: String)], selected: String?, errors: FieldErrors, t: Translator) -> HTML {
        Form.select(name: name, label: label, options: options, selected: selected, error: errorText(errors, name, t), id: fid(name))
    }

    /// The errors of a form at its top, each linking to its field, in the order they were found.
    static func summary(_ errors: FieldErrors, _ t: Translator) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.entries.map { f, m -> HTML in "<li><a href=\"#\(fid(f))\">\(t(m.key, args: m.arguments))</a></li>" }
        return "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>\(t("form.errorsTitle"))</h2><ul>\(items)</ul></div>"
    }

    static func statusOptions(_ t: Translator) -> [(value: String, label: String)] {
        PlanFollowUp.Status.allCases.map { ($0.rawValue, t("planStatus.\($0.rawValue)")) }
    }

    static func date(_ d: Date?, _ t: Translator) -> String { d.map { AccountViews.date($0, t) } ?? "" }

    // MARK: the plans page

    static func index(_ ctx: PageContext, catalogues: [CatalogueItem], plans: [(Organisation, [UptakeRequest])],
                      reporting: [ReportingItem] = [], canUpload: Bool) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let rows = catalogues.map { c -> HTML in
            """
            <tr><th scope="row"><a href="\(SiteURL.catalogue(c.row.id).path)">\(c.catalogue.title(lang))</a></th><td>\(String(c.row.version))</td>
            <td>\(t("catalogue.status.\(c.row.status)"))</td><td>\(c.publisher ?? t("catalogue.noPublisher"))</td>
            <td>\(HTML.when(c.canCoordinate, "<a href=\"\(SiteURL.catalogueOverview(c.row.id).path)\">\(t("overview.link"))</a>"))</td></tr>
            """
        }
        let planList = plans.map { org, requests -> HTML in
            let reqs = requests.map { r -> HTML in
                "<li><a href=\"\(SiteURL.uptakeRequest(r.id).path)\">\(t("request.name", String(r.id ?? 0)))</a> — \(t("request.status.\(r.status)")), \(date(r.createdAt, t))</li>"
            }
            return """
            <li><a href="\(SiteURL.plan(org.id).path)">\(t("plan.title", org.name))</a>\(HTML.when(!requests.isEmpty, "<ul>\(reqs)</ul>"))</li>
            """
        }
        let main: HTML = """
        <h1>\(t("plans.title"))</h1>
        <p class="lead">\(t("plans.intro"))</p>
        <h2>\(t("plans.catalogues"))</h2>
        \(HTML.either(catalogues.isEmpty, "<p>\(t("plans.noCatalogues"))</p>", """
        <table class="list"><thead><tr><th scope="col">\(t("field.catalogue"))</th><th scope="col">\(t("field.version"))</th><th scope="col">\(t("field.status"))</th><th scope="col">\(t("field.publisher"))</th><th scope="col"><span class="visually-hidden">\(t("overview.link"))</span></th></tr></thead><tbody>\(rows)</tbody></table>
        """))
        \(HTML.when(canUpload, "<p><a href=\"\(SiteURL.catalogueUpload.path)\">\(t("catalogue.upload"))</a></p>"))
        \(HTML.when(!plans.isEmpty, "<h2>\(t("plans.yours"))</h2><ul>\(planList)</ul>"))
        \(HTML.when(!reporting.isEmpty, reportingSection(ctx, reporting)))
        """
        return Layout.page(ctx, title: t("plans.title"), main: main)
    }

    /// "Actions you report on": each action a partner organisation's members report values for, with its plan
    /// linked only where they may read it.
    static func reportingSection(_ ctx: PageContext, _ items: [ReportingItem]) -> HTML {
        let t = ctx.t
        let rows = items.map { i -> HTML in
            let owner: HTML = i.canSeePlan ? "<a href=\"\(SiteURL.plan(i.work.owner.id).path)\">\(i.work.owner.name)</a>"
                                           : "\(i.work.owner.name)"
            return """
            <tr><th scope="row"><a href="\(SiteURL.planAction(i.work.action.id).path)">\(i.title)</a></th><td>\(owner)</td>
            <td>\(i.work.partner.name)</td><td>\(t("planStatus.\(i.work.action.status)"))</td>
            <td>\(i.work.action.startDay) – \(i.work.action.endDay)</td></tr>
            """
        }
        return """
        <h2 id="reporting">\(t("plans.reporting"))</h2>
        <p>\(t("plans.reportingIntro"))</p>
        <table class="list"><caption class="visually-hidden">\(t("plans.reporting"))</caption>
        <thead><tr><th scope="col">\(t("field.action"))</th>
        <th scope="col">\(t("field.municipality"))</th><th scope="col">\(t("field.partner"))</th>
        <th scope="col">\(t("field.status"))</th><th scope="col">\(t("field.period"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }

    // MARK: a catalogue

    static func catalogue(_ ctx: PageContext, row: CatalogueVersion, catalogue c: Catalogue, publisher: Organisation?, organisationLinks: [String: Int],
                          canManage: Bool, canCoordinate: Bool, canRequest: Bool, qualifiedMentors: [String: [Organisation]] = [:],
                          library: BenchmarkViews.LibraryLinks = [:]) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        func names(_ list: [String]) -> HTML {
            HTML.join(list.map { n in organisationLinks[n].map { "<a href=\"\(SiteURL.organisation($0).path)\">\(n)</a>" } ?? "\(n)" }, separator: ", ")
        }
        let objectives = c.objectives.enumerated().map { i, o -> HTML in
            let actions = o.actions.map { a -> HTML in
                let indicators = a.indicators.map { ind -> HTML in
                    "<tr><th scope=\"row\">\(text(ind.name, ctx))</th><td>\(text(ind.unit, ctx))</td><td>\(t("direction.\(ind.direction.rawValue)"))</td><td>\(ind.target.map { number($0, t) } ?? "—")</td><td>\(text(ind.howMeasured, ctx))</td></tr>"
                }
                let funding: HTML = a.funding.map { f in
                    "<p>\(t.plural("catalogue.funding", count: f.cap, money(f.amountPerUnit, t), number(f.cap, t), number(f.coFinancingPercent, t)))</p>"
                } ?? "<p>\(t("catalogue.noFunding"))</p>"
                return """
                <section class="action" aria-labelledby="a-\(a.id)">
                <h3 id="a-\(a.id)">\(text(a.title, ctx))</h3>
                <p>\(text(a.description, ctx))</p>
                <dl class="facts">
                <dt>\(t("catalogue.targetGroups"))</dt><dd>\(HTML.join(a.targetGroups.map { text($0, ctx) }, separator: "; "))</dd>
                <dt>\(t("catalogue.mentors"))</dt><dd>\(a.mentorMunicipalities.isEmpty ? "<em>\(t("catalogue.noMentor"))</em>" : names(a.mentorMunicipalities))</dd>
                \(HTML.when(qualifiedMentors[a.id] != nil, "<dt>\(t("catalogue.qualifiedMentors"))</dt><dd>\(HTML.join((qualifiedMentors[a.id] ?? []).map { "<a href=\"\(SiteURL.organisation($0.id).path)\">\($0.name)</a>" as HTML }, separator: ", "))</dd>"))
                \(HTML.when(!(library[a.id] ?? []).isEmpty, """
                <dt>\(t("catalogue.library"))</dt><dd>\(HTML.join((library[a.id] ?? []).map {
                    "<a href=\"\(SiteURL.practice($0.slug).path)\">\(text($0.title, ctx))</a>" as HTML }, separator: ", "))</dd>
                """))
                <dt>\(t("catalogue.partners"))</dt><dd>\(a.contentPartners.isEmpty ? "—" : names(a.contentPartners))</dd>
                </dl>
                \(funding)
                <table class="list"><caption>\(t("catalogue.indicators", a.title(lang)))</caption><thead><tr><th scope="col">\(t("field.indicator"))</th><th scope="col">\(t("field.unit"))</th><th scope="col">\(t("field.direction"))</th><th scope="col">\(t("field.target"))</th><th scope="col">\(t("field.howMeasured"))</th></tr></thead><tbody>\(indicators)</tbody></table>
                </section>
                """
            }
            return """
            <section class="objective" aria-labelledby="o-\(o.id)"><h2 id="o-\(o.id)">\(i + 1). \(text(o.title, ctx))</h2><p>\(text(o.description, ctx))</p>\(actions)</section>
            """
        }
        let manage: HTML = !canManage ? .empty : {
            switch row.catalogueStatus {
            case .draft, .withdrawn:
                return "<form method=\"post\" action=\"\(SiteURL.catalogueStatus(row.id).path)\" class=\"inline\">\(ctx.csrfField)<input type=\"hidden\" name=\"status\" value=\"published\"><button type=\"submit\">\(t("catalogue.publish"))</button></form>"
            case .published:
                return "<form method=\"post\" action=\"\(SiteURL.catalogueStatus(row.id).path)\" class=\"inline\">\(ctx.csrfField)<input type=\"hidden\" name=\"status\" value=\"withdrawn\"><button type=\"submit\" class=\"secondary\">\(t("catalogue.withdraw"))</button></form>"
            }
        }()
        let sources = c.sources.map { s -> HTML in
            "<li>\(s.title)\(s.publisher.map { ", \($0)" as HTML })\(s.year.map { " (\(String($0)))" as HTML })\(s.url.map { " <a href=\"\($0)\">\($0)</a>" as HTML })</li>"
        }
        let main: HTML = """
        <p><a href="\(SiteURL.plans.path)">← \(t("plans.title"))</a></p>
        <h1>\(text(c.title, ctx))</h1>
        <p class="kind">\(t("benchmarks.version", String(row.version))) · \(t("catalogue.status.\(row.status)")) · \(publisher.map { "\(t("field.publisher")): \($0.name)" } ?? t("catalogue.noPublisher")) · \(t("catalogue.period", c.period.start, c.period.end))</p>
        <div class="actions">\(manage)\(HTML.when(canRequest, " <a class=\"button\" href=\"\(SiteURL.uptakeNew(row.id).path)\">\(t("catalogue.request"))</a>"))\(HTML.when(canCoordinate, " <a href=\"\(SiteURL.catalogueOverview(row.id).path)\">\(t("overview.link"))</a>"))</div>
        <p class="lead">\(text(c.summary, ctx))</p>
        \(c.eligibility.map { "<p>\(text($0, ctx))</p>" as HTML })
        \(objectives)
        <h2>\(t("framework.sources"))</h2>
        <ul>\(sources)</ul>
        <p>\(t("framework.licence", c.licence))</p>
        """
        return Layout.page(ctx, title: c.title(lang), main: main)
    }

    static func upload(_ ctx: PageContext, publishers: [Organisation], selected: String?, text: String, problems: [FrameworkError], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("catalogue.uploadTitle"))</h1>
        <p>\(t("catalogue.uploadIntro"))</p>
        \(BenchmarkViews.problemList(problems, t))
        <form method="post" action="\(SiteURL.catalogueUpload.path)" enctype="multipart/form-data" novalidate>
        \(ctx.csrfField)
        \(Form.select(name: "publisher", label: t("field.publisher"), options: publishers.map { (String($0.id ?? 0), $0.name) }, selected: selected))
        \(Form.jsonUpload(fileLabel: t("catalogue.uploadFile"), pasteLabel: t("upload.paste"), text: text, problemsMessage: problems.isEmpty ? nil
            : t.plural("catalogue.uploadProblems", count: Double(problems.count), String(problems.count))))
        <div class="actions"><button type="submit">\(t("upload.button"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("catalogue.uploadTitle"), main: main, status: status)
    }

    // MARK: requests

    static func requestForm(_ ctx: PageContext, row: CatalogueVersion, catalogue c: Catalogue, organisations: [Organisation], form: PlanController.RequestForm,
                            errors: FieldErrors, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let groups = c.objectives.map { o -> HTML in
            let actions = o.actions.map { a -> HTML in
                let check = "action:\(a.id)", budget = "budget:\(a.id)"
                let hint = a.funding.map { t.plural("request.budgetHint", count: $0.cap, money($0.amountPerUnit, t), number($0.cap, t)) }
                return """
                <div class="uptake-line">
                <div class="choice"><input type="checkbox" id="\(fid(check))" name="\(check)" value="1"\(HTML.when(form.chosen.contains(a.id), " checked"))><label for="\(fid(check))">\(text(a.title, ctx))</label></div>
                \(input(budget, t("request.budgetFor", a.title(lang)), value: form.budgets[a.id], errors: errors, t: t, hint: hint, extra: " inputmode=\"decimal\""))
                </div>
                """
            }
            return "<fieldset class=\"objective\"><legend>\(text(o.title, ctx))</legend>\(actions)</fieldset>"
        }
        let catalogueError: HTML = errorText(errors, "catalogue", t).map { "<p class=\"error\" id=\"f-catalogue\">\($0)</p>" } ?? .empty
        let actionsError: HTML = errorText(errors, "actions", t).map { "<p class=\"error\" id=\"f-actions\">\($0)</p>" } ?? .empty
        let main: HTML = """
        <p><a href="\(SiteURL.catalogue(row.id).path)">← \(text(c.title, ctx))</a></p>
        <h1>\(t("request.title"))</h1>
        <p class="lead">\(t("request.intro"))</p>
        \(summary(errors, t))
        \(catalogueError)
        <form method="post" action="\(SiteURL.uptakeNew(row.id).path)" novalidate>
        \(ctx.csrfField)
        \(select("organisation", t("field.municipality"), options: organisations.map { (String($0.id ?? 0), $0.name) }, selected: form.organisation, errors: errors, t: t))
        \(actionsError)
        \(groups)
        \(textarea("motivation", t("field.motivation"), value: form.motivation, errors: errors, t: t, rows: 4, hint: t("request.motivationHint")))
        <div class="actions"><button type="submit">\(t("request.send"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("request.title"), main: main, status: status)
    }

    /// The action's cap beside a requested amount (units × euros per unit), and whether the amount exceeds it.
    static func capNote(_ item: UptakeRequestItem, _ c: Catalogue, _ t: Translator) -> HTML {
        guard let action = c.action(item.actionID), let f = action.funding, let cap = UptakeRules.budgetCap(action) else {
            return .empty
        }
        let over = (item.budget ?? 0) > cap
        let note = t("request.cap", money(cap, t), number(f.cap, t), money(f.amountPerUnit, t))
            + (over ? " — " + t("request.overCap") : "")
        return "<br><span class=\"hint cap\(HTML.when(over, " over-cap"))\">\(note)</span>"
    }

    static func request(_ ctx: PageContext, request r: UptakeRequest, catalogueRow: CatalogueVersion, catalogue c: Catalogue, organisation: Organisation,
                        coordinator: Organisation?, items: [UptakeRequestItem], events: [UptakeEvent], canDecide: Bool, canRevise: Bool, canSeePlan: Bool,
                        errors: FieldErrors, input: [String: String], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let total = items.compactMap(\.budget).reduce(0, +)
        let rows = items.map { item -> HTML in
            let title = c.action(item.actionID).map { text($0.title, ctx) } ?? "\(item.actionID)"
            var forms: HTML = .empty
            if canDecide && item.itemStatus == .pending {
                let dn = "decision:\(item.actionID)", cn = "comment:\(item.actionID)"
                let options = UptakeDecision.allCases.map { d -> HTML in
                    let id = fid("\(dn)-\(d.rawValue)")
                    return "<div class=\"choice\"><input type=\"radio\" id=\"\(id)\" name=\"\(dn)\" value=\"\(d.rawValue)\"\(HTML.when(input[dn] == d.rawValue, " checked"))><label for=\"\(id)\">\(t("decision.\(d.rawValue)"))</label></div>"
                }
                let decisionError = errorText(errors, dn, t)
                forms = """
                <form method="post" action="\(SiteURL.uptakeDecide(r.id).path)" novalidate class="decision">
                \(ctx.csrfField)<input type="hidden" name="action_id" value="\(item.actionID)">
                <fieldset id="\(fid(dn))"\(HTML.when(decisionError != nil, " aria-describedby=\"\(fid(dn))-error\""))><legend>\(t("request.decisionFor", c.action(item.actionID)?.title(lang) ?? item.actionID))</legend>
                \(decisionError.map { "<p class=\"error\" id=\"\(fid(dn))-error\">\($0)</p>" as HTML })
                \(options)</fieldset>
                \(textarea(cn, t("field.comment"), value: input[cn], errors: errors, t: t, rows: 2, hint: t("request.commentHint")))
                <div class="actions"><button type="submit">\(t("request.decide"))</button></div>
                </form>
                """
            }
            if canRevise && item.itemStatus == .changesRequested {
                let bn = "budget:\(item.actionID)", rn = "reply:\(item.actionID)"
                forms = """
                <form method="post" action="\(SiteURL.uptakeRevise(r.id).path)" novalidate class="decision">
                \(ctx.csrfField)<input type="hidden" name="action_id" value="\(item.actionID)">
                \(PlanViews.input(bn, t("request.budgetFor", c.action(item.actionID)?.title(lang) ?? item.actionID), value: input[bn] ?? item.budget.map(plainNumber), errors: errors, t: t, extra: " inputmode=\"decimal\""))
                \(textarea(rn, t("field.reply"), value: input[rn], errors: errors, t: t, rows: 2))
                <div class="actions"><button type="submit">\(t("request.resubmit"))</button></div>
                </form>
                """
            }
            return """
            <tr id="item-\(item.actionID)"><th scope="row">\(title)</th><td>\(money(item.budget, t))\(capNote(item, c, t))</td><td><span class="status status-\(item.status)">\(t("uptake.status.\(item.status)"))</span></td><td>\(item.comment ?? "")\(forms)</td></tr>
            """
        }
        let history = events.map { e -> HTML in
            let action = e.actionID.flatMap { c.action($0)?.title(lang) }
            return "<li><time datetime=\"\(e.at.ISO8601Format())\">\(date(e.at, t))</time> — \(e.user?.name ?? t("history.someone")): \(t("event.\(e.kind)"))\(action.map { " · \($0)" })\(e.comment.map { ": “\($0)”" })</li>"
        }
        let main: HTML = """
        <p><a href="\(SiteURL.plans.path)">← \(t("plans.title"))</a></p>
        <h1>\(t("request.heading", String(r.id ?? 0), organisation.name))</h1>
        <p class="kind">\(t("request.status.\(r.status)")) · <a href="\(SiteURL.catalogue(catalogueRow.id).path)">\(text(c.title, ctx))</a> · \(t("field.coordinator")): \(coordinator?.name ?? "—")\(HTML.when(canSeePlan, " · <a href=\"\(SiteURL.plan(organisation.id).path)\">\(t("plan.title", organisation.name))</a>"))</p>
        \(summary(errors, t))
        <h2>\(t("field.motivation"))</h2>
        <p class="prewrap">\(r.motivation)</p>
        <h2>\(t("request.actions"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.action"))</th><th scope="col">\(t("field.budget"))</th><th scope="col">\(t("field.status"))</th><th scope="col">\(t("field.comment"))</th></tr></thead>
        <tbody>\(rows)</tbody><tfoot><tr><th scope="row">\(t("request.total"))</th><td>\(money(total, t))</td><td></td><td></td></tr></tfoot></table>
        <h2>\(t("request.history"))</h2>
        <ol class="history">\(history)</ol>
        """
        return Layout.page(ctx, title: t("request.heading", String(r.id ?? 0), organisation.name), main: main, status: status)
    }

    // MARK: the coordinator's view

    static func overviewMain(_ ctx: PageContext, row: CatalogueVersion, catalogue c: Catalogue, overview o: CoordinatorOverview, waiting: [UptakeRequest]) -> HTML {
        let t = ctx.t, lang = ctx.language.rawValue
        func export(_ section: String) -> HTML {
            "<p><a href=\"\(SiteURL.catalogueOverviewExport(row.id).path)?section=\(section)\">\(t("overview.exportCSV"))</a></p>"
        }
        let uptakeRows = o.uptake.map { u -> HTML in
            let a = c.action(u.actionID)
            return "<tr><th scope=\"row\">\(a.map { text($0.title, ctx) } ?? "\(u.actionID)")</th><td>\(u.approved.count)</td><td>\(u.pending.count + u.changesRequested.count)</td><td>\(u.declined.count)</td><td>\(HTML.either(u.mentors.isEmpty, "<em>\(t("catalogue.noMentor"))</em>", "\(u.mentors.joined(separator: ", "))"))</td></tr>"
        }
        let noMentor = o.withoutMentor.map { id -> HTML in "<li>\(c.action(id).map { text($0.title, ctx) } ?? "\(id)")</li>" }
        let quietRows = o.quiet.map { q -> HTML in
            let reason: String
            switch q.reason {
            case .noUptake: reason = t("overview.noUptake")
            case .noUpdate(let since): reason = since.map { t("overview.noUpdateSince", $0.description) } ?? t("overview.neverUpdated")
            }
            return "<tr><th scope=\"row\">\(q.municipality.name)</th><td>\(reason)</td></tr>"
        }
        let indicatorRows = o.indicators.filter { $0.municipalities > 0 }.map { i -> HTML in
            let a = c.action(i.actionID), ind = a?.indicators.first { $0.id == i.indicatorID }
            return "<tr><th scope=\"row\">\(a.map { text($0.title, ctx) } ?? "\(i.actionID)"): \(ind.map { text($0.name, ctx) } ?? "\(i.indicatorID)")</th><td>\(i.municipalities)</td><td>\(i.reporting)</td><td>\(number(i.total, t))</td><td>\(i.regionalTarget.map { number($0, t) } ?? "—")</td><td>\(i.targetPerMunicipality.map { number($0, t) } ?? "—")</td><td>\(i.targetPerMunicipality == nil ? "—" : "\(i.reachedTarget)")</td></tr>"
        }
        let ended = o.fundingEnded
        let withPlan = ended.filter(\.hasContinuation).count
        let endedRows = ended.filter { !$0.hasContinuation }.prefix(200).map { f -> HTML in
            "<tr><th scope=\"row\">\(f.municipality.name)</th><td>\(c.action(f.actionID).map { text($0.title, ctx) } ?? "\(f.actionID)")</td><td>\(f.fundingEnd.description)</td><td>\(t("planStatus.\(f.status.rawValue)"))</td></tr>"
        }
        let waitingRows = waiting.map { r -> HTML in
            "<li><a href=\"\(SiteURL.uptakeRequest(r.id).path)\">\(t("request.heading", String(r.id ?? 0), r.organisation.name))</a> — \(t("request.status.\(r.status)"))</li>"
        }
        let approvedTotal = o.uptake.reduce(0) { $0 + $1.approved.count }
        return """
        <p><a href="\(SiteURL.catalogue(row.id).path)">← \(text(c.title, ctx))</a></p>
        <h1>\(t("overview.title", c.title(lang)))</h1>
        <p class="lead">\(t.plural("overview.intro", count: Double(o.municipalityCount), String(o.municipalityCount), o.asOf.description))</p>
        <ul class="figures">
        <li>\(t.plural("overview.figureUptake", count: Double(approvedTotal), String(approvedTotal)))</li>
        <li>\(t.plural("overview.figureNoMentor", count: Double(o.withoutMentor.count), String(o.withoutMentor.count)))</li>
        <li>\(t.plural("overview.figureQuiet", count: Double(o.quiet.count), String(o.quiet.count)))</li>
        <li>\(t.plural("overview.figureEnded", count: Double(ended.count), String(ended.count), String(withPlan)))</li>
        </ul>
        <h2 id="waiting">\(t("overview.waiting"))</h2>
        \(HTML.either(waiting.isEmpty, "<p>\(t("overview.noneWaiting"))</p>", "<ul>\(waitingRows)</ul>"))
        <h2 id="uptake">\(t("overview.uptake"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.action"))</th><th scope="col">\(t("overview.approved"))</th><th scope="col">\(t("overview.open"))</th><th scope="col">\(t("overview.declined"))</th><th scope="col">\(t("catalogue.mentors"))</th></tr></thead><tbody>\(uptakeRows)</tbody></table>
        \(export("uptake"))
        <h2 id="no-mentor">\(t("overview.withoutMentor"))</h2>
        \(HTML.either(o.withoutMentor.isEmpty, "<p>\(t("overview.allMentored"))</p>", "<ul>\(noMentor)</ul>"))
        \(export("mentors"))
        <h2 id="quiet">\(t("overview.quiet"))</h2>
        \(HTML.either(o.quiet.isEmpty, "<p>\(t("overview.noneQuiet"))</p>", "<table class=\"list\"><thead><tr><th scope=\"col\">\(t("field.municipality"))</th><th scope=\"col\">\(t("overview.reason"))</th></tr></thead><tbody>\(quietRows)</tbody></table>"))
        \(export("quiet"))
        <h2 id="indicators">\(t("overview.indicators"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.indicator"))</th><th scope="col">\(t("overview.municipalities"))</th><th scope="col">\(t("overview.reporting"))</th><th scope="col">\(t("overview.total"))</th><th scope="col">\(t("overview.regionalTarget"))</th><th scope="col">\(t("overview.targetEach"))</th><th scope="col">\(t("overview.reached"))</th></tr></thead><tbody>\(indicatorRows)</tbody></table>
        \(export("indicators"))
        <h2 id="funding">\(t("overview.funding"))</h2>
        <p>\(t("overview.fundingIntro", String(ended.count), String(withPlan)))</p>
        \(HTML.when(!endedRows.isEmpty, "<table class=\"list\"><caption>\(t("overview.noContinuation"))</caption><thead><tr><th scope=\"col\">\(t("field.municipality"))</th><th scope=\"col\">\(t("field.action"))</th><th scope=\"col\">\(t("field.fundingEnd"))</th><th scope=\"col\">\(t("field.status"))</th></tr></thead><tbody>\(Array(endedRows))</tbody></table>"))
        \(HTML.when(ended.count - withPlan > 200, "<p>\(t("overview.moreInExport"))</p>"))
        \(export("funding"))
        """
    }

    // MARK: the plan

    static func progress(_ i: PlanIndicator, total: Double?, _ t: Translator) -> String {
        guard let total else { return t("indicator.noValues") }
        guard let target = i.target, let p = IndicatorMath.progress(value: total, baseline: i.baseline, target: target, direction: i.indicatorDirection) else {
            return number(total, t)
        }
        return t("indicator.progress", number(total, t), number(target, t), String((p * 100).roundedClamped))
    }

    static func plan(_ ctx: PageContext, organisation org: Organisation, plan: ActionPlan?, actions: [PlanAction], data: PlanData, requests: [UptakeRequest],
                     gaps: [(value: String, label: String, action: PlanAction?)] = [], canEdit: Bool) -> Response {
        let t = ctx.t
        let today = Day.today
        let rows = actions.map { a -> HTML in
            let item = PlanFollowUp.Item(id: a.id ?? 0, status: a.planStatus, start: a.start, end: a.end, lastUpdate: a.lastActivity.flatMap(Day.init))
            var marks: [String] = []
            if PlanFollowUp.isOverdue(item, today: today) { marks.append(t("plan.overdue")) }
            if PlanFollowUp.isStale(item, today: today) { marks.append(t("plan.stale")) }
            let inds = (data.indicators[a.id ?? 0] ?? []).map { i -> HTML in
                "<li>\(i.name): \(progress(i, total: IndicatorMath.total(data.domainValues(i), asOf: today, combining: i.combination), t))</li>"
            }
            return """
            <tr><th scope="row"><a href="\(SiteURL.planAction(a.id).path)">\(data.title(a))</a>\(HTML.when(a.catalogueActionID != nil, "<br><small>\(t("plan.fromCatalogue"))</small>"))</th>
            <td>\(t("planStatus.\(a.status)"))\(HTML.when(!marks.isEmpty, "<br><strong class=\"warning\">\(marks.joined(separator: ", "))</strong>"))</td>
            <td>\(a.startDay) – \(a.endDay)</td><td>\(money(a.budget, t))</td><td><ul class="plain">\(inds)</ul></td></tr>
            """
        }
        let published = plan?.published ?? false
        let publishForm: HTML = !canEdit ? .empty : """
        <form method="post" action="\(SiteURL.planPublish(org.id).path)" class="inline">\(ctx.csrfField)<input type="hidden" name="publish" value="\(published ? "0" : "1")"><button type="submit" class="secondary">\(t(published ? "plan.unpublish" : "plan.publish"))</button></form>
        """
        let requestList = requests.map { r -> HTML in
            "<li><a href=\"\(SiteURL.uptakeRequest(r.id).path)\">\(t("request.name", String(r.id ?? 0)))</a> — \(t("request.status.\(r.status)"))</li>"
        }
        let gapList = gaps.map { g -> HTML in
            if let a = g.action {
                return "<li>\(g.label) — \(t("plan.gapAnswered")) <a href=\"\(SiteURL.planAction(a.id).path)\">\(data.title(a))</a></li>"
            }
            let plan = canEdit ? " — <a href=\"\(SiteURL.planActionNew(org.id).path)?gap=\(g.value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")\">\(t("plan.gapPlan"))</a>" as HTML : .empty
            return "<li>\(g.label) — \(t("plan.gapOpen"))\(plan)</li>"
        }
        let year = today.year
        let main: HTML = """
        <p><a href="\(SiteURL.organisation(org.id).path)">← \(org.name)</a></p>
        <h1>\(t("plan.title", org.name))</h1>
        <p class="kind">\(t(published ? "plan.isPublished" : "plan.isNotPublished"))</p>
        <div class="actions">\(HTML.when(canEdit, "<a class=\"button\" href=\"\(SiteURL.planActionNew(org.id).path)\">\(t("plan.addAction"))</a> "))<a href="\(SiteURL.planReport(org.id).path)?year=\(year)">\(t("plan.report", String(year)))</a> · <a href="\(SiteURL.planExport(org.id).path)">\(t("plan.export"))</a> \(publishForm)</div>
        \(HTML.either(actions.isEmpty, "<p>\(t("plan.empty"))</p>", """
        <table class="list"><thead><tr><th scope="col">\(t("field.action"))</th><th scope="col">\(t("field.status"))</th><th scope="col">\(t("field.period"))</th><th scope="col">\(t("field.budget"))</th><th scope="col">\(t("plan.indicators"))</th></tr></thead><tbody>\(rows)</tbody></table>
        """))
        \(HTML.when(!gaps.isEmpty, "<h2 id=\"gaps\">\(t("plan.gaps"))</h2><p>\(t("plan.gapsIntro"))</p><ul>\(gapList)</ul>"))
        \(HTML.when(!requests.isEmpty, "<h2>\(t("plan.requests"))</h2><ul>\(requestList)</ul>"))
        \(HTML.when(canEdit, "<p><a href=\"\(SiteURL.plans.path)\">\(t("plan.findActions"))</a></p>"))
        """
        return Layout.page(ctx, title: t("plan.title", org.name), main: main)
    }

    static func actionForm(_ ctx: PageContext, organisation org: Organisation, action: PlanAction?, input i: PlanActionInput, gap: String?,
                           gaps: [(value: String, label: String)], errors: FieldErrors, status: HTTPStatus = .ok,
                           practice: (slug: String, title: String)? = nil) -> Response {
        let t = ctx.t
        let title = action == nil ? t("action.newTitle") : t("action.editTitle", action!.title)
        let target = action == nil ? SiteURL.planActionNew(org.id).path : SiteURL.planActionEdit(action!.id).path
        let main: HTML = """
        <p><a href="\(action == nil ? SiteURL.plan(org.id).path : SiteURL.planAction(action!.id).path)">← \(action?.title ?? t("plan.title", org.name))</a></p>
        <h1>\(title)</h1>
        \(summary(errors, t))
        \(practice.map { p in "<p class=\"notice\">\(t("action.fromPractice")) <a href=\"\(SiteURL.practice(p.slug).path)\">\(p.title)</a>. \(t("action.fromPracticeHint"))</p>" as HTML })
        <form method="post" action="\(target)" novalidate>
        \(ctx.csrfField)
        \(practice.map { "<input type=\"hidden\" name=\"practice\" value=\"\($0.slug)\">" as HTML })
        \(input("title", t("field.title"), value: i.title, errors: errors, t: t))
        \(textarea("goals", t("field.goals"), value: i.goals, errors: errors, t: t))
        \(textarea("activities", t("field.activities"), value: i.activities, errors: errors, t: t))
        \(input("owner", t("field.owner"), value: i.owner, errors: errors, t: t, hint: t("action.ownerHint")))
        \(input("start", t("field.start"), value: i.start, errors: errors, t: t, type: "date", hint: t("form.dateHint")))
        \(input("end", t("field.end"), value: i.end, errors: errors, t: t, type: "date", hint: t("form.dateHint")))
        \(input("budget", t("field.budgetEUR"), value: i.budget, errors: errors, t: t, extra: " inputmode=\"decimal\""))
        \(select("status", t("field.status"), options: statusOptions(t), selected: i.status, errors: errors, t: t))
        \(input("funding_end", t("field.fundingEnd"), value: i.fundingEnd, errors: errors, t: t, type: "date", hint: t("action.fundingEndHint")))
        \(textarea("continuation", t("field.continuation"), value: i.continuation, errors: errors, t: t, hint: t("action.continuationHint")))
        \(select("gap", t("field.gap"), options: [("", t("action.noGap"))] + gaps, selected: gap, errors: errors, t: t))
        <div class="actions"><button type="submit">\(t("action.save"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    /// One indicator: values side by side per reporter with the shared total, a chart, the form for a new value.
    static func indicatorSection(_ ctx: PageContext, _ i: PlanIndicator, data: PlanData, reporters: [Organisation], mayReportFor: [Organisation],
                                 errors: FieldErrors, input: [String: String], chartFrom: Day? = nil, chartTo: Day? = nil, showForm: Bool,
                                 removableReporters: Set<Int> = []) -> HTML {
        let t = ctx.t
        let id = i.id ?? 0
        let rows = data.values[id] ?? []
        let values = data.domainValues(i)
        let reporterIDs = Array(Set(rows.map(\.$reporter.id))).sorted { (data.organisations[$0]?.name ?? "") < (data.organisations[$1]?.name ?? "") }
        let days = Array(Set(values.map(\.day))).sorted().filter { d in (chartFrom.map { d >= $0 } ?? true) && (chartTo.map { d <= $0 } ?? true) }
        let header = reporterIDs.map { r -> HTML in "<th scope=\"col\">\(data.organisations[r]?.name ?? "?")</th>" }
        let body = days.map { d -> HTML in
            let cells = reporterIDs.map { r -> HTML in
                let v = rows.last { $0.$reporter.id == r && $0.day == d.description }
                return "<td>\(v.map { number($0.value, t) } ?? "")\(v.flatMap { $0.note.isEmpty ? nil : " <small>(\($0.note))</small>" as HTML })</td>"
            }
            return "<tr><th scope=\"row\">\(d.description)</th>\(cells)<td>\(IndicatorMath.total(values, asOf: d, combining: i.combination).map { number($0, t) } ?? "")</td></tr>"
        }
        let total = IndicatorMath.total(values, asOf: chartTo ?? Day.today, combining: i.combination)
        let chart: HTML = {
            guard !days.isEmpty else { return .empty }
            var series = reporterIDs.map { r in
                SVGLineChart.Series(name: data.organisations[r]?.name ?? "?", points: values.filter { $0.reporter == r }.map { ($0.day, $0.value) })
            }
            if reporterIDs.count > 1 {
                series.append(.init(name: t("indicator.total"), points: days.compactMap { d in IndicatorMath.total(values, asOf: d, combining: i.combination).map { (d, $0) } }))
            }
            let from = chartFrom ?? Day(days.first?.year ?? Day.today.year, 1, 1)
            let to = chartTo ?? Day(days.last?.year ?? Day.today.year, 12, 31)
            let chart = SVGLineChart(id: "chart-\(id)", title: t("indicator.chartTitle", i.name, i.unit),
                                     description: t.plural("indicator.chartDescription", count: Double(reporterIDs.count), i.name, String(reporterIDs.count), total.map { number($0, t) } ?? "—",
                                                    i.target.map { number($0, t) } ?? "—"),
                                     series: series, target: i.target, targetLabel: t("field.target"), from: from, to: max(to, from))
            return HTML(raw: chart.render())
        }()
        let prefix = "value\(id)_"
        let form: HTML = !showForm || mayReportFor.isEmpty ? .empty : """
        <form method="post" action="\(SiteURL.indicatorValues(id).path)" novalidate class="value-form">
        \(ctx.csrfField)
        <fieldset><legend>\(t("indicator.addValue", i.name))</legend>
        \(select(prefix + "reporter", t("field.reporter"), options: mayReportFor.map { (String($0.id ?? 0), $0.name) }, selected: input[prefix + "reporter"], errors: errors, t: t))
        \(PlanViews.input(prefix + "day", t("field.day"), value: input[prefix + "day"] ?? Day.today.description, errors: errors, t: t, type: "date", hint: t("form.dateHint")))
        \(PlanViews.input(prefix + "value", t("indicator.valueIn", i.unit), value: input[prefix + "value"], errors: errors, t: t, hint: t("indicator.valueHint", t("scale.\(i.scale)")), extra: " inputmode=\"decimal\""))
        \(PlanViews.input(prefix + "note", t("field.note"), value: input[prefix + "note"], errors: errors, t: t))
        <div class="actions"><button type="submit">\(t("indicator.saveValue"))</button></div>
        </fieldset>
        </form>
        """
        let mine = rows.filter { removableReporters.contains($0.$reporter.id) }.reversed()
        let corrections: HTML = !showForm || mine.isEmpty ? .empty : """
        <details class="no-print"><summary>\(t("indicator.correct"))</summary><ul class="plain">\(mine.map { v -> HTML in
            "<li>\(v.day) · \(data.organisations[v.$reporter.id]?.name ?? "?"): \(number(v.value, t)) <form method=\"post\" action=\"\(SiteURL.indicatorValueRemove(v.id).path)\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">\(t("indicator.removeValue", v.day, number(v.value, t)))</button></form></li>"
        })</ul></details>
        """
        return """
        <section class="indicator" id="indicator-\(id)" aria-labelledby="indicator-\(id)-title">
        <h3 id="indicator-\(id)-title">\(i.name)</h3>
        <p>\(t("indicator.facts", i.unit, t("direction.\(i.direction)"), number(i.baseline, t), i.target.map { number($0, t) } ?? "—"))\(HTML.when(!i.howMeasured.isEmpty, " \(t("indicator.howMeasured", i.howMeasured))"))</p>
        <p><strong>\(progress(i, total: total, t))</strong></p>
        \(chart)
        \(HTML.either(days.isEmpty, .empty, """
        <table class="list values"><caption>\(t("indicator.valuesCaption", i.name))</caption><thead><tr><th scope="col">\(t("field.day"))</th>\(header)<th scope="col">\(t("indicator.total"))</th></tr></thead><tbody>\(body)</tbody></table>
        """))
        \(corrections)
        \(form)
        </section>
        """
    }

    static func action(_ ctx: PageContext, organisation org: Organisation, plan: ActionPlan, action a: PlanAction, data: PlanData, catalogue: Catalogue?,
                       reporters: [Organisation], removableReporters: Set<Int>, mayReportFor: [Organisation], canEdit: Bool, gapLabel: String?, gapLink: String?,
                       canSeePlan: Bool, canSeeCatalogue: Bool, practiceTitle: String? = nil,
                       errors: FieldErrors, input: [String: String], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let id = a.id ?? 0
        let catalogueAction = a.catalogueActionID.flatMap { catalogue?.action($0) }
        let partners = (data.partners[id] ?? []).map { p -> HTML in
            let remove: HTML = !canEdit ? .empty : " <form method=\"post\" action=\"\(SiteURL.planActionPartnerRemove(id, p.id).path)\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">\(t("action.removePartner", p.name))</button></form>"
            return "<li><a href=\"\(SiteURL.organisation(p.id).path)\">\(p.name)</a>\(remove)</li>"
        }
        let indicators = (data.indicators[id] ?? []).map {
            indicatorSection(ctx, $0, data: data, reporters: reporters, mayReportFor: mayReportFor, errors: errors, input: input, showForm: true,
                             removableReporters: removableReporters)
        }
        let updates = (data.updates[id] ?? []).map { u -> HTML in
            "<li><time datetime=\"\(u.day)\">\(u.day)</time> — \(t("planStatus.\(u.status)")) · \(u.user?.name ?? t("history.someone")): <span class=\"prewrap\">\(u.text)</span></li>"
        }
        let partnerForm: HTML = !canEdit ? .empty : """
        <form method="post" action="\(SiteURL.planActionPartners(id).path)" novalidate>
        \(ctx.csrfField)
        \(PlanViews.input("partner", t("field.partner"), value: input["partner"], errors: errors, t: t, hint: t("action.partnerHint")))
        <div class="actions"><button type="submit">\(t("action.addPartner"))</button></div>
        </form>
        """
        let indicatorForm: HTML = !canEdit ? .empty : """
        <details\(HTML.when(["name", "unit", "scale", "direction", "baseline", "target", "how_measured"].contains { errors[$0] != nil }, " open"))><summary>\(t("action.addIndicator"))</summary>
        <form method="post" action="\(SiteURL.planActionIndicators(id).path)" novalidate>
        \(ctx.csrfField)
        \(PlanViews.input("name", t("field.indicator"), value: input["name"], errors: errors, t: t))
        \(PlanViews.input("unit", t("field.unit"), value: input["unit"], errors: errors, t: t, hint: t("indicator.unitHint")))
        \(select("scale", t("field.scale"), options: IndicatorScale.allCases.map { ($0.rawValue, t("scale.\($0.rawValue)")) }, selected: input["scale"], errors: errors, t: t))
        \(select("direction", t("field.direction"), options: [("increase", t("direction.increase")), ("decrease", t("direction.decrease"))], selected: input["direction"], errors: errors, t: t))
        \(PlanViews.input("baseline", t("field.baseline"), value: input["baseline"] ?? "0", errors: errors, t: t, extra: " inputmode=\"decimal\""))
        \(PlanViews.input("target", t("field.target"), value: input["target"], errors: errors, t: t, extra: " inputmode=\"decimal\""))
        \(textarea("how_measured", t("field.howMeasured"), value: input["how_measured"], errors: errors, t: t, rows: 2))
        <div class="actions"><button type="submit">\(t("action.saveIndicator"))</button></div>
        </form></details>
        """
        let updateForm: HTML = !canEdit ? .empty : """
        <form method="post" action="\(SiteURL.planActionUpdates(id).path)" novalidate>
        \(ctx.csrfField)
        <fieldset><legend>\(t("action.addUpdate"))</legend>
        \(PlanViews.input("update_day", t("field.day"), value: input["update_day"] ?? Day.today.description, errors: errors, t: t, type: "date", hint: t("form.dateHint")))
        \(select("update_status", t("field.statusAfter"), options: statusOptions(t), selected: input["update_status"] ?? a.status, errors: errors, t: t))
        \(textarea("update_text", t("field.update"), value: input["update_text"], errors: errors, t: t))
        <div class="actions"><button type="submit">\(t("action.saveUpdate"))</button></div>
        </fieldset>
        </form>
        """
        let main: HTML = """
        <p>\(HTML.either(canSeePlan, "<a href=\"\(SiteURL.plan(org.id).path)\">← \(t("plan.title", org.name))</a>",
                        "<a href=\"\(SiteURL.plans.path)#reporting\">← \(t("plans.reporting"))</a> · \(t("plan.title", org.name))"))</p>
        <h1>\(data.title(a))</h1>
        <p class="kind">\(t("planStatus.\(a.status)")) · \(a.startDay) – \(a.endDay)\(HTML.when(canEdit, " · <a href=\"\(SiteURL.planActionEdit(id).path)\">\(t("action.edit"))</a>"))</p>
        \(summary(errors, t))
        \(catalogueAction.map { ca in
            let title: HTML = canSeeCatalogue
                ? "<a href=\"\(SiteURL.catalogue(a.$catalogue.id).path)#a-\(ca.id)\">\(text(ca.title, ctx))</a>" : text(ca.title, ctx)
            return "<p>\(t("action.fromCatalogue")) \(title)</p>" as HTML
        })
        \(a.practiceSlug.map { "<p>\(t("action.fromPractice")) <a href=\"\(SiteURL.practice($0).path)\">\(practiceTitle ?? $0)</a></p>" as HTML })
        <dl class="facts">
        <dt>\(t("field.goals"))</dt><dd class="prewrap">\(a.goals.isEmpty ? "—" : a.goals)</dd>
        <dt>\(t("field.activities"))</dt><dd class="prewrap">\(a.activities.isEmpty ? "—" : a.activities)</dd>
        <dt>\(t("field.owner"))</dt><dd>\(a.owner.isEmpty ? "—" : a.owner)</dd>
        <dt>\(t("field.budget"))</dt><dd>\(money(a.budget, t))</dd>
        <dt>\(t("field.fundingEnd"))</dt><dd>\(a.fundingEnd ?? "—")</dd>
        <dt>\(t("field.continuation"))</dt><dd class="prewrap">\(a.continuation.isEmpty ? (a.fundingEnd == nil ? "—" : t("action.noContinuation")) : a.continuation)</dd>
        <dt>\(t("field.gap"))</dt><dd>\(gapLabel.map { label in gapLink.map { "<a href=\"\($0)\">\(label)</a>" as HTML } ?? "\(label)" } ?? "—")</dd>
        </dl>
        <h2 id="partners">\(t("action.partners"))</h2>
        \(HTML.either(partners.isEmpty, "<p>\(t("action.noPartners"))</p>", "<ul>\(partners)</ul>"))
        \(partnerForm)
        <h2 id="indicators">\(t("plan.indicators"))</h2>
        \(HTML.either(indicators.isEmpty, "<p>\(t("action.noIndicators"))</p>", "\(indicators)"))
        \(indicatorForm)
        <h2 id="updates">\(t("action.updates"))</h2>
        \(HTML.either(updates.isEmpty, "<p>\(t("action.noUpdates"))</p>", "<ol class=\"history\">\(updates)</ol>"))
        \(updateForm)
        """
        return Layout.page(ctx, title: data.title(a), main: main, status: status)
    }

    // MARK: the yearly report

    static func report(_ ctx: PageContext, organisation org: Organisation, plan: ActionPlan?, year: Int, actions: [PlanAction], data: PlanData) -> Response {
        let t = ctx.t
        let from = Day(year, 1, 1), to = Day(year, 12, 31)
        let sections = actions.map { a -> HTML in
            let id = a.id ?? 0
            let updates = (data.updates[id] ?? []).filter { ($0.day.prefix(4)) == String(year) }.map { u -> HTML in
                "<li><time datetime=\"\(u.day)\">\(u.day)</time> — \(t("planStatus.\(u.status)")): <span class=\"prewrap\">\(u.text)</span></li>"
            }
            let inds = (data.indicators[id] ?? []).map {
                indicatorSection(ctx, $0, data: data, reporters: [], mayReportFor: [], errors: FieldErrors(), input: [:], chartFrom: from, chartTo: to, showForm: false)
            }
            return """
            <section class="report-action" aria-labelledby="ra-\(id)">
            <h2 id="ra-\(id)">\(data.title(a))</h2>
            <p>\(t("planStatus.\(a.status)")) · \(a.startDay) – \(a.endDay) · \(t("field.budget")): \(money(a.budget, t))\(HTML.when(!a.owner.isEmpty, " · \(t("field.owner")): \(a.owner)"))\(HTML.when(!(data.partners[id] ?? []).isEmpty, " · \(t("action.partners")): \((data.partners[id] ?? []).map(\.name).joined(separator: ", "))"))</p>
            \(HTML.when(!a.goals.isEmpty, "<p class=\"prewrap\"><strong>\(t("field.goals")):</strong> \(a.goals)</p>"))
            \(HTML.either(updates.isEmpty, "<p>\(t("report.noUpdates", String(year)))</p>", "<h3>\(t("action.updates"))</h3><ol class=\"history\">\(updates)</ol>"))
            \(inds)
            </section>
            """
        }
        let years = (max(2000, year - 5)...(Day.today.year + 1)).reversed().map { (String($0), String($0)) }
        let main: HTML = """
        <div class="no-print"><p><a href="\(SiteURL.plan(org.id).path)">← \(t("plan.title", org.name))</a></p>
        <form method="get" action="\(SiteURL.planReport(org.id).path)" class="inline">\(Form.select(name: "year", label: t("field.year"), options: years, selected: String(year)))<button type="submit">\(t("report.show"))</button></form>
        \(Form.printButton(t, hint: t("report.printHint")))</div>
        <h1>\(t("report.planTitle", org.name, String(year)))</h1>
        <p class="lead">\(t.plural("report.planIntro", count: Double(actions.count), String(actions.count), Day.today.description))</p>
        \(HTML.either(actions.isEmpty, "<p>\(t("report.noActions", String(year)))</p>", "\(sections)"))
        """
        return Layout.page(ctx, title: t("report.planTitle", org.name, String(year)), main: main)
    }
}

/// The CSV exports of the plans module.
enum PlanExports {
    static func n(_ v: Double?) -> String { v.map(PlanViews.plainNumber) ?? "" }

    /// One section of the coordinator's view; nil for an unknown section.
    static func overview(_ section: String, catalogue c: Catalogue, overview o: CoordinatorOverview) -> String? {
        func title(_ id: String) -> String { c.action(id)?.title("en") ?? id }
        var out: String
        switch section {
        case "uptake":
            out = CSV.line(["action_id", "action", "approved", "pending", "changes_requested", "declined", "mentors"]) + "\n"
            for u in o.uptake {
                out += CSV.line([u.actionID, title(u.actionID), String(u.approved.count), String(u.pending.count), String(u.changesRequested.count),
                                 String(u.declined.count), u.mentors.joined(separator: "; ")]) + "\n"
            }
        case "mentors":
            out = CSV.line(["action_id", "action", "approved_municipalities"]) + "\n"
            for u in o.uptake where u.mentors.isEmpty { out += CSV.line([u.actionID, title(u.actionID), String(u.approved.count)]) + "\n" }
        case "quiet":
            out = CSV.line(["municipality_id", "municipality", "reason", "last_activity"]) + "\n"
            for q in o.quiet {
                switch q.reason {
                case .noUptake: out += CSV.line([String(q.municipality.id), q.municipality.name, "no_uptake", ""]) + "\n"
                case .noUpdate(let since): out += CSV.line([String(q.municipality.id), q.municipality.name, "no_update", since?.description ?? ""]) + "\n"
                }
            }
        case "indicators":
            out = CSV.line(["action_id", "indicator_id", "indicator", "municipalities", "reporting", "total", "regional_target", "target_per_municipality", "reached_target"]) + "\n"
            for i in o.indicators {
                let name = c.action(i.actionID)?.indicators.first { $0.id == i.indicatorID }?.name("en") ?? i.indicatorID
                out += CSV.line([i.actionID, i.indicatorID, name, String(i.municipalities), String(i.reporting), n(i.total), n(i.regionalTarget),
                                 n(i.targetPerMunicipality), String(i.reachedTarget)]) + "\n"
            }
        case "funding":
            out = CSV.line(["plan_action_id", "municipality_id", "municipality", "action_id", "action", "funding_end", "status", "continuation_planned"]) + "\n"
            for f in o.fundingEnded {
                out += CSV.line([String(f.planAction), String(f.municipality.id), f.municipality.name, f.actionID, title(f.actionID), f.fundingEnd.description,
                                 f.status.rawValue, f.hasContinuation ? "yes" : "no"]) + "\n"
            }
        default: return nil
        }
        return out
    }

    /// The plan: one line per reported value (an indicator without values, and an action without indicators, still get a line).
    static func plan(actions: [PlanAction], data: PlanData) -> String {
        var out = CSV.line(["action_id", "action", "catalogue_action", "status", "start", "end", "budget", "funding_end", "continuation_planned",
                            "indicator", "unit", "baseline", "target", "reporter", "day", "value", "note", "entered_by"]) + "\n"
        for a in actions {
            let base = [String(a.id ?? 0), a.title, a.catalogueActionID ?? "", a.status, a.startDay, a.endDay, n(a.budget), a.fundingEnd ?? "",
                        a.continuation.isEmpty ? "no" : "yes"]
            let indicators = data.indicators[a.id ?? 0] ?? []
            if indicators.isEmpty { out += CSV.line(base + Array(repeating: "", count: 9)) + "\n" }
            for i in indicators {
                let ib = base + [i.name, i.unit, n(i.baseline), n(i.target)]
                let values = data.values[i.id ?? 0] ?? []
                if values.isEmpty { out += CSV.line(ib + ["", "", "", "", ""]) + "\n" }
                for v in values {
                    out += CSV.line(ib + [data.organisations[v.$reporter.id]?.name ?? String(v.$reporter.id), v.day, n(v.value), v.note,
                                          v.enteredBy?.name ?? ""]) + "\n"
                }
            }
        }
        return out
    }
}
