import Fluent
import LivingTogetherCore
import Vapor

/// The knowledge library's pages: the search with its filters, each record at its stable address with its
/// schema.org description, and the whole library as JSON and CSV. Published records are open to everyone.
struct KnowledgeController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.knowledge, use: list)
        routes.get(.knowledgeExportJSON, use: exportJSON)
        routes.get(.knowledgeExportCSV, use: exportCSV)
        routes.get(.practice(nil), use: practice)
    }

    /// The search as asked in the address; unknown filter values are left out (and shown as "all").
    static func query(_ req: Request) -> KnowledgeQuery {
        func text(_ name: String) -> String? {
            let v = ((try? req.query.get(String.self, at: name)) ?? "").trimmingWhitespace()
            return v.isEmpty ? nil : String(v.prefix(200))
        }
        return KnowledgeQuery(text: text("q") ?? "", kind: text("kind").flatMap(Practice.Kind.init(rawValue:)),
                              theme: text("theme"), keyFactor: text("key_factor"), action: text("action"),
                              country: text("country")?.uppercased(), band: text("band").flatMap(SizeBand.init(rawValue:)),
                              language: text("language")?.lowercased(),
                              page: (try? req.query.get(Int.self, at: "page")) ?? 1,
                              perPage: (try? req.query.get(Int.self, at: "per_page")) ?? 20)
    }

    /// What the filters offer: the benchmark themes with their key factors, the catalogues' actions, and the
    /// countries and languages the published records have.
    static func filters(_ req: Request, _ snapshot: KnowledgeStore.Snapshot) async throws -> KnowledgeViews.Filters {
        let lang = req.language.rawValue
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db).map(\.framework)
        let themes = frameworks.map { (value: $0.id, label: $0.title(lang)) }
        let keyFactors = frameworks.flatMap { f in f.keyFactors.map { (value: $0.id, label: "\(f.title(lang)): \($0.title(lang))") } }
        let actions = try await PlanUseCases.catalogueActions(req.actor, language: lang, plans: req.application.plans, on: req.db)
        let countries = Set(snapshot.rows.values.map(\.practice.country)).sorted()
        let t = Translator(req.language)
        let languages = Set(snapshot.rows.values.flatMap(\.practice.languages)).sorted()
        return .init(themes: themes, keyFactors: keyFactors, actions: actions.map { (value: $0.id, label: $0.title) },
                     countries: countries.map { (value: $0, label: req.application.directoryIndex.countryName($0, t)) }
                         .sorted { $0.label < $1.label },
                     languages: languages.map { (value: $0, label: t.has("language.\($0)") ? t("language.\($0)") : $0) })
    }

    @Sendable func list(req: Request) async throws -> Response {
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        var query = Self.query(req)
        var page = snapshot.index.search(query, language: req.language.rawValue)
        if page.hits.isEmpty, page.total > 0, query.page > page.pageCount {
            query.page = page.pageCount
            page = snapshot.index.search(query, language: req.language.rawValue)
        }
        let items = page.hits.compactMap { hit in snapshot.rows[hit.entry.id].map { (slug: $0.row.slug, practice: $0.practice) } }
        return KnowledgeViews.list(req.page(), .init(query: query, page: page, items: items,
                                                     filters: try await Self.filters(req, snapshot)))
    }

    static func published(_ req: Request) async throws -> (PracticeRow, Practice) {
        let slug = req.parameters.get("slug") ?? ""
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        guard let id = snapshot.bySlug[slug], let found = snapshot.rows[id] else { throw Abort(.notFound) }
        return (found.row, found.practice)
    }

    @Sendable func practice(req: Request) async throws -> Response {
        let (row, p) = try await Self.published(req)
        let lang = req.language.rawValue
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db).map(\.framework)
        let actions = Dictionary(lastOf: try await PlanUseCases.catalogueActions(req.actor, language: lang, plans: req.application.plans,
                                                                              on: req.db).map { ($0.id, $0.title) })
        var organisations: [(name: String, id: Int?)] = []
        for name in p.organisations {
            let found = try await Organisation.query(on: req.db).filter(\.$name == name).first()
            organisations.append((name, found?.id))
        }
        let t = Translator(req.language)
        return KnowledgeViews.practice(req.page(), .init(
            row: row, practice: p, organisations: organisations,
            themes: p.themes.map { id in frameworks.first { $0.id == id }.map { $0.title(lang) } ?? id },
            keyFactors: p.keyFactors.map { id in
                frameworks.lazy.compactMap { f in f.keyFactor(id).map { "\(f.title(lang)): \($0.title(lang))" } }.first ?? id
            },
            actions: p.catalogueActions.map { (id: $0, title: actions[$0] ?? $0) },
            countryName: req.application.directoryIndex.countryName(p.country, t),
            stale: PracticeFreshness.isStale(lastVerified: row.lastVerified.flatMap { Day($0) }, today: Day.today),
            jsonLD: KnowledgeExport.jsonLD(p, url: req.application.publicURL + SiteURL.practice(row.slug).path,
                                           language: lang)))
    }

    @Sendable func exportJSON(req: Request) async throws -> Response {
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"living-together-library.json\"")
        return Response(status: .ok, headers: headers, body: .init(string: try KnowledgeExport.json(snapshot)))
    }

    @Sendable func exportCSV(req: Request) async throws -> Response {
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"living-together-library.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: KnowledgeExport.csv(snapshot)))
    }
}

/// The library as open data: JSON of the records as stored, CSV of one line per record, schema.org JSON-LD.
enum KnowledgeExport {
    static let licence = "CC BY 4.0"

    static func json(_ snapshot: KnowledgeStore.Snapshot) throws -> String {
        struct Record: Encodable { var address: String; var status: String; var last_verified: String?; var record: Practice }
        struct Library: Encodable { var licence: String; var credit: String; var records: [Record] }
        let records = snapshot.rows.values.sorted { $0.row.slug < $1.row.slug }.map {
            Record(address: SiteURL.practice($0.row.slug).path, status: $0.row.status, last_verified: $0.row.lastVerified,
                   record: $0.practice)
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(Library(licence: licence, credit: "Living Together knowledge library",
                                                     records: records)), as: UTF8.self) + "\n"
    }

    static let csvColumns = ["id", "kind", "title_en", "title_nl", "summary_en", "summary_nl", "organisations", "country",
                             "start", "end", "still_running", "themes", "key_factors", "catalogue_actions", "size_bands",
                             "languages", "budget_band", "last_verified", "address", "licence"]

    static func csv(_ snapshot: KnowledgeStore.Snapshot) -> String {
        var out = CSV.line(csvColumns) + "\n"
        for (row, p) in snapshot.rows.values.sorted(by: { $0.row.slug < $1.row.slug }) {
            out += CSV.line([
                row.slug, p.kind.rawValue, p.title.values["en"] ?? "", p.title.values["nl"] ?? "",
                p.summary.values["en"] ?? "", p.summary.values["nl"] ?? "", p.organisations.joined(separator: "; "), p.country,
                p.start, p.end ?? "", p.stillRunning.map { $0 ? "yes" : "no" } ?? "", p.themes.joined(separator: "; "),
                p.keyFactors.joined(separator: "; "), p.catalogueActions.joined(separator: "; "),
                p.sizeBands.map(\.rawValue).joined(separator: "; "), p.languages.joined(separator: "; "), p.budgetBand.rawValue,
                row.lastVerified ?? "", SiteURL.practice(row.slug).path, licence,
            ]) + "\n"
        }
        return out
    }

    /// The schema.org description of a record (a CreativeWork about a municipal practice), ready for a
    /// `<script type="application/ld+json">`: "</" is written "<\/" so that no text can end the script.
    static func jsonLD(_ p: Practice, url: String, language: String) -> String {
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": p.kind == .tool ? "HowTo" : "CreativeWork", "@id": url, "url": url,
            "name": p.title(language), "abstract": p.summary(language), "description": p.howItWorks(language),
            "inLanguage": language, "license": "https://creativecommons.org/licenses/by/4.0/",
            "keywords": (p.themes + p.keyFactors + p.catalogueActions).joined(separator: ", "),
            "creator": p.organisations.map { ["@type": "Organization", "name": $0] },
            "spatialCoverage": ["@type": "Country", "name": p.country],
        ]
        if p.start != "unknown" { object["temporalCoverage"] = p.start + "/" + (p.end ?? "..") }
        if p.kind == .tool {
            object["step"] = p.steps.enumerated().map { i, s in
                ["@type": "HowToStep", "position": i + 1, "name": s.title(language), "text": s.text(language)] as [String: Any]
            }
            if let m = p.durationMinutes { object["totalTime"] = "PT\(m)M" }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }
}
