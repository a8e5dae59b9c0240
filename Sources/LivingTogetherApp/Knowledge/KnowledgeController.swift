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
        routes.get(.practiceNew, use: newForm)
        routes.post(.practiceNew, use: create)
        routes.get(.knowledgeReview, use: review)
        routes.get(.practice(nil), use: practice)
        routes.get(.practiceEdit(nil), use: editForm)
        routes.post(.practiceEdit(nil), use: update)
        routes.post(.practiceStatus(nil), use: move)
        routes.post(.practiceVerify(nil), use: verify)
        routes.post(.practiceComments(nil), use: comment)
        routes.post(.practiceTransfers(nil), use: tellTransfer)
    }

    /// A municipality's transfer story of a published record.
    @Sendable func tellTransfer(req: Request) async throws -> Response {
        let row = try await Self.record(req)
        let fields = try req.content.decode([String: String].self)
        guard let org = Int(fields["organisation"] ?? "") else {
            throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["organisation"])
        }
        try Self.authorize(req, .tellTransfer(organisation: org))
        guard row.practiceStatus == .published else { throw Abort(.conflict, reason: "error.knowledge.notPublished") }
        switch try await KnowledgeUseCases.tellTransfer(row, organisation: org, adapted: fields["adapted"] ?? "",
                                                        result: fields["result"] ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try await renderPractice(req, row, errors: e, values: fields, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.practice(row.slug).path + "#transfers", redirectType: .normal)
            Flash.set("flash.transferTold", on: response)
            return response
        }
    }

    static func authorize(_ req: Request, _ action: KnowledgePermissions.Action) throws {
        if KnowledgePermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }

    /// Any record by its address, for those who may read it (drafts: the owner's members and library editors).
    /// `reading`: a published record may come from the snapshot (shared, so never for a write).
    static func record(_ req: Request, reading: Bool = false) async throws -> PracticeRow {
        let slug = req.parameters.get("slug") ?? ""
        if reading {
            let snapshot = try await req.application.knowledge.snapshot(on: req.db)
            if let id = snapshot.bySlug[slug], let found = snapshot.rows[id] { return found.row }
        }
        guard let row = try await PracticeRow.query(on: req.db).filter(\.$slug == slug).first() else { throw Abort(.notFound) }
        try authorize(req, .view(owner: row.$owner.id, status: row.practiceStatus))
        return row
    }

    /// The organisations a person may write records for.
    static func owners(_ req: Request) async throws -> [Organisation] {
        guard let user = req.currentUser else { return [] }
        let ids = user.roles.filter { $0.value >= .editor }.map(\.key)
        guard !ids.isEmpty else { return [] }
        return try await Organisation.query(on: req.db).filter(\.$id ~~ ids).sort(\.$name).all()
    }

    static func formPage(_ req: Request, row: PracticeRow?, values: [String: String], errors: FieldErrors) async throws
        -> KnowledgeViews.FormPage {
        let lang = req.language.rawValue
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db).map(\.framework)
        let actions = try await PlanUseCases.catalogueActions(req.actor, language: lang, plans: req.application.plans, on: req.db)
        return .init(row: row, owners: row == nil ? try await Self.owners(req) : [], values: values, errors: errors,
                     frameworks: frameworks.map { f in (id: f.id, title: f.title(lang), keyFactors: f.keyFactors.map { ($0.id, $0.title(lang)) }) },
                     actions: actions, countries: req.application.directoryIndex.countries(Translator(req.language)))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        let owners = try await Self.owners(req)
        guard let first = owners.first else { throw Abort(.forbidden) }
        let values = ["written_in": req.language.rawValue, "kind": "practice", "organisations": first.name, "country": first.country,
                      "owner": String(first.id ?? 0), "still_running": "unknown"]
        return KnowledgeViews.form(req.page(), try await Self.formPage(req, row: nil, values: values, errors: FieldErrors()))
    }

    @Sendable func create(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        let fields = try req.content.decode([String: String].self)
        guard let owner = Int(fields["owner"] ?? "") else {
            var e = FieldErrors()
            e.add("owner", "error.choice.unknown")
            return KnowledgeViews.form(req.page(), try await Self.formPage(req, row: nil, values: fields, errors: e), status: .unprocessableEntity)
        }
        try Self.authorize(req, .submit(owner: owner))
        switch try await KnowledgeUseCases.create(owner: owner, input: PracticeInput(fields), known: try await KnowledgeUseCases.known(req),
                                                  by: req.currentUser?.id, on: req.db) {
        case .failure(let e):
            return KnowledgeViews.form(req.page(), try await Self.formPage(req, row: nil, values: fields, errors: e), status: .unprocessableEntity)
        case .success(let row):
            try await req.application.knowledge.rebuild(on: req.db)
            let response = req.redirect(to: SiteURL.practice(row.slug).path, redirectType: .normal)
            Flash.set("flash.practiceCreated", on: response)
            return response
        }
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let row = try await Self.record(req)
        try Self.authorize(req, .edit(owner: row.$owner.id, status: row.practiceStatus))
        let p = try row.practice()
        let asked = (try? req.query.get(String.self, at: "language")) ?? ""
        let language = ContentChecker.requiredLanguages.contains(asked) ? asked
            : (p.translations.first { $0.value == .human }?.key ?? req.language.rawValue)
        return KnowledgeViews.form(req.page(), try await Self.formPage(req, row: row, values: PracticeInput.fields(of: p, language: language),
                                                                       errors: FieldErrors()))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let row = try await Self.record(req)
        try Self.authorize(req, .edit(owner: row.$owner.id, status: row.practiceStatus))
        let fields = try req.content.decode([String: String].self)
        switch try await KnowledgeUseCases.update(row, input: PracticeInput(fields), known: try await KnowledgeUseCases.known(req), on: req.db) {
        case .failure(let e):
            return KnowledgeViews.form(req.page(), try await Self.formPage(req, row: row, values: fields, errors: e), status: .unprocessableEntity)
        case .success:
            try await req.application.knowledge.rebuild(on: req.db)
            let response = req.redirect(to: SiteURL.practice(row.slug).path, redirectType: .normal)
            Flash.set("flash.practiceSaved", on: response)
            return response
        }
    }

    @Sendable func move(req: Request) async throws -> Response {
        let row = try await Self.record(req)
        let fields = try req.content.decode([String: String].self)
        guard let to = PracticeStatus(rawValue: fields["to"] ?? "") else {
            throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["to"])
        }
        try Self.authorize(req, .move(owner: row.$owner.id, from: row.practiceStatus, to: to))
        switch try await KnowledgeUseCases.move(row, to: to, comment: fields["comment"] ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try await renderPractice(req, row, errors: e, values: fields, status: .unprocessableEntity)
        case .success:
            try await req.application.knowledge.rebuild(on: req.db)
            let response = req.redirect(to: SiteURL.practice(row.slug).path, redirectType: .normal)
            Flash.set("flash.practiceMoved", on: response)
            return response
        }
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let row = try await Self.record(req)
        try Self.authorize(req, .comment(owner: row.$owner.id))
        let fields = try req.content.decode([String: String].self)
        switch try await KnowledgeUseCases.comment(row, fields["comment"] ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try await renderPractice(req, row, errors: e, values: fields, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.practice(row.slug).path + "#h-review", redirectType: .normal)
            Flash.set("flash.practiceCommented", on: response)
            return response
        }
    }

    @Sendable func verify(req: Request) async throws -> Response {
        let row = try await Self.record(req)
        try Self.authorize(req, .verify(owner: row.$owner.id))
        let fields = try req.content.decode([String: String].self)
        let running = try FormFlag.read(fields["still_running"], field: "still_running", yes: "yes", no: "no")
        try await KnowledgeUseCases.verify(row, stillRunning: running, by: req.currentUser?.id, on: req.db)
        try await req.application.knowledge.rebuild(on: req.db)
        let response = req.redirect(to: SiteURL.practice(row.slug).path, redirectType: .normal)
        Flash.set("flash.practiceVerified", on: response)
        return response
    }

    /// The library editor's queue (records in review, published ones not verified for a year) and each person's own
    /// organisations' records with the yearly "still running?" question.
    @Sendable func review(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        let editor = KnowledgePermissions.isLibraryEditor(req.actor)
        let owned = Array(user.roles.keys)
        var rows: [PracticeRow] = []
        if editor {
            rows = try await PracticeRow.query(on: req.db).filter(\.$status ~~ [PracticeStatus.inReview.rawValue, PracticeStatus.published.rawValue])
                .sort(\.$slug).all()
        }
        if !owned.isEmpty {
            rows += try await PracticeRow.query(on: req.db).filter(\.$owner.$id ~~ owned).sort(\.$slug).all()
        }
        var seen = Set<Int>()
        let today = Day.today
        let items: [KnowledgeViews.ReviewItem] = rows.compactMap { row in
            guard let id = row.id, seen.insert(id).inserted, let p = try? row.practice() else { return nil }
            let stale = row.practiceStatus == .published && PracticeFreshness.isStale(lastVerified: row.lastVerified.flatMap { Day($0) }, today: today)
            let mine = row.$owner.id.map { owned.contains($0) } ?? false
            guard mine || row.practiceStatus == .inReview || stale else { return nil }
            return .init(row: row, practice: p, stale: stale, mine: mine)
        }
        return KnowledgeViews.review(req.page(), items: items, isEditor: editor)
    }

    /// The search as asked in the address; unknown filter values are left out (and shown as "all").
    static func query(_ req: Request) -> KnowledgeQuery {
        let fields = req.queryFields
        func text(_ name: String) -> String? {
            let v = (fields[name] ?? "").trimmingWhitespace()
            return v.isEmpty ? nil : String(v.prefix(200))
        }
        return KnowledgeQuery(text: text("q") ?? "", kind: text("kind").flatMap(Practice.Kind.init(rawValue:)),
                              theme: text("theme"), keyFactor: text("key_factor"), action: text("action"),
                              country: text("country")?.uppercased(), band: text("band").flatMap(SizeBand.init(rawValue:)),
                              language: text("language")?.lowercased(),
                              page: fields.int("page") ?? 1, perPage: fields.int("per_page") ?? 20)
    }

    /// What the filters offer: the benchmark themes with their key factors, the catalogues' actions, and the
    /// countries and languages the published records have.
    static func filters(_ req: Request, _ snapshot: KnowledgeStore.Snapshot) async throws -> KnowledgeViews.Filters {
        let lang = req.language.rawValue
        if let cached = req.application.knowledge.cachedFilters(lang, generation: snapshot.generation) { return cached }
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db).map(\.framework)
        let themes = frameworks.map { (value: $0.id, label: $0.title(lang)) }
        let keyFactors = frameworks.flatMap { f in f.keyFactors.map { (value: $0.id, label: "\(f.title(lang)): \($0.title(lang))") } }
        // The actions of the catalogues everyone may read: the lists are the same for every visitor, so they are cached.
        let actions = try await PlanUseCases.catalogueActions(.anonymous, language: lang, plans: req.application.plans, on: req.db)
        let t = Translator(req.language)
        let filters = KnowledgeViews.Filters(
            themes: themes, keyFactors: keyFactors, actions: actions.map { (value: $0.id, label: $0.title) },
            countries: snapshot.countries.map { (value: $0, label: req.application.directoryIndex.countryName($0, t)) }
                .sorted { $0.label < $1.label },
            languages: snapshot.languages.map { (value: $0, label: t.has("language.\($0)") ? t("language.\($0)") : $0) })
        req.application.knowledge.storeFilters(filters, language: lang, generation: snapshot.generation)
        return filters
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
        try await renderPractice(req, try await Self.record(req, reading: true))
    }

    func renderPractice(_ req: Request, _ row: PracticeRow, errors: FieldErrors = FieldErrors(), values: [String: String] = [:],
                        status: HTTPStatus = .ok) async throws -> Response {
        let p = try row.practice()
        let lang = req.language.rawValue
        let owner = row.$owner.id
        let moves = (row.practiceStatus.next).filter {
            KnowledgePermissions.allows(req.actor, .move(owner: owner, from: row.practiceStatus, to: $0))
        }
        let canComment = KnowledgePermissions.allows(req.actor, .comment(owner: owner))
        let history = canComment || !moves.isEmpty
            ? try await PracticeReview.query(on: req.db).filter(\.$practice.$id == row.requireID()).sort(\.$id).with(\.$user).all() : []
        let stories = try await PracticeTransfer.query(on: req.db).filter(\.$practice.$id == row.requireID()).sort(\.$id)
            .with(\.$organisation).all()
        // The municipalities the person plans for, and those they may tell a transfer story of.
        let municipalities = try await PlanController.editableMunicipalities(req)
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db).map(\.framework)
        let actions = Dictionary(lastOf: try await PlanUseCases.catalogueActions(req.actor, language: lang, plans: req.application.plans,
                                                                              on: req.db).map { ($0.id, $0.title) })
        // The named organisations of the directory, in one query.
        let known = Dictionary(lastOf: try await Organisation.query(on: req.db).filter(\.$name ~~ p.organisations).all()
            .compactMap { o in o.id.map { (o.name, $0) } })
        let organisations = p.organisations.map { (name: $0, id: known[$0]) }
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
                                           language: lang),
            canEdit: KnowledgePermissions.allows(req.actor, .edit(owner: owner, status: row.practiceStatus)),
            moves: moves, canComment: canComment, canVerify: row.practiceStatus == .published && KnowledgePermissions.allows(req.actor, .verify(owner: owner)),
            history: history, errors: errors, values: values, stories: stories,
            municipalities: row.practiceStatus == .published ? municipalities : []), status: status)
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
