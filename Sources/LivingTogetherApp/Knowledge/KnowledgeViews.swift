import Foundation
import LivingTogetherCore
import Vapor

enum KnowledgeViews {
    typealias Option = (value: String, label: String)

    /// What the search form's lists offer.
    struct Filters {
        var themes: [Option]
        var keyFactors: [Option]
        var actions: [Option]
        var countries: [Option]
        var languages: [Option]
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
    }

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
            Form.select(name: name, label: label, options: [(value: "", label: all)] + options, selected: selected)
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

    static func practice(_ ctx: PageContext, _ page: PracticePage) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue, p = page.practice
        func section(_ key: String, _ l: LocalizedText) -> HTML {
            "<h2>\(t(key))</h2>\(paragraphs(l, ctx))"
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
        <script type="application/ld+json">\(HTML(raw: page.jsonLD))</script>
        """
        return Layout.page(ctx, title: p.title(lang), main: main)
    }
}
