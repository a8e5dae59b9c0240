import Fluent
import LivingTogetherCore
import Vapor

/// The benchmarks part of /api/v1: frameworks, assessments (create, answer, submit), reports, export.
struct BenchmarkAPIController {
    func register(_ all: any RoutesBuilder) {
        let api = all.grouped(BenchmarkChangesMiddleware())
        api.get("frameworks", use: frameworks)
        api.post("frameworks", use: uploadFramework)
        api.get("frameworks", ":key", use: framework)
        api.get("organisations", ":id", "assessments", use: listAssessments)
        api.post("organisations", ":id", "assessments", use: createAssessment)
        api.get("organisations", ":id", "assessments", "export", use: export)
        api.get("assessments", ":assessmentID", use: getAssessment)
        api.put("assessments", ":assessmentID", use: answer)
        api.delete("assessments", ":assessmentID", use: deleteDraft)
        api.post("assessments", ":assessmentID", "submit", use: submit)
        api.get("assessments", ":assessmentID", "report", use: report)
    }

    struct FrameworkSummary: Content { var id: String; var version: Int; var title: LocalizedText; var key_factors: Int; var url: String }

    @Sendable func frameworks(req: Request) async throws -> [FrameworkSummary] {
        try await req.application.benchmarks.latestVersions(on: req.db).map {
            FrameworkSummary(id: $0.row.frameworkKey, version: $0.row.version, title: $0.framework.title,
                             key_factors: $0.framework.keyFactors.count, url: SiteURL.framework($0.row.frameworkKey).path)
        }
    }

    @Sendable func framework(req: Request) async throws -> Response {
        guard let key = req.parameters.get("key") else { throw Abort(.notFound) }
        var query = FrameworkVersion.query(on: req.db).filter(\.$frameworkKey == key)
        if let v = try? req.query.get(Int.self, at: "version") { query = query.filter(\.$version == v) }
        guard let row = try await query.sort(\.$version, .descending).first() else { throw Abort(.notFound, reason: "error.framework.notFound") }
        let response = Response(status: .ok, body: .init(string: row.content))
        response.headers.contentType = .json
        return response
    }

    struct ProblemsBody: Content {
        var error: Inner
        struct Inner: Content { var status: Int; var message: String; var problems: [Problem] }
        struct Problem: Content { var file: String?; var path: String; var message: String }
    }

    static func problems(_ list: [ProblemsBody.Problem], status: HTTPStatus, message: String) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(ProblemsBody(error: .init(status: Int(status.code), message: message, problems: list)))
        return response
    }

    @Sendable func uploadFramework(req: Request) async throws -> Response {
        try BenchmarkController.authorize(req, .uploadFramework)
        let data = req.body.data.map { Data(buffer: $0) } ?? Data()
        switch try await BenchmarkController.storeUpload(data, file: "request body", by: try req.requireUser(), req: req) {
        case .failure(let p):
            return try Self.problems(p.errors.map { .init(file: $0.file, path: $0.path, message: $0.problem) }, status: .unprocessableEntity,
                                     message: req.t("api.invalid"))
        case .success(let row):
            let response = Response(status: .created, body: .init(string: row.content))
            response.headers.contentType = .json
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/frameworks/\(row.frameworkKey)?version=\(row.version)")
            return response
        }
    }

    struct AssessmentDTO: Content {
        var id: Int; var organisation_id: Int; var framework: String; var framework_version: Int; var year: Int; var status: String
        var revision: Int; var published: Bool; var submitted_at: Date?; var content: AssessmentContent
        var url: String; var report_url: String
    }

    static func dto(_ a: Assessment, on req: Request) async throws -> AssessmentDTO {
        let f = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        return AssessmentDTO(id: try a.requireID(), organisation_id: a.$organisation.id, framework: a.frameworkKey, framework_version: f.version,
                             year: a.year, status: a.status, revision: a.revision, published: a.published, submitted_at: a.submittedAt,
                             content: try a.decodedContent(), url: SiteURL.assessment(a.id).path, report_url: SiteURL.assessmentReport(a.id).path)
    }

    @Sendable func listAssessments(req: Request) async throws -> [AssessmentDTO] {
        let orgID = try req.intParameter("id")
        try BenchmarkController.authorize(req, .viewAssessments(organisation: orgID))
        var out: [AssessmentDTO] = []
        for a in try await Assessment.query(on: req.db).filter(\.$organisation.$id == orgID).sort(\.$year, .descending).all() {
            out.append(try await Self.dto(a, on: req))
        }
        return out
    }

    @Sendable func createAssessment(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try BenchmarkController.authorize(req, .editAssessments(organisation: orgID))
        guard let org = try await Organisation.find(orgID, on: req.db) else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        struct Body: Content { var framework: String?; var year: Int? }
        let body = try req.content.decode(Body.self)
        switch try await AssessmentUseCases.start(organisation: org, frameworkKey: body.framework ?? "", year: body.year, by: try req.requireUser(), req: req) {
        case .invalid(let e): return try APIController.invalid(e, req)
        case .exists(let a):
            var e = FieldErrors(); e.add("year", "error.assessment.exists", [String(a.year)])
            let response = try APIController.invalid(e, req)
            response.status = .conflict
            return response
        case .ok(let a):
            let response = Response(status: .created)
            try response.content.encode(try await Self.dto(a, on: req))
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/assessments/\(a.id ?? 0)")
            return response
        }
    }

    private func load(_ req: Request, _ action: (Int) -> BenchmarkPermissions.Action) async throws -> Assessment {
        try await BenchmarkController.load(req, action)
    }

    @Sendable func getAssessment(req: Request) async throws -> AssessmentDTO {
        try await Self.dto(try await load(req) { .viewAssessments(organisation: $0) }, on: req)
    }

    /// Replaces the draft's content. `revision` must be the revision the client last read: a save based on
    /// an older one is refused with 409 and the current content, so that nothing is overwritten unseen.
    @Sendable func answer(req: Request) async throws -> Response {
        let a = try await load(req) { .editAssessments(organisation: $0) }
        struct Body: Content { var revision: Int; var content: AssessmentContent }
        let body = try req.content.decode(Body.self)
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        switch try await AssessmentUseCases.save(a, content: body.content, baseRevision: body.revision, framework: framework,
                                                 by: try req.requireUser(), on: req.db) {
        case .notDraft: throw Abort(.conflict, reason: "error.assessment.submitted")
        case .invalid(let problems):
            return try Self.problems(problems.map { .init(file: nil, path: $0.field, message: $0.description) }, status: .unprocessableEntity,
                                     message: req.t("api.invalid"))
        case .conflict:
            guard let current = try await Assessment.find(a.id, on: req.db) else { throw Abort(.notFound) }
            let response = Response(status: .conflict)
            struct ConflictBody: Content { var error: ValidationlessError; var current: AssessmentDTO }
            struct ValidationlessError: Content { var status: Int; var message: String }
            try response.content.encode(ConflictBody(error: .init(status: 409, message: req.t("conflict.title")), current: try await Self.dto(current, on: req)))
            return response
        case .ok:
            let response = Response(status: .ok)
            try response.content.encode(try await Self.dto(a, on: req))
            return response
        }
    }

    /// Deletes a draft: 204; a submitted assessment stays (409).
    @Sendable func deleteDraft(req: Request) async throws -> HTTPStatus {
        let a = try await load(req) { .editAssessments(organisation: $0) }
        guard try await AssessmentUseCases.deleteDraft(a, on: req.db) else {
            throw Abort(.conflict, reason: "error.assessment.submittedStays")
        }
        return .noContent
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let a = try await load(req) { .editAssessments(organisation: $0) }
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        switch try await AssessmentUseCases.submit(a, baseRevision: nil, framework: framework, by: try req.requireUser(), on: req.db) {
        case .ok:
            let response = Response(status: .ok)
            try response.content.encode(try await Self.dto(a, on: req))
            return response
        case .incomplete(let ids):
            let names = ids.compactMap { framework.keyFactor($0)?.title(req.language.rawValue) }
            return try Self.problems(ids.map { .init(file: nil, path: "content.ratings.\($0).level", message: req.t("error.level.missing")) },
                                     status: .unprocessableEntity, message: req.t("error.assessment.incomplete", names.joined(separator: "; ")))
        case .notDraft, .conflict: throw Abort(.conflict, reason: "error.assessment.submitted")
        }
    }

    struct ReportDTO: Content {
        struct Row: Content {
            var key_factor: String; var title: LocalizedText; var level: Int?; var previous_level: Int?; var peer_average: Double?
            var gap: Bool; var strength: Bool
        }
        var assessment_id: Int; var organisation_id: Int; var framework: String; var framework_version: Int; var year: Int
        var previous_year: Int?; var average: Double?; var peers: Int; var peers_shown: Bool; var minimum_peers: Int; var rows: [Row]
    }

    @Sendable func report(req: Request) async throws -> ReportDTO {
        let id = try req.intParameter("assessmentID")
        let r = try await AssessmentUseCases.report(id: id, req: req)
        let a = r.assessment
        try BenchmarkController.authorize(req, .viewReport(organisation: a.$organisation.id, published: a.published && a.isSubmitted))
        return ReportDTO(assessment_id: id, organisation_id: a.$organisation.id, framework: a.frameworkKey, framework_version: r.framework.version,
                         year: a.year, previous_year: r.previous?.year, average: r.figures.average, peers: r.figures.peersShown ? r.figures.peerCount : 0,
                         peers_shown: r.figures.peersShown, minimum_peers: PeerAverages.minimumPeers,
                         rows: zip(r.framework.keyFactors, r.figures.rows).map {
                             .init(key_factor: $0.0.id, title: $0.0.title, level: $0.1.level, previous_level: $0.1.previous,
                                   peer_average: $0.1.peerAverage, gap: $0.1.isGap, strength: $0.1.isStrength)
                         })
    }

    @Sendable func export(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try BenchmarkController.authorize(req, .viewAssessments(organisation: orgID))
        guard let org = try await Organisation.find(orgID, on: req.db) else { throw Abort(.notFound) }
        let format = (try? req.query.get(String.self, at: "format")) ?? "json"
        guard format == "csv" || format == "json" else { throw Abort(.badRequest, reason: "error.export.format") }
        let response = Response(status: .ok, body: .init(string: try await BenchmarkController.exportText(of: org, format: format, req: req)))
        response.headers.contentType = format == "csv" ? .init(type: "text", subType: "csv", parameters: ["charset": "utf-8"]) : .json
        return response
    }
}
