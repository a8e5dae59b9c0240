import Foundation
import LivingTogetherCore
import Vapor

enum DirectoryViews {
    static func list(_ ctx: PageContext, query: DirectoryQuery, result: DirectoryPage, countries: [(code: String, name: String)],
                     regionName: (String?, String) -> String? = { code, _ in code }) -> Response {
        let t = ctx.t
        let countryOptions = [(value: "", label: t("directory.allCountries"))] + countries.map { (value: $0.code, label: $0.name) }
        let bandOptions = [(value: "", label: t("directory.allSizes"))] + SizeBand.allCases.map { (value: $0.rawValue, label: t($0.labelKey)) }
        let kindOptions = [(value: "", label: t("directory.allKinds"))] + OrganisationKind.allCases.map { (value: $0.rawValue, label: t($0.labelKey)) }
        let countryNames = Dictionary(lastOf: countries.map { ($0.code, $0.name) })
        let rows = result.entries.map { e -> HTML in
            """
            <tr><th scope="row"><a href="\(SiteURL.organisation(e.id).path)">\(e.name)</a>\
            \(e.alternateMatching(query.text).map { " <span class=\"also\">(\(t("directory.also", $0)))</span>" as HTML })</th>\
            <td>\(t(e.kind.labelKey))</td><td>\(countryNames[e.country] ?? e.country)</td><td>\(regionName(e.region, e.country))</td>\
            <td class="num">\(e.population.map { t.number($0) })</td></tr>
            """
        }
        func pageLink(_ page: Int) -> String {
            var items: [String] = []
            if !query.text.isEmpty { items.append("q=\(query.text.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")") }
            if let c = query.country { items.append("country=\(c)") }
            if let b = query.band { items.append("band=\(b.rawValue)") }
            if let k = query.kind { items.append("kind=\(k.rawValue)") }
            if query.perPage != DirectoryQuery().perPage { items.append("per_page=\(query.perPage)") }
            items.append("page=\(page)")
            return SiteURL.directory.path + "?" + items.joined(separator: "&")
        }
        var pager: [HTML] = []
        if result.page > 1 { pager.append("<li><a href=\"\(pageLink(result.page - 1))\" rel=\"prev\">\(t("pager.previous"))</a></li>") }
        pager.append("<li aria-current=\"page\">\(t("pager.pageOf", String(result.page), String(result.pageCount)))</li>")
        if result.page < result.pageCount { pager.append("<li><a href=\"\(pageLink(result.page + 1))\" rel=\"next\">\(t("pager.next"))</a></li>") }
        let table: HTML = result.entries.isEmpty
            ? "<p>\(t("directory.none"))</p>"
            : """
            <table class="list">
            <caption>\(t("directory.caption"))</caption>
            <thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("field.kind"))</th><th scope="col">\(t("field.country"))</th><th scope="col">\(t("field.region"))</th><th scope="col" class="num">\(t("field.population"))</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            <nav aria-label="\(t("pager.label"))"><ul class="pager">\(pager)</ul></nav>
            """
        let main: HTML = """
        <h1>\(t("directory.title"))</h1>
        <form method="get" action="\(SiteURL.directory.path)" class="filters" role="search">
        <div class="field"><label for="f-q">\(t("directory.search"))</label><input id="f-q" name="q" type="search" value="\(query.text)"></div>
        \(Form.select(name: "country", label: t("field.country"), options: countryOptions, selected: query.country))
        \(Form.select(name: "band", label: t("field.sizeBand"), options: bandOptions, selected: query.band?.rawValue))
        \(Form.select(name: "kind", label: t("field.kind"), options: kindOptions, selected: query.kind?.rawValue))
        <div class="actions"><button type="submit">\(t("directory.searchButton"))</button></div>
        </form>
        <p role="status">\(t.plural("directory.count", count: Double(result.total), t.number(result.total)))</p>
        \(table)
        \(HTML.when(ctx.user?.isPlatformAdmin == true, "<p><a href=\"\(SiteURL.organisationNew.path)\">\(t("directory.new"))</a></p>"))
        <p class="credit">\(t("directory.credit"))</p>
        """
        return Layout.page(ctx, title: t("directory.title"), main: main)
    }

    static func profile(_ ctx: PageContext, org: Organisation, countryName: String, regionName: String?, actor: Actor, memberCount: Int?,
                        reports: [BenchmarkController.PublishedReport] = [], reportingCount: Int = 0) -> Response {
        let t = ctx.t
        let id = org.id ?? 0
        func row(_ label: String, _ value: HTML?) -> HTML {
            guard let value else { return .empty }
            return "<div><dt>\(label)</dt><dd>\(value)</dd></div>"
        }
        let location: HTML? = org.latitude.flatMap { lat in
            org.longitude.map { lon in
                let text = String(format: "%.4f, %.4f", lat, lon)
                let osm = "https://www.openstreetmap.org/?mlat=\(lat)&mlon=\(lon)#map=12/\(lat)/\(lon)"
                return "\(text) (<a href=\"\(osm)\">\(t("profile.map"))</a>)"
            }
        }
        let band = org.population.map { SizeBand.of(population: $0) }
        let actions: [HTML] = [
            DirectoryPermissions.allows(actor, .editProfile(organisation: id)) ? "<li><a href=\"\(SiteURL.organisationEdit(id).path)\">\(t("profile.edit"))</a></li>" : nil,
            memberCount != nil ? "<li><a href=\"\(SiteURL.members(id).path)\">\(t("profile.members", String(memberCount ?? 0)))</a></li>" : nil,
            memberCount != nil && org.organisationKind == .municipality ? "<li><a href=\"\(SiteURL.plan(id).path)\">\(t("plan.title", org.name))</a></li>" : nil,
            reportingCount > 0 ? "<li><a href=\"\(SiteURL.plans.path)#reporting\">\(t.plural("profile.reporting", count: Double(reportingCount), t.number(reportingCount)))</a></li>" : nil,
        ].compactMap { $0 }
        let main: HTML = """
        <h1>\(org.name)</h1>
        <p class="kind">\(t(org.organisationKind.labelKey))</p>
        \(org.summary.map { "<p>\($0)</p>" as HTML })
        <h2>\(t("profile.facts"))</h2>
        <dl class="facts">
        \(row(t("profile.alsoKnownAs"), org.alternateNames.map { "\($0)" }))
        \(row(t("field.country"), "\(countryName)"))
        \(row(t("field.region"), regionName.map { "\($0)" }))
        \(row(t("field.population"), org.population.map { "\(t.number($0))" }))
        \(row(t("field.sizeBand"), band.map { "\(t($0.labelKey))" }))
        \(row(t("field.location"), location))
        \(row(t("field.timezone"), org.timezone.map { "\($0)" }))
        \(row(t("field.bornAbroad"), org.bornAbroadPercent.map { "\(String(format: "%.1f", $0)) %" }))
        \(row(t("field.languages"), org.languages.map { "\($0)" }))
        \(row(t("field.budgetBand"), org.budgetBand.map { "\(t("budget.\($0)"))" }))
        \(row(t("field.website"), org.website.map { "<a href=\"\($0)\">\($0)</a>" }))
        </dl>
        \(HTML.when(!actions.isEmpty, "<ul class=\"actions\">\(actions)</ul>"))
        \(HTML.when(!reports.isEmpty, """
        <h2>\(t("profile.reports"))</h2>
        <ul>\(reports.map { "<li><a href=\"\(SiteURL.assessmentReport($0.id).path)\">\($0.title) \(String($0.year))</a></li>" as HTML })</ul>
        """))
        \(HTML.when(org.sourceKey?.hasPrefix("geonames:") == true, "<p class=\"credit\">\(t("directory.credit"))</p>"))
        """
        return Layout.page(ctx, title: org.name, main: main)
    }

    private static func profileFields(_ ctx: PageContext, form: DirectoryController.ProfileForm, errors: FieldErrors,
                                      countries: [(code: String, name: String)], withKind: Bool) -> HTML {
        let t = ctx.t
        func m(_ f: String) -> String? { Form.message(errors, f, t) }
        let countryOptions = [(value: "", label: t("form.choose"))] + countries.map { (value: $0.code, label: $0.name) }
        let budgetOptions = [(value: "", label: t("form.notSaid"))] + DirectoryController.budgetBands.map { (value: $0, label: t("budget.\($0)")) }
        let kindOptions = OrganisationKind.allCases.map { (value: $0.rawValue, label: t($0.labelKey)) }
        return """
        \(HTML.when(withKind, Form.select(name: "kind", label: t("field.kind"), options: kindOptions, selected: form.kind, error: m("kind"))))
        \(Form.input(.init(name: "name", label: t("field.name"), value: form.name, error: m("name"), required: true)))
        \(Form.input(.init(name: "alternate_names", label: t("field.alternateNames"), value: form.alternate_names, error: m("alternate_names"),
                           hint: t("hint.alternateNames"))))
        \(Form.select(name: "country", label: t("field.country"), options: countryOptions, selected: form.country, error: m("country")))
        \(Form.input(.init(name: "region", label: t("field.region"), value: form.region, error: m("region"))))
        \(Form.input(.init(name: "population", label: t("field.population"), value: form.population, error: m("population"), extra: " inputmode=\"numeric\"")))
        \(Form.input(.init(name: "latitude", label: t("field.latitude"), value: form.latitude, error: m("latitude"), hint: t("hint.latitude"))))
        \(Form.input(.init(name: "longitude", label: t("field.longitude"), value: form.longitude, error: m("longitude"))))
        \(Form.input(.init(name: "born_abroad_percent", label: t("field.bornAbroad"), value: form.born_abroad_percent, error: m("born_abroad_percent"), hint: t("hint.percent"))))
        \(Form.input(.init(name: "languages", label: t("field.languages"), value: form.languages, error: m("languages"), hint: t("hint.languages"))))
        \(Form.select(name: "budget_band", label: t("field.budgetBand"), options: budgetOptions, selected: form.budget_band, error: m("budget_band")))
        \(Form.input(.init(name: "website", label: t("field.website"), type: "url", value: form.website, error: m("website"))))
        <div class="field\(errors["description"] == nil ? "" : " has-error")"><label for="f-description">\(t("field.description"))</label>\(m("description").map { "<p class=\"error\" id=\"f-description-error\">\($0)</p>" as HTML })<textarea id="f-description" name="description" rows="4"\(HTML.when(errors["description"] != nil, " aria-invalid=\"true\" aria-describedby=\"f-description-error\""))>\(form.description)</textarea></div>
        """
    }

    static func editForm(_ ctx: PageContext, org: Organisation, form: DirectoryController.ProfileForm, errors: FieldErrors,
                         countries: [(code: String, name: String)], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("profile.editTitle", org.name))</h1>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.organisationEdit(org.id).path)" novalidate>
        \(ctx.csrfField)
        \(profileFields(ctx, form: form, errors: errors, countries: countries, withKind: false))
        <div class="actions"><button type="submit">\(t("form.save"))</button> <a href="\(SiteURL.organisation(org.id).path)">\(t("form.cancel"))</a></div>
        </form>
        """
        return Layout.page(ctx, title: t("profile.editTitle", org.name), main: main, status: status)
    }

    static func newForm(_ ctx: PageContext, form: DirectoryController.ProfileForm, errors: FieldErrors,
                        countries: [(code: String, name: String)], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("directory.new"))</h1>
        \(Form.errorSummary(errors, t))
        <form method="post" action="\(SiteURL.organisationNew.path)" novalidate>
        \(ctx.csrfField)
        \(profileFields(ctx, form: form, errors: errors, countries: countries, withKind: true))
        <div class="actions"><button type="submit">\(t("form.create"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("directory.new"), main: main, status: status)
    }
}

extension CharacterSet {
    static let urlQueryValueAllowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.remove(charactersIn: "&+=?#")
        return set
    }()
}
