import Fluent
import LivingTogetherCore
import Vapor

/// The library through the API: the search with the page's filters, and each published record whole.
struct KnowledgeAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get("practices", use: search)
        api.get("practices", ":slug", use: practice)
        api.post("practices", use: create)
        api.put("practices", ":slug", use: update)
        api.post("practices", ":slug", "status", use: move)
        api.post("practices", ":slug", "comments", use: comment)
        api.post("practices", ":slug", "verify", use: verify)
        api.post("practices", ":slug", "transfers", use: tellTransfer)
    }

    /// A record's fields as the API takes them: the form's names, texts as strings, and the tags as lists
    /// (`themes`, `key_factors`, `actions`, `size_bands`), read into the form's fields so that one reader checks both.
    /// One field of the body: text, a number, yes/no, a list of ids, or null.
    enum BodyValue: Decodable {
        case text(String), list([String]), null, other
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let s = try? c.decode(String.self) { self = .text(s) }
            else if let b = try? c.decode(Bool.self) { self = .text(b ? "yes" : "no") }
            else if let d = try? c.decode(Double.self) { self = .text(d.wholeNumber.map(String.init) ?? String(d)) }
            else if let l = try? c.decode([String].self) { self = .list(l) }
            else { self = .other }
        }
    }

    static func fields(_ req: Request) throws -> [String: String] {
        let data = req.body.data.map { Data(buffer: $0) } ?? Data()
        guard let object = try? JSONDecoder().decode([String: BodyValue].self, from: data) else {
            throw MessageError(status: .badRequest, key: "error.api.object")
        }
        var out: [String: String] = [:]
        let lists = ["themes": "theme", "key_factors": "kf", "actions": "action", "size_bands": "band"]
        for (key, value) in object {
            switch (lists[key], value) {
            case (let prefix?, .list(let items)):
                guard items.count <= 500, items.allSatisfy({ $0.count <= 64 }) else {
                    throw MessageError(status: .badRequest, key: "error.api.list", arguments: [key])
                }
                for id in items { out["\(prefix):\(id)"] = "on" }
            case (nil, .text(let text)): out[key] = text
            case (_, .null): continue
            case (.some, _): throw MessageError(status: .badRequest, key: "error.api.list", arguments: [key])
            case (nil, _): throw MessageError(status: .badRequest, key: "error.api.text", arguments: [key])
            }
        }
        return out
    }

    static func record(_ row: PracticeRow) throws -> RecordDTO {
        RecordDTO(id: row.slug, status: row.status, last_verified: row.lastVerified,
                  stale: PracticeFreshness.isStale(lastVerified: row.lastVerified.flatMap { Day($0) }, today: Day.today),
                  url: SiteURL.practice(row.slug).path, record: try row.practice())
    }

    /// A new record (a draft) for the organisation `owner`, written in `written_in`.
    @Sendable func create(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        let fields = try Self.fields(req)
        guard let owner = Int(fields["owner"] ?? "") else { return try APIController.invalid(APIController.field("owner", "error.choice.unknown"), req) }
        try KnowledgeController.authorize(req, .submit(owner: owner))
        switch try await KnowledgeUseCases.create(owner: owner, input: PracticeInput(fields), known: try await KnowledgeUseCases.known(req),
                                                  by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let row):
            try await req.application.knowledge.rebuild(on: req.db)
            return try APIController.created(try Self.record(row), location: "/api/v1/practices/\(row.slug)")
        }
    }

    /// The record's texts in `written_in` and its facts and tags, replaced (the other language's texts stay).
    @Sendable func update(req: Request) async throws -> Response {
        let row = try await KnowledgeController.record(req)
        try KnowledgeController.authorize(req, .edit(owner: row.$owner.id, status: row.practiceStatus))
        switch try await KnowledgeUseCases.update(row, input: PracticeInput(try Self.fields(req)), known: try await KnowledgeUseCases.known(req),
                                                  on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success:
            try await req.application.knowledge.rebuild(on: req.db)
            return try APIController.ok(try Self.record(row))
        }
    }

    struct MoveBody: Content { var to: String; var comment: String? }

    @Sendable func move(req: Request) async throws -> Response {
        let row = try await KnowledgeController.record(req)
        let body = try req.content.decode(MoveBody.self)
        guard let to = PracticeStatus(rawValue: body.to) else { return try APIController.invalid(APIController.field("to", "error.choice.unknown"), req) }
        try KnowledgeController.authorize(req, .move(owner: row.$owner.id, from: row.practiceStatus, to: to))
        switch try await KnowledgeUseCases.move(row, to: to, comment: body.comment ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success:
            try await req.application.knowledge.rebuild(on: req.db)
            return try APIController.ok(try Self.record(row))
        }
    }

    struct CommentBody: Content { var comment: String }

    @Sendable func comment(req: Request) async throws -> Response {
        let row = try await KnowledgeController.record(req)
        try KnowledgeController.authorize(req, .comment(owner: row.$owner.id))
        let body = try req.content.decode(CommentBody.self)
        switch try await KnowledgeUseCases.comment(row, body.comment, by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.created(try Self.record(row), location: "/api/v1/practices/\(row.slug)")
        }
    }

    struct VerifyBody: Content { var still_running: Bool }

    @Sendable func verify(req: Request) async throws -> Response {
        let row = try await KnowledgeController.record(req)
        try KnowledgeController.authorize(req, .verify(owner: row.$owner.id))
        let body = try req.content.decode(VerifyBody.self)
        try await KnowledgeUseCases.verify(row, stillRunning: body.still_running, by: req.currentUser?.id, on: req.db)
        try await req.application.knowledge.rebuild(on: req.db)
        return try APIController.ok(try Self.record(row))
    }

    struct TransferBody: Content { var organisation: Int; var adapted: String; var result: String }
    struct TransferDTO: Content { var id: Int; var organisation: Int; var adapted: String; var result: String }

    @Sendable func tellTransfer(req: Request) async throws -> Response {
        let row = try await KnowledgeController.record(req)
        let body = try req.content.decode(TransferBody.self)
        try KnowledgeController.authorize(req, .tellTransfer(organisation: body.organisation))
        guard row.practiceStatus == .published else { throw Abort(.conflict, reason: "error.knowledge.notPublished") }
        switch try await KnowledgeUseCases.tellTransfer(row, organisation: body.organisation, adapted: body.adapted, result: body.result,
                                                        by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let story):
            return try APIController.created(TransferDTO(id: try story.requireID(), organisation: body.organisation, adapted: story.adapted,
                                                         result: story.result), location: SiteURL.practice(row.slug).path + "#transfers")
        }
    }

    struct RecordDTO: Content {
        var id: String; var status: String; var last_verified: String?; var stale: Bool; var url: String; var record: Practice
    }

    /// The search's page as JSON, written directly (items with id, kind, title, summary, organisations, country, score, url; page, per_page, total): encoding twenty hits through
    /// `JSONEncoder` cost a third of the request.
    @Sendable func search(req: Request) async throws -> Response {
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        let query = KnowledgeController.query(req)
        let page = snapshot.index.search(query, language: req.language.rawValue)
        var w = JSONText()
        w.raw("{\"items\":[")
        var first = true
        for hit in page.hits {
            guard let (row, p) = snapshot.rows[hit.entry.id] else { continue }
            if !first { w.raw(",") }
            first = false
            w.raw("{\"id\":"); w.string(row.slug)
            w.raw(",\"kind\":"); w.string(p.kind.rawValue)
            w.raw(",\"title\":"); w.texts(p.title.values)
            w.raw(",\"summary\":"); w.texts(p.summary.values)
            w.raw(",\"organisations\":"); w.strings(p.organisations)
            w.raw(",\"country\":"); w.string(p.country)
            w.raw(",\"score\":"); w.number(hit.score)
            w.raw(",\"url\":"); w.string(SiteURL.practice(row.slug).path)
            w.raw("}")
        }
        w.raw("],\"page\":\(page.page),\"per_page\":\(page.perPage),\"total\":\(page.total)}")
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: w.text))
    }

    @Sendable func practice(req: Request) async throws -> RecordDTO {
        let (row, p) = try await KnowledgeController.published(req)
        return RecordDTO(id: row.slug, status: row.status, last_verified: row.lastVerified,
                         stale: PracticeFreshness.isStale(lastVerified: row.lastVerified.flatMap { Day($0) }, today: Day.today),
                         url: SiteURL.practice(row.slug).path, record: p)
    }
}
