import Fluent
import LivingTogetherCore
import Vapor

/// Participation through the API: the finder and each activity (public once published); activities written by their
/// organiser with the form's field names; registering and cancelling for oneself; a date's attendance and the figures
/// for the organiser; one's own hours; a counsellor's people (only those who gave access); a municipality's figures.
struct ParticipationAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get("activities", use: search)
        api.post("activities", use: create)
        api.get("activities", ":activityID", use: activity)
        api.put("activities", ":activityID", use: replace)
        api.post("activities", ":activityID", "registrations", use: registerMe)
        api.delete("activities", ":activityID", "registrations", "mine", use: cancelMine)
        api.get("activities", ":activityID", "attendance", ":day", use: attendance)
        api.put("activities", ":activityID", "attendance", ":day", use: recordAttendance)
        api.get("activities", ":activityID", "figures", use: activityFigures)
        api.get("municipalities", ":municipalityID", "participation", use: municipalityFigures)
        api.get("me", "participation", use: mine)
        api.get("me", "participation", "people", use: people)
        api.get("me", "participation", "people", ":personID", use: person)
    }

    struct Links: Content {
        var page: String
        var calendar: String
    }
    struct ActivityDTO: Content {
        var id: Int
        var published: Bool
        var organiser_id: Int
        var municipality_id: Int
        var places_taken: Int
        var waiting: Int
        var links: Links
        var activity: Activity
    }

    static func links(_ id: Int) -> Links {
        Links(page: SiteURL.activity(id).path, calendar: SiteURL.activityCalendar(id).path)
    }

    /// The finder's page as JSON, written directly (the fields of `Hit`, as the OpenAPI document names them):
    /// encoding twenty hits through `JSONEncoder` cost about a fifth of the request.
    @Sendable func search(req: Request) async throws -> Response {
        let snapshot = try await req.application.participation.snapshot(on: req.db)
        let (q, errors, _, _) = try await ParticipationController.query(req.queryFields, snapshot: snapshot, on: req.db)
        guard errors.isEmpty else { return try APIController.invalid(errors, req) }
        let found = snapshot.index.find(q)
        var w = JSONText()
        w.raw("{\"total\":\(found.total),\"page\":\(q.page),\"per_page\":\(q.perPage),\"items\":[")
        for (n, h) in found.hits.enumerated() {
            let a = h.listing.activity
            let id = h.listing.id
            if n > 0 { w.raw(",") }
            w.raw("{\"id\":\(id),\"title\":"); w.texts(a.title.values)
            w.raw(",\"category\":"); w.string(a.category.rawValue)
            w.raw(",\"level\":")
            if let l = a.level { w.string(l.label) } else { w.raw("null") }
            w.raw(a.counts ? ",\"counts\":true" : ",\"counts\":false")
            w.raw(",\"next\":"); w.string(h.next.description)
            w.raw(",\"start\":"); w.string(a.schedule.start)
            w.raw(",\"end\":"); w.string(a.schedule.end)
            w.raw(",\"municipality\":"); w.string(snapshot.names[h.listing.municipality] ?? "")
            w.raw(",\"distance_km\":")
            if let d = h.distanceKm { w.number(d.tenths) } else { w.raw("null") }
            w.raw(",\"links\":{\"page\":"); w.string(SiteURL.activity(id).path)
            w.raw(",\"calendar\":"); w.string(SiteURL.activityCalendar(id).path)
            w.raw("}}")
        }
        w.raw("]}")
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: w.text))
    }

    static func dto(_ row: ActivityRow, _ a: Activity, on db: any Database) async throws -> ActivityDTO {
        let id = try row.requireID()
        let seats = try await ParticipationUseCases.seats([id], on: db)[id] ?? .init()
        return ActivityDTO(
            id: id, published: row.published, organiser_id: row.$organiser.id, municipality_id: row.$municipality.id,
            places_taken: seats.registered, waiting: seats.waiting, links: Self.links(id), activity: a)
    }

    @Sendable func activity(req: Request) async throws -> ActivityDTO {
        let (row, a) = try await ParticipationController.load(req)
        return try await Self.dto(row, a, on: req.db)
    }

    /// The body: the form's fields, each a string, number or boolean.
    static func fields(_ req: Request) throws -> [String: String] {
        guard let body = try? req.content.decode([String: APIController.FlexibleText].self) else {
            throw MessageError(status: .badRequest, key: "error.api.object")
        }
        return body.mapValues(\.text)
    }

    @Sendable func create(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        var fields = try Self.fields(req)
        if let o = fields["organiser_id"] { fields["organiser"] = o }
        guard let organiser = Int(fields["organiser"] ?? "") else {
            return try APIController.invalid(APIController.field("organiser_id", "error.choice.unknown"), req)
        }
        try ParticipationController.authorize(req, .create(organiser: organiser))
        switch try await ParticipationController.read(req, fields, organiser: organiser) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let r):
            switch try await ParticipationUseCases.save(
                r.activity, row: nil, organiser: organiser, municipality: r.municipality,
                published: r.published, on: req.db)
            {
            case .failure(let e): return try APIController.invalid(e, req)
            case .success(let row):
                try await req.application.participation.update(row, on: req.db)
                var a = try row.activity()
                a.id = String(try row.requireID())
                return try APIController.created(
                    try await Self.dto(row, a, on: req.db), location: "/api/v1/activities/\(try row.requireID())")
            }
        }
    }

    @Sendable func replace(req: Request) async throws -> Response {
        let (row, _) = try await ParticipationController.loadManaged(req)
        let fields = try Self.fields(req)
        switch try await ParticipationController.read(req, fields, organiser: row.$organiser.id) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let r):
            switch try await ParticipationUseCases.save(
                r.activity, row: row, organiser: r.organiser, municipality: r.municipality,
                published: r.published, on: req.db)
            {
            case .failure(let e): return try APIController.invalid(e, req)
            case .success(let saved):
                try await req.application.participation.update(saved, on: req.db)
                var a = try saved.activity()
                a.id = String(try saved.requireID())
                return try APIController.ok(try await Self.dto(saved, a, on: req.db))
            }
        }
    }

    struct RegistrationBody: Content {
        var consent: Bool?
        var waiting_list: Bool?
    }
    struct RegistrationResult: Content {
        var status: String
        var waiting_position: Int?
    }

    @Sendable func registerMe(req: Request) async throws -> Response {
        let (row, _) = try await ParticipationController.load(req)
        guard let uid = req.currentUser?.id else { throw Abort(.unauthorized) }
        guard row.published else { throw MessageError(status: .conflict, key: "error.participation.notPublished") }
        let body = (try? req.content.decode(RegistrationBody.self)) ?? RegistrationBody()
        if body.consent != true, !(try await ParticipationUseCases.hasConsented(userID: uid, on: req.db)) {
            return try APIController.invalid(APIController.field("consent", "error.participation.consent"), req)
        }
        switch try await ParticipationUseCases.register(
            row, userID: uid, waitingList: body.waiting_list ?? false, on: req.db)
        {
        case .registered:
            return try APIController.created(
                RegistrationResult(status: "registered"), location: SiteURL.activity(row.id).path)
        case .waiting(let p):
            return try APIController.created(
                RegistrationResult(status: "waiting", waiting_position: p), location: SiteURL.activity(row.id).path)
        case .already(let s): return try APIController.ok(RegistrationResult(status: s.rawValue))
        case .full(let capacity):
            let response = try APIController.invalid(
                APIController.field("waiting_list", "error.participation.full", [String(capacity)]), req)
            response.status = .conflict
            return response
        }
    }

    @Sendable func cancelMine(req: Request) async throws -> Response {
        let (row, _) = try await ParticipationController.load(req)
        guard let uid = req.currentUser?.id else { throw Abort(.unauthorized) }
        guard try await ParticipationUseCases.cancel(row, userID: uid, on: req.db) else { throw Abort(.notFound) }
        return Response(status: .noContent)
    }

    struct Line: Content {
        var person: Int
        var name: String?
        var present: Bool
        var minutes: Int
    }
    struct AttendanceBody: Content {
        var day: String
        var lines: [Line]
    }
    struct LineInput: Decodable {
        var person: Int
        var present: Bool
        var minutes: Int?
    }
    struct AttendanceInput: Decodable { var lines: [LineInput] }

    static func day(_ req: Request) throws -> Day {
        guard let d = req.parameters.get("day").flatMap({ Day($0) }) else {
            throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["day"])
        }
        return d
    }

    @Sendable func attendance(req: Request) async throws -> AttendanceBody {
        let (row, _) = try await ParticipationController.loadManaged(req)
        let day = try Self.day(req)
        let lines = try await AttendanceRow.query(on: req.db).filter(\.$activity.$id == row.requireID())
            .filter(\.$day == day.description).with(\.$user).all()
        return AttendanceBody(
            day: day.description,
            lines: lines.map {
                Line(person: $0.$user.id, name: $0.user.name, present: $0.present, minutes: $0.minutes)
            }.sorted { $0.person < $1.person })
    }

    @Sendable func recordAttendance(req: Request) async throws -> Response {
        let (row, _) = try await ParticipationController.loadManaged(req)
        let day = try Self.day(req)
        guard let body = try? req.content.decode(AttendanceInput.self) else {
            throw MessageError(status: .badRequest, key: "error.api.object")
        }
        guard body.lines.count <= 10_000 else { throw MessageError(status: .payloadTooLarge, key: "error.api.object") }
        var e = FieldErrors()
        for (i, l) in body.lines.enumerated() where l.present && l.minutes == nil {
            e.add("lines[\(i)].minutes", "error.participation.minutes")
        }
        guard e.isEmpty else { return try APIController.invalid(e, req) }
        let lines = body.lines.map { (userID: $0.person, present: $0.present, minutes: $0.minutes ?? 0) }
        switch try await ParticipationUseCases.recordAttendance(
            row, day: day, lines: lines, by: req.currentUser?.id, on: req.db)
        {
        case .success: return try APIController.ok(try await attendance(req: req))
        case .failure(let problems):
            for (i, l) in body.lines.enumerated() {
                if let p = problems.byPerson[l.person] {
                    let d = ParticipationUseCases.describe(p, day: day)
                    e.add("lines[\(i)]", d.key, d.arguments)
                }
            }
            return try APIController.invalid(e, req)
        }
    }

    struct Cell: Content {
        var people: Int?
        var hours: Double?
    }
    struct ActivityFigure: Content {
        var activity: Int
        var level: String?
        var registered: Int?
        var waiting: Int?
        var attended: Cell
        var no_shows: Int?
    }
    struct LevelFigure: Content {
        var level: String?
        var activities: Int
        var attended: Cell
    }
    struct Figures: Content {
        var smallest_shown: Int
        var total: Cell
        var activities: [ActivityFigure]
        var levels: [LevelFigure]
    }

    static func figures(_ s: ParticipationFigures.Summary) -> Figures {
        func cell(_ c: ParticipationFigures.Cell) -> Cell {
            Cell(people: c.people, hours: c.hours.map { $0.tenths })
        }
        return Figures(
            smallest_shown: ParticipationHours.smallestShownGroup, total: cell(s.total),
            activities: s.activities.map {
                ActivityFigure(
                    activity: $0.activity, level: $0.level?.label, registered: $0.registered, waiting: $0.waiting,
                    attended: cell($0.attended), no_shows: $0.noShows)
            },
            levels: s.byLevel.map {
                LevelFigure(level: $0.level?.label, activities: $0.activities, attended: cell($0.attended))
            })
    }

    @Sendable func activityFigures(req: Request) async throws -> Figures {
        let (row, _) = try await ParticipationController.loadManaged(req)
        return Self.figures(try await ParticipationUseCases.figures([row], on: req.db))
    }

    @Sendable func municipalityFigures(req: Request) async throws -> Figures {
        let (_, rows) = try await ParticipationController.municipality(req)
        return Self.figures(try await ParticipationUseCases.figures(rows, on: req.db))
    }

    struct Record: Content {
        var activity: Int
        var title: LocalizedText
        var day: String
        var minutes: Int
        var present: Bool
        var counts: Bool
    }
    struct Progress: Content {
        var required_hours: Int
        var hours: Double
        var remaining_hours: Double
        var complete: Bool
        var other_hours: Double
        var records: [Record]
    }

    static func progress(_ records: [ParticipationUseCases.PersonRecord], required: Int) -> Progress {
        let p = ParticipationUseCases.progress(records, requiredHours: required)
        return Progress(
            required_hours: required, hours: p.hours.tenths,
            remaining_hours: p.remainingHours.tenths,
            complete: p.complete, other_hours: (Double(p.otherMinutes) / 60).tenths,
            records: records.map {
                Record(
                    activity: $0.activityID, title: $0.activity.title, day: $0.day.description, minutes: $0.minutes,
                    present: $0.present, counts: $0.activity.counts)
            })
    }

    @Sendable func mine(req: Request) async throws -> Progress {
        guard let uid = req.currentUser?.id else { throw Abort(.unauthorized) }
        return Self.progress(
            try await ParticipationUseCases.records(userID: uid, on: req.db),
            required: ParticipationController.requiredHours(req))
    }

    struct Person: Content {
        var id: Int
        var name: String
        var hours: Double
        var required_hours: Int
        var complete: Bool
        var since: Date
    }
    struct People: Content { var items: [Person] }

    @Sendable func people(req: Request) async throws -> People {
        guard let uid = req.currentUser?.id else { throw Abort(.unauthorized) }
        let list = try await ParticipationUseCases.people(
            counsellor: uid, requiredHours: ParticipationController.requiredHours(req),
            on: req.db)
        return People(
            items: list.map {
                Person(
                    id: $0.user.id ?? 0, name: $0.user.name, hours: $0.progress.hours.tenths,
                    required_hours: $0.progress.requiredHours, complete: $0.progress.complete, since: $0.since)
            })
    }

    @Sendable func person(req: Request) async throws -> Progress {
        guard let uid = req.currentUser?.id else { throw Abort(.unauthorized) }
        let id = try req.intParameter("personID")
        guard try await ParticipationUseCases.hasAccess(counsellor: uid, participant: id, on: req.db) else {
            throw Abort(.notFound)
        }
        return Self.progress(
            try await ParticipationUseCases.records(userID: id, on: req.db),
            required: ParticipationController.requiredHours(req))
    }
}
