import Fluent
import LivingTogetherCore
import Vapor

/// The benchmark pages: frameworks, starting and answering an assessment, submitting, the report,
/// publishing, history, follow-ups of gaps and the export.
struct BenchmarkController {
    func register(_ all: any RoutesBuilder) {
        let routes = all.grouped(BenchmarkChangesMiddleware())
        routes.get(.benchmarks, use: index)
        routes.get(.frameworkUpload, use: uploadForm)
        routes.post(.frameworkUpload, use: upload)
        routes.get(.framework(nil), use: framework)
        routes.get(.frameworkDownload(nil), use: download)
        routes.post(.assessments, use: start)
        routes.get(.assessment(nil), use: show)
        routes.post(.assessment(nil), use: save)
        routes.post(.assessmentSubmit(nil), use: submit)
        routes.post(.assessmentDelete(nil), use: delete)
        routes.get(.assessmentReport(nil), use: report)
        routes.post(.assessmentPublish(nil), use: publish)
        routes.get(.assessmentHistory(nil), use: history)
        routes.post(.assessmentFollowUps(nil), use: followUp)
        routes.get(.assessmentsExport(nil), use: export)
    }

    // MARK: frameworks

    /// A municipality the person may start an assessment for.
    struct Membership { var id: Int; var name: String }

    /// What the benchmarks page lists: the frameworks, the person's assessments, and where they may start one.
    private func indexData(_ req: Request) async throws -> (frameworks: [(row: FrameworkVersion, framework: Framework)], assessments: [(Assessment, String)], startable: [Membership]) {
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db)
        guard let user = req.currentUser, !user.roles.isEmpty else { return (frameworks, [], []) }
        let ids = Array(user.roles.keys)
        let orgs = try await Organisation.query(on: req.db).filter(\.$id ~~ ids).sort(\.$name).all()
        let names = Dictionary(lastOf: orgs.map { ($0.id!, $0.name) })
        let assessments = try await Assessment.query(on: req.db).filter(\.$organisation.$id ~~ ids)
            .sort(\.$year, .descending).all().map { ($0, names[$0.$organisation.id] ?? "") }
        let startable = orgs.filter { $0.organisationKind == .municipality && (user.roles[$0.id!] ?? .viewer) >= .editor }
            .map { Membership(id: $0.id!, name: $0.name) }
        return (frameworks, assessments, startable)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let d = try await indexData(req)
        return BenchmarkViews.index(req.page(), frameworks: d.frameworks, assessments: d.assessments, startable: d.startable,
                                    canUpload: BenchmarkPermissions.allows(req.actor, .uploadFramework),
                                    form: StartForm(), errors: FieldErrors())
    }

    /// An editor deletes a draft (a submitted assessment cannot be: 409 with the reason).
    @Sendable func delete(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .editAssessments(organisation: $0) }
        guard try await AssessmentUseCases.deleteDraft(a, on: req.db) else {
            throw Abort(.conflict, reason: "error.assessment.submittedStays")
        }
        let response = req.redirect(to: SiteURL.benchmarks.path, redirectType: .normal)
        Flash.set("flash.draftDeleted", on: response)
        return response
    }

    @Sendable func framework(req: Request) async throws -> Response {
        let (row, f) = try await frameworkVersion(req)
        let reports = try await Self.publishedReports(organisation: nil, framework: row.frameworkKey, req: req)
        return BenchmarkViews.framework(req.page(), row: row, framework: f, reports: reports)
    }

    /// A published report as lists show it: the organisation's profile (by theme) and the theme page (by organisation).
    struct PublishedReport { var id: Int?; var title: String; var organisation: String; var year: Int }

    /// The published, submitted reports of an organisation or of a theme, latest year first.
    static func publishedReports(organisation: Int?, framework key: String?, req: Request) async throws -> [PublishedReport] {
        var q = Assessment.query(on: req.db).filter(\.$published == true).filter(\.$status == Assessment.submitted).with(\.$organisation)
        if let organisation { q = q.filter(\.$organisation.$id == organisation) }
        if let key { q = q.filter(\.$frameworkKey == key) }
        let rows = try await q.sort(\.$year, .descending).sort(\.$id).limit(200).all()
        var out: [PublishedReport] = []
        for r in rows {
            let f = try await req.application.benchmarks.framework(id: r.$framework.id, on: req.db)
            out.append(.init(id: r.id, title: f.title(req.language.rawValue), organisation: r.organisation.name, year: r.year))
        }
        return out
    }

    @Sendable func download(req: Request) async throws -> Response {
        let (row, _) = try await frameworkVersion(req)
        return .download(row.content, type: .json, filename: "\(row.frameworkKey).v\(row.version).json")
    }

    private func frameworkVersion(_ req: Request) async throws -> (FrameworkVersion, Framework) {
        guard let key = req.parameters.get("key") else { throw Abort(.notFound) }
        let query = FrameworkVersion.query(on: req.db).filter(\.$frameworkKey == key)
        let row: FrameworkVersion?
        if let v = try? req.query.get(Int.self, at: "version") { row = try await query.filter(\.$version == v).first() }
        else { row = try await query.sort(\.$version, .descending).first() }
        guard let row else { throw Abort(.notFound) }
        return (row, try await req.application.benchmarks.framework(id: row.requireID(), on: req.db))
    }

    @Sendable func uploadForm(req: Request) async throws -> Response {
        try authorize(req, .uploadFramework)
        return BenchmarkViews.upload(req.page(), text: "", problems: [])
    }

    /// Stores a new framework version from an uploaded file or pasted JSON. Used by the page and the API.
    static func storeUpload(_ data: Data, file: String, by user: CurrentUser, req: Request) async throws -> Result<FrameworkVersion, FrameworkProblems> {
        switch FrameworkLoader.load(data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let f):
            let latest = try await FrameworkVersion.query(on: req.db).filter(\.$frameworkKey == f.id).sort(\.$version, .descending).first()
            if let latest, latest.version >= f.version {
                return .failure(FrameworkProblems([FrameworkError(file: file, path: "version",
                    problem: "version \(f.version) is not newer than the stored version \(latest.version) of \"\(f.id)\"; stored versions never change")]))
            }
            let row = FrameworkVersion(key: f.id, version: f.version, content: try BenchmarkStore.encode(f), uploadedBy: user.id)
            try await row.create(on: req.db)
            return .success(row)
        }
    }

    @Sendable func upload(req: Request) async throws -> Response {
        try authorize(req, .uploadFramework)
        struct Form: Content { var file: File?; var json: String? }
        let form = try req.content.decode(Form.self)
        let (data, name) = { let d = UploadedDocument(file: form.file, pasted: form.json); return (d.data, d.name) }()
        if data.isEmpty {
            return BenchmarkViews.upload(req.page(), text: form.json ?? "",
                                         problems: [FrameworkError(file: name, path: "", problem: req.t("error.upload.empty"))], status: .unprocessableEntity)
        }
        switch try await Self.storeUpload(data, file: name, by: try req.requireUser(), req: req) {
        case .failure(let p):
            return BenchmarkViews.upload(req.page(), text: form.json ?? String(decoding: data, as: UTF8.self), problems: p.errors, status: .unprocessableEntity)
        case .success(let row):
            let response = req.redirect(to: SiteURL.framework(row.frameworkKey).path, redirectType: .normal)
            Flash.set("flash.frameworkUploaded", on: response)
            return response
        }
    }

    // MARK: assessments

    struct StartForm: Content { var organisation: String?; var framework: String?; var year: String? }

    @Sendable func start(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(StartForm.self)
        guard let orgID = Int(form.organisation ?? ""), let org = try await Organisation.find(orgID, on: req.db) else {
            var e = FieldErrors(); e.add("organisation", "error.choice.unknown")
            return try await rerenderIndex(req, form: form, errors: e)
        }
        try authorize(req, .editAssessments(organisation: orgID))
        switch try await AssessmentUseCases.start(organisation: org, frameworkKey: form.framework ?? "",
                                                   year: Int((form.year ?? "").trimmingWhitespace()), by: user, req: req) {
        case .invalid(let e): return try await rerenderIndex(req, form: form, errors: e)
        case .exists(let a):
            var e = FieldErrors(); e.add("year", "error.assessment.exists", [String(a.year)])
            return try await rerenderIndex(req, form: form, errors: e, existing: a)
        case .ok(let a):
            return req.redirect(to: SiteURL.assessment(a.id).path, redirectType: .normal)
        }
    }

    private func rerenderIndex(_ req: Request, form: StartForm, errors: FieldErrors, existing: Assessment? = nil) async throws -> Response {
        let d = try await indexData(req)
        return BenchmarkViews.index(req.page(), frameworks: d.frameworks, assessments: d.assessments, startable: d.startable,
                                    canUpload: BenchmarkPermissions.allows(req.actor, .uploadFramework), form: form, errors: errors,
                                    existing: existing, status: .unprocessableEntity)
    }

    /// Loads the assessment in the path and checks the actor may at least read it.
    static func load(_ req: Request, _ action: (Int) -> BenchmarkPermissions.Action) async throws -> Assessment {
        let id = try req.intParameter("assessmentID")
        guard let a = try await Assessment.find(id, on: req.db) else { throw Abort(.notFound) }
        try authorize(req, action(a.$organisation.id))
        return a
    }

    static func authorize(_ req: Request, _ action: BenchmarkPermissions.Action) throws {
        if BenchmarkPermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }
    private func authorize(_ req: Request, _ action: BenchmarkPermissions.Action) throws { try Self.authorize(req, action) }

    @Sendable func show(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .viewAssessments(organisation: $0) }
        if a.isSubmitted { return req.redirect(to: SiteURL.assessmentReport(a.id).path) }
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        guard let org = try await Organisation.find(a.$organisation.id, on: req.db) else { throw Abort(.notFound) }
        let canEdit = BenchmarkPermissions.allows(req.actor, .editAssessments(organisation: a.$organisation.id))
        return BenchmarkViews.assessment(req.page(), assessment: a, organisation: org, framework: framework, content: try a.decodedContent(),
                                         revision: a.revision, canEdit: canEdit, errors: [:], conflict: nil)
    }

    /// Reads the page's form: answers, ratings, evidence grades and context notes.
    /// Errors: form field → (message key, what was sent).
    static func parseForm(_ fields: [String: String], framework: Framework) -> (AssessmentContent, [String: (key: String, value: String)]) {
        var content = AssessmentContent()
        var errors: [String: (key: String, value: String)] = [:]
        for k in framework.keyFactors {
            for q in k.questions {
                let v = (fields["answer:\(k.id)/\(q.id)"] ?? "").trimmingWhitespace()
                if !v.isEmpty { content.answers["\(k.id)/\(q.id)"] = v }
            }
            var rating = Rating()
            let levelText = (fields["level:\(k.id)"] ?? "").trimmingWhitespace()
            if !levelText.isEmpty {
                if let l = Int(levelText) { rating.level = l } else { errors["level:\(k.id)"] = ("error.level.notANumber", levelText) }
            }
            for kind in EvidenceKind.allCases {
                let field = "evidence:\(k.id):\(kind.rawValue)"
                let sent = (fields[field] ?? "").trimmingWhitespace()
                guard !sent.isEmpty else { continue }
                // A grade the form does not offer is named, not read as "not assessed".
                guard let g = EvidenceGrade(rawValue: sent) else { errors[field] = ("error.evidence.unknown", sent); continue }
                if g != .notAssessed { rating.evidence[kind] = g }
            }
            rating.evidenceText = (fields["evidence_text:\(k.id)"] ?? "").trimmingWhitespace()
            rating.comments = (fields["comments:\(k.id)"] ?? "").trimmingWhitespace()
            if rating != Rating() { content.ratings[k.id] = rating }
        }
        for c in framework.contextFactors {
            let v = (fields["context:\(c.id)"] ?? "").trimmingWhitespace()
            if !v.isEmpty { content.context[c.id] = v }
        }
        return (content, errors)
    }

    /// Turns domain problems into messages keyed by form field names.
    /// The form field a problem of the content is about: the domain names fields as the stored document does
    /// ("ratings.diversity.comments"), the form as its inputs ("comments:diversity"), so that each message stands
    /// beside its own field and the summary links to it.
    static func formField(_ field: String) -> String {
        for (prefix, form) in [("answers.", "answer:"), ("context.", "context:")] where field.hasPrefix(prefix) {
            return form + field.dropFirst(prefix.count)
        }
        guard field.hasPrefix("ratings.") else { return field }
        let rest = field.dropFirst("ratings.".count)
        for (suffix, form) in [(".level", "level:"), (".evidenceText", "evidence_text:"), (".comments", "comments:")]
        where rest.hasSuffix(suffix) {
            return form + rest.dropLast(suffix.count)
        }
        return field
    }

    static func fieldErrors(_ problems: [AssessmentProblem], _ t: Translator) -> [String: String] {
        var out: [String: String] = [:]
        for p in problems {
            let field = formField(p.field)
            switch p.kind {
            case .levelOutsideScale(let l, let r):
                out[field] = t("error.level.range", String(l), String(r.lowerBound), String(r.upperBound))
            case .tooLong:
                out[field] = t("error.text.long", String(AssessmentContent.maximumTextLength))
            default:
                out[field] = p.description
            }
        }
        return out
    }

    @Sendable func save(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .editAssessments(organisation: $0) }
        let user = try req.requireUser()
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        guard let org = try await Organisation.find(a.$organisation.id, on: req.db) else { throw Abort(.notFound) }
        let fields = try req.content.decode([String: String].self)
        let (content, parseErrors) = Self.parseForm(fields, framework: framework)
        let baseRevision = Int(fields["revision"] ?? "") ?? -1
        let wantsSubmit = try FormFlag.read(fields["action"] ?? "save", field: "action", yes: "submit", no: "save")
        func again(_ errors: [String: String], conflict: BenchmarkViews.Conflict? = nil, revision: Int, status: HTTPStatus) -> Response {
            BenchmarkViews.assessment(req.page(), assessment: a, organisation: org, framework: framework, content: content, revision: revision,
                                      canEdit: true, errors: errors, conflict: conflict, status: status)
        }
        if !parseErrors.isEmpty {
            var errors: [String: String] = [:]
            for (field, problem) in parseErrors { errors[field] = req.t(problem.key, problem.value) }
            return again(errors, revision: baseRevision, status: .unprocessableEntity)
        }
        switch try await AssessmentUseCases.save(a, content: content, baseRevision: baseRevision, framework: framework, by: user, on: req.db) {
        case .notDraft: throw Abort(.conflict, reason: "error.assessment.submitted")
        case .invalid(let problems): return again(Self.fieldErrors(problems, req.t), revision: baseRevision, status: .unprocessableEntity)
        case .conflict(let current, let revision, let by, let at):
            return again([:], conflict: .init(saved: current, by: by, at: at), revision: revision, status: .conflict)
        case .ok:
            if wantsSubmit {
                switch try await AssessmentUseCases.submit(a, baseRevision: nil, framework: framework, by: user, on: req.db) {
                case .incomplete(let ids):
                    var errors: [String: String] = [:]
                    for id in ids { errors["level:\(id)"] = req.t("error.level.missingFor", framework.keyFactor(id)?.title(req.language.rawValue) ?? id) }
                    let names = ids.compactMap { framework.keyFactor($0)?.title(req.language.rawValue) }
                    errors["_summary"] = req.t("error.assessment.incomplete", names.joined(separator: "; "))
                    return again(errors, revision: a.revision, status: .unprocessableEntity)
                case .notDraft, .conflict: throw Abort(.conflict, reason: "error.assessment.submitted")
                case .ok:
                    let response = req.redirect(to: SiteURL.assessmentReport(a.id).path, redirectType: .normal)
                    Flash.set("flash.assessmentSubmitted", on: response)
                    return response
                }
            }
            let response = req.redirect(to: SiteURL.assessment(a.id).path, redirectType: .normal)
            Flash.set("flash.assessmentSaved", on: response)
            return response
        }
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .editAssessments(organisation: $0) }
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        switch try await AssessmentUseCases.submit(a, baseRevision: nil, framework: framework, by: try req.requireUser(), on: req.db) {
        case .ok:
            let response = req.redirect(to: SiteURL.assessmentReport(a.id).path, redirectType: .normal)
            Flash.set("flash.assessmentSubmitted", on: response)
            return response
        case .incomplete(let ids):
            guard let org = try await Organisation.find(a.$organisation.id, on: req.db) else { throw Abort(.notFound) }
            var errors: [String: String] = [:]
            for id in ids { errors["level:\(id)"] = req.t("error.level.missingFor", framework.keyFactor(id)?.title(req.language.rawValue) ?? id) }
            errors["_summary"] = req.t("error.assessment.incomplete", ids.compactMap { framework.keyFactor($0)?.title(req.language.rawValue) }.joined(separator: "; "))
            return BenchmarkViews.assessment(req.page(), assessment: a, organisation: org, framework: framework, content: try a.decodedContent(),
                                             revision: a.revision, canEdit: true, errors: errors, conflict: nil, status: .unprocessableEntity)
        case .notDraft, .conflict: throw Abort(.conflict, reason: "error.assessment.submitted")
        }
    }

    @Sendable func report(req: Request) async throws -> Response {
        let id = try req.intParameter("assessmentID")
        let report = try await AssessmentUseCases.report(id: id, req: req)
        let a = report.assessment
        try authorize(req, .viewReport(organisation: a.$organisation.id, published: a.published && a.isSubmitted))
        let ctx = req.page()
        // The library's records on each key factor, for the gaps.
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        let library = Dictionary(lastOf: report.framework.keyFactors.map { ($0.id, snapshot.tagged(keyFactor: $0.id)) })
        // Members see their own links and buttons; visitors all see the same page, rendered once per language.
        guard !BenchmarkPermissions.allows(req.actor, .viewAssessments(organisation: a.$organisation.id)) else {
            return BenchmarkViews.report(ctx, report, actor: req.actor, library: library)
        }
        let key = "\(id)|\(ctx.language.rawValue)|\(snapshot.generation)"
        let page = req.application.benchmarks.visitorPage(key) ?? {
            let rendered = BenchmarkViews.reportMain(ctx, report, actor: req.actor, library: library)
            req.application.benchmarks.storeVisitorPage(rendered, key: key)
            return rendered
        }()
        return Layout.page(ctx, title: page.title, main: page.main)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .publishReport(organisation: $0) }
        guard a.isSubmitted else { throw Abort(.conflict, reason: "error.assessment.notSubmitted") }
        struct Form: Content { var publish: String? }
        let publish = try FormFlag.read(try req.content.decode(Form.self).publish, field: "publish", yes: "1", no: "0")
        try await AssessmentUseCases.setPublished(a, publish, by: try req.requireUser(), on: req.db)
        let response = req.redirect(to: SiteURL.assessmentReport(a.id).path, redirectType: .normal)
        Flash.set(publish ? "flash.reportPublished" : "flash.reportUnpublished", on: response)
        return response
    }

    @Sendable func history(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .viewAssessments(organisation: $0) }
        let changes = try await AssessmentChange.query(on: req.db).filter(\.$assessment.$id == a.requireID()).with(\.$user)
            .sort(\.$id, .descending).all()
        guard let org = try await Organisation.find(a.$organisation.id, on: req.db) else { throw Abort(.notFound) }
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        return BenchmarkViews.history(req.page(), assessment: a, organisation: org, framework: framework, changes: changes)
    }

    @Sendable func followUp(req: Request) async throws -> Response {
        let a = try await Self.load(req) { .publishReport(organisation: $0) }
        struct Form: Content { var key_factor: String?; var kind: String? }
        let form = try req.content.decode(Form.self)
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        guard let kf = form.key_factor, framework.keyFactor(kf) != nil else { throw Abort(.unprocessableEntity, reason: "error.keyFactor.unknown") }
        guard let kind = form.kind, FollowUp.kinds.contains(kind) else { throw Abort(.unprocessableEntity, reason: "error.choice.unknown") }
        let exists = try await FollowUp.query(on: req.db).filter(\.$assessment.$id == a.requireID()).filter(\.$keyFactorID == kf)
            .filter(\.$kind == kind).count() > 0
        if !exists {
            let f = FollowUp()
            f.$organisation.id = a.$organisation.id
            f.$assessment.id = try a.requireID()
            f.keyFactorID = kf
            f.kind = kind
            f.$createdBy.id = try req.requireUser().id
            try await req.db.transaction { tx in
                try await f.create(on: tx)
                try await BenchmarkStore.bump(on: tx)
            }
        }
        let response = req.redirect(to: SiteURL.assessmentReport(a.id).path + "#kf-\(kf)", redirectType: .normal)
        Flash.set(kind == "action" ? "flash.followUpAction" : "flash.followUpMentor", on: response)
        return response
    }

    // MARK: export

    @Sendable func export(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try authorize(req, .viewAssessments(organisation: orgID))
        guard let org = try await Organisation.find(orgID, on: req.db) else { throw Abort(.notFound) }
        let format = (try? req.query.get(String.self, at: "format")) ?? "csv"
        guard format == "csv" || format == "json" else { throw Abort(.badRequest, reason: "error.export.format") }
        let text = try await Self.exportText(of: org, format: format, req: req)
        return .download(text, type: format == "csv" ? .csvUTF8 : .json, filename: "\(org.slug)-assessments.\(format)")
    }

    struct ExportedAssessment: Content {
        var id: Int; var organisation_id: Int; var framework: String; var framework_version: Int; var year: Int; var status: String
        var published: Bool; var submitted_at: Date?; var average: Double?; var content: AssessmentContent
    }

    /// The organisation's assessments with the framework version each was made with (from the framework
    /// cache: the stored framework documents are not read again for every row).
    static func exported(of org: Organisation, req: Request) async throws -> [(item: ExportedAssessment, framework: Framework)] {
        let rows = try await Assessment.query(on: req.db).filter(\.$organisation.$id == org.requireID())
            .sort(\.$frameworkKey).sort(\.$year).all()
        var out: [(ExportedAssessment, Framework)] = []
        for a in rows {
            let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
            out.append((ExportedAssessment(id: try a.requireID(), organisation_id: a.$organisation.id, framework: a.frameworkKey,
                                           framework_version: framework.version, year: a.year, status: a.status, published: a.published,
                                           submitted_at: a.submittedAt, average: a.average, content: try a.decodedContent()), framework))
        }
        return out
    }

    /// CSV: one line per key factor of each assessment (with its answers joined), so that a spreadsheet opens it as a table.
    static func exportText(of org: Organisation, format: String, req: Request) async throws -> String {
        let items = try await exported(of: org, req: req)
        if format == "json" {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            e.dateEncodingStrategy = .iso8601
            return String(decoding: try e.encode(items.map(\.item)), as: UTF8.self) + "\n"
        }
        var out = CSV.line(["assessment_id", "framework", "framework_version", "year", "status", "key_factor", "level", "evidence_policy",
                            "evidence_internal", "evidence_external", "evidence", "comments", "answers"]) + "\n"
        for (item, framework) in items {
            for k in framework.keyFactors {
                let r = item.content.ratings[k.id] ?? Rating()
                let answers = k.questions.compactMap { q in item.content.answers["\(k.id)/\(q.id)"].map { "\(q.id): \($0)" } }.joined(separator: " | ")
                out += CSV.line([String(item.id), item.framework, String(item.framework_version), String(item.year), item.status, k.id,
                                 r.level.map(String.init) ?? "", (r.evidence[.policy] ?? .notAssessed).rawValue,
                                 (r.evidence[.internalImplementation] ?? .notAssessed).rawValue,
                                 (r.evidence[.externalImplementation] ?? .notAssessed).rawValue, r.evidenceText, r.comments, answers]) + "\n"
            }
        }
        return out
    }
}
