import Fluent
import LivingTogetherCore
import Vapor

/// Events through the API: the list and each event whole; an event's document written by its organiser (the body
/// is the document, as on the page); registering and cancelling for oneself; the organiser's registrations; one's
/// agenda.
struct EventAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get("events", use: list)
        api.post("events", use: create)
        api.get("events", ":slug", use: event)
        api.put("events", ":slug", use: replace)
        api.post("events", ":slug", "status", use: move)
        api.get("events", ":slug", "registrations", use: registrations)
        api.post("events", ":slug", "registrations", use: registerMe)
        api.delete("events", ":slug", "registrations", "mine", use: cancelMine)
        api.get("me", "agenda", use: agenda)
    }

    struct Links: Content { var page: String; var calendar: String; var frab_xml: String; var frab_json: String }
    struct SessionLink: Content { var id: String; var title: LocalizedText; var start: String; var end: String; var calendar: String }
    struct Entry: Content {
        var slug: String; var status: String; var kind: String; var title: LocalizedText; var start: String; var end: String
        var time_zone: String; var links: Links; var sessions: [SessionLink]
    }
    struct EventList: Content { var items: [Entry] }
    struct EventDTO: Content { var slug: String; var status: String; var owner_id: Int?; var links: Links; var event: Event }

    static func links(_ slug: String) -> Links {
        Links(page: SiteURL.event(slug).path, calendar: SiteURL.eventCalendar(slug).path, frab_xml: SiteURL.eventFrabXML(slug).path,
              frab_json: SiteURL.eventFrabJSON(slug).path)
    }

    static func entry(_ row: EventRow, _ e: Event) -> Entry {
        Entry(slug: row.slug, status: row.status, kind: e.kind.rawValue, title: e.title, start: e.start.description,
              end: e.end.description, time_zone: e.timeZone, links: links(row.slug),
              sessions: e.orderedSessions.map {
                  SessionLink(id: $0.id, title: $0.title, start: $0.start.description, end: $0.end.description,
                              calendar: SiteURL.sessionCalendar(row.slug, $0.id).path)
              })
    }

    @Sendable func list(req: Request) async throws -> EventList {
        let rows = try await EventRow.query(on: req.db).sort(\.$startsOn, .descending).all()
        return EventList(items: rows.compactMap { row in
            guard KnowledgePermissions.allows(req.actor, .viewEvent(owner: row.$owner.id, status: row.eventStatus)),
                  let e = try? row.event() else { return nil }
            return Self.entry(row, e)
        })
    }

    @Sendable func event(req: Request) async throws -> EventDTO {
        let (row, e) = try await EventController.load(req)
        return EventDTO(slug: row.slug, status: row.status, owner_id: row.$owner.id, links: Self.links(row.slug), event: e)
    }

    static func problems(_ p: EventUseCases.SaveProblem, _ req: Request) throws -> Response {
        let list: [BenchmarkAPIController.ProblemsBody.Problem]
        switch p {
        case .invalid(let problems): list = problems.errors.map { .init(file: nil, path: $0.path, message: $0.problem) }
        case .taken(let slug): list = [.init(file: nil, path: "id", message: req.t("error.event.taken", slug))]
        case .changedAddress: list = [.init(file: nil, path: "id", message: req.t("error.event.changedAddress"))]
        }
        return try BenchmarkAPIController.problems(list, status: .unprocessableEntity, message: req.t("api.invalid"))
    }

    static func body(_ req: Request) -> Data { req.body.data.map { Data(buffer: $0) } ?? Data() }

    /// A new event (a draft) from the document in the body; `?owner=ID` names the organisation (none: the platform's).
    @Sendable func create(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        let asked = try? req.query.get(String.self, at: "owner")
        let owner: Int?
        if let asked, !asked.isEmpty {
            guard let id = Int(asked) else { throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["owner"]) }
            owner = id
        } else { owner = nil }
        try EventController.authorize(req, .createEvent(owner: owner))
        let data = Self.body(req)
        if let slug = try? JSONDecoder().decode([String: LooseValue].self, from: data)["id"]?.text, EventController.reservedSlugs.contains(slug) {
            return try BenchmarkAPIController.problems([.init(file: nil, path: "id", message: req.t("error.event.reserved", slug))],
                                                       status: .unprocessableEntity, message: req.t("api.invalid"))
        }
        switch try await EventUseCases.create(data, file: "request body", owner: owner, on: req.db) {
        case .failure(let p): return try Self.problems(p, req)
        case .success(let row):
            let response = try await EventDTO(slug: row.slug, status: row.status, owner_id: row.$owner.id, links: Self.links(row.slug),
                                              event: row.event()).encodeResponse(status: .created, for: req)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/events/\(row.slug)")
            return response
        }
    }

    @Sendable func replace(req: Request) async throws -> Response {
        let (row, _) = try await EventController.load(req)
        try EventController.authorize(req, .manageEvent(owner: row.$owner.id))
        switch try await EventUseCases.replace(row, Self.body(req), file: "request body", on: req.db) {
        case .failure(let p): return try Self.problems(p, req)
        case .success(let e):
            return try await EventDTO(slug: row.slug, status: row.status, owner_id: row.$owner.id, links: Self.links(row.slug),
                                      event: e).encodeResponse(for: req)
        }
    }

    struct StatusBody: Content { var status: String }

    @Sendable func move(req: Request) async throws -> EventDTO {
        let (row, e) = try await EventController.load(req)
        try EventController.authorize(req, .manageEvent(owner: row.$owner.id))
        let body = try req.content.decode(StatusBody.self)
        guard let to = EventStatus(rawValue: body.status) else {
            throw MessageError(status: .unprocessableEntity, key: "error.choice.field", arguments: ["status"])
        }
        row.status = to.rawValue
        try await row.save(on: req.db)
        return EventDTO(slug: row.slug, status: row.status, owner_id: row.$owner.id, links: Self.links(row.slug), event: e)
    }

    struct RegistrationDTO: Content {
        var session: String?; var status: String; var requested_at: Date; var name: String?; var needs: AccessibilityNeeds?
    }
    struct RegistrationsDTO: Content {
        struct Line: Content { var session: String?; var title: String; var capacity: Int?; var registered: Int; var waiting: Int }
        struct Needs: Content {
            var people: Int; var sign_languages: [String: Int]; var hearing_loop: Int; var step_free: Int; var diets: [String]
            var others: [String]
        }
        var places: [Line]; var needs: Needs; var registrations: [RegistrationDTO]
    }

    @Sendable func registrations(req: Request) async throws -> RegistrationsDTO {
        let (row, e) = try await EventController.load(req)
        try EventController.authorize(req, .manageEvent(owner: row.$owner.id))
        let regs = try await EventUseCases.registrations(row, on: req.db)
        let s = EventUseCases.summary(e, regs, language: req.language.rawValue)
        return RegistrationsDTO(
            places: s.lines.map { .init(session: $0.session.isEmpty ? nil : $0.session, title: $0.title, capacity: $0.capacity,
                                        registered: $0.registered, waiting: $0.waiting) },
            needs: .init(people: s.needs.people, sign_languages: Dictionary(lastOf: s.needs.signLanguages.map { ($0.key.rawValue, $0.value) }),
                         hearing_loop: s.needs.hearingLoop, step_free: s.needs.stepFree, diets: s.needs.diets, others: s.needs.others),
            registrations: regs.map { .init(session: $0.session.isEmpty ? nil : $0.session, status: $0.status, requested_at: $0.requestedAt,
                                            name: $0.user.name, needs: $0.session.isEmpty ? $0.accessibility : nil) })
    }

    struct RegisterBody: Content {
        var session: String?
        var sign_language: String?; var hearing_loop: Bool?; var step_free: Bool?; var diet: String?; var other: String?
    }

    /// Registers the token's person for the event, or for one session (`session`), with their access requests.
    @Sendable func registerMe(req: Request) async throws -> Response {
        let (row, e) = try await EventController.load(req)
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        try EventController.checkOpen(row, e)
        try EventController.authorize(req, .register(status: row.eventStatus))
        let body = try req.content.decode(RegisterBody.self)
        if let s = body.session {
            guard let session = e.session(s) else {
                throw MessageError(status: .unprocessableEntity, key: "error.choice.field", arguments: ["session"])
            }
            guard session.takesRegistrations else { throw MessageError(status: .conflict, key: "error.event.openSession") }
        }
        var fields: [String: String] = ["sign_language": body.sign_language ?? "", "diet": body.diet ?? "", "other": body.other ?? ""]
        if body.hearing_loop == true { fields["hearing_loop"] = "yes" }
        if body.step_free == true { fields["step_free"] = "yes" }
        let (needs, errors) = EventController.needs(fields)
        if !errors.isEmpty {
            return try BenchmarkAPIController.problems(errors.entries.map { .init(file: nil, path: $0.0, message: req.t($0.1.key, args: $0.1.arguments)) },
                                                       status: .unprocessableEntity, message: req.t("api.invalid"))
        }
        let outcome = try await EventUseCases.register(row, e, session: body.session, userID: userID,
                                                       needs: body.session != nil && needs.isEmpty ? nil : needs, on: req.db)
        return try await RegistrationDTO(session: body.session, status: outcome.status.rawValue, requested_at: Date(), name: nil, needs: nil)
            .encodeResponse(status: .created, for: req)
    }

    /// Cancels the token's person's registration: for one session (`?session=ID`) or for the event and its sessions.
    @Sendable func cancelMine(req: Request) async throws -> HTTPStatus {
        let (row, e) = try await EventController.load(req)
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        let session = try? req.query.get(String.self, at: "session")
        if let session, e.session(session) == nil { throw Abort(.notFound) }
        let done = try await EventUseCases.cancel(row, e, session: session, userID: userID, on: req.db, logger: req.logger)
        guard done else { throw Abort(.notFound) }
        return .noContent
    }

    struct AgendaDTO: Content {
        struct Item: Content {
            var event: String; var session: String?; var title: LocalizedText; var start: String; var end: String; var time_zone: String
            var status: String; var url: String
        }
        var items: [Item]
    }

    @Sendable func agenda(req: Request) async throws -> AgendaDTO {
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        let items = try await EventUseCases.agenda(userID: userID, on: req.db)
        return AgendaDTO(items: items.map { i in
            .init(event: i.row.slug, session: i.session?.id, title: i.session?.title ?? i.event.title,
                  start: (i.session?.start ?? i.event.start).description, end: (i.session?.end ?? i.event.end).description,
                  time_zone: i.event.timeZone, status: i.status.rawValue,
                  url: i.session.map { SiteURL.session(i.row.slug, $0.id).path } ?? SiteURL.event(i.row.slug).path)
        })
    }
}
