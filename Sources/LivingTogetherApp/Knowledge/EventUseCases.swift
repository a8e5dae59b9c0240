import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// What the event pages and the API do with events and registrations: one place for each rule.
enum EventUseCases {
    // MARK: documents

    /// The events the platform ships, stored as published when the database lacks them (by address).
    static func syncShipped(on db: any Database, logger: Logger) async throws {
        guard let url = ShippedEvents.url() else {
            throw Abort(.internalServerError, reason: "The shipped events events.v1.json are missing from the bundle")
        }
        let library: EventLibrary
        switch EventLoader.load(try Data(contentsOf: url), file: url.lastPathComponent) {
        case .failure(let p): throw Abort(.internalServerError, reason: "The shipped events are invalid:\n\(p)")
        case .success(let l): library = l
        }
        let existing = Set(try await EventRow.query(on: db).field(\.$slug).all().map(\.slug))
        let missing = library.events.filter { !existing.contains($0.id) }
        guard !missing.isEmpty else { return }
        try await db.transaction { tx in
            for e in missing {
                let row = EventRow()
                row.slug = e.id; row.status = EventStatus.published.rawValue; row.$owner.id = nil
                row.content = try ContentJSON.encode(e); row.startsOn = e.start.day.description
                try await row.create(on: tx)
            }
        }
        logger.notice("events loaded", metadata: ["events": .stringConvertible(missing.count)])
    }

    /// A document checked against the event rules and the library (sessions may only present its records).
    static func check(_ data: Data, file: String, on db: any Database) async throws -> Result<Event, FrameworkProblems> {
        switch EventLoader.loadEvent(data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let event):
            let slugs = Set(try await PracticeRow.query(on: db).field(\.$slug).all().map(\.slug))
            var c = ContentChecker(file: file)
            EventLoader.check(event, "", into: &c, practices: slugs)
            return c.errors.isEmpty ? .success(event) : .failure(FrameworkProblems(c.errors))
        }
    }

    enum SaveProblem: Error { case invalid(FrameworkProblems), taken(String), changedAddress }

    /// A new event (a draft) from a checked document.
    static func create(_ data: Data, file: String, owner: Int?, on db: any Database) async throws -> Result<EventRow, SaveProblem> {
        let event: Event
        switch try await check(data, file: file, on: db) {
        case .failure(let p): return .failure(.invalid(p))
        case .success(let e): event = e
        }
        if try await EventRow.query(on: db).filter(\.$slug == event.id).first() != nil { return .failure(.taken(event.id)) }
        let row = EventRow()
        row.slug = event.id; row.status = EventStatus.draft.rawValue; row.$owner.id = owner
        row.content = try ContentJSON.encode(event); row.startsOn = event.start.day.description
        try await row.create(on: db)
        return .success(row)
    }

    /// The event's document replaced (its address stays; sessions people registered for must stay).
    static func replace(_ row: EventRow, _ data: Data, file: String, on db: any Database) async throws -> Result<Event, SaveProblem> {
        let event: Event
        switch try await check(data, file: file, on: db) {
        case .failure(let p): return .failure(.invalid(p))
        case .success(let e): event = e
        }
        guard event.id == row.slug else { return .failure(.changedAddress) }
        let booked = Set(try await EventRegistration.query(on: db).filter(\.$event.$id == row.requireID())
            .filter(\.$session != "").filter(\.$status != EventSeats.Status.cancelled.rawValue).all().map(\.session))
        let kept = Set(event.sessions.map(\.id))
        if let gone = booked.subtracting(kept).sorted().first {
            return .failure(.invalid(FrameworkProblems([FrameworkError(file: file, path: "sessions",
                problem: "the session \"\(gone)\" has registrations: cancel them (or keep the session) first")])))
        }
        row.content = try ContentJSON.encode(event); row.startsOn = event.start.day.description
        try await row.save(on: db)
        return .success(event)
    }

    // MARK: registrations

    /// Holds the event's row for the rest of the transaction (PostgreSQL), so that two processes never give the last
    /// place twice; SQLite writes one transaction at a time.
    static func lock(_ row: EventRow, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name.lowercased().contains("postgres"), let id = row.id else { return }
        try await sql.raw("SELECT id FROM events WHERE id = \(bind: id) FOR UPDATE").run()
    }

    /// The places of the event (`session` "") or of one session: the session's own number, else its room's.
    static func capacity(_ event: Event, session: String) -> Int? {
        guard !session.isEmpty else { return event.capacity }
        guard let s = event.session(session) else { return nil }
        return s.capacity ?? event.room(s.room)?.capacity
    }

    struct Outcome { var status: EventSeats.Status; var promoted: [EventRegistration] = [] }

    /// Registers a person for the event and, if given, one session (registering for the event first when needed).
    /// A person already registered keeps their place and their requests are updated.
    static func register(_ row: EventRow, _ event: Event, session: String?, userID: Int, needs: AccessibilityNeeds?,
                         on db: any Database) async throws -> Outcome {
        try await db.transaction { tx in
            try await lock(row, on: tx)
            let eventStatus = try await hold(row, event, session: "", userID: userID, needs: needs, on: tx)
            guard let session else { return Outcome(status: eventStatus) }
            return Outcome(status: try await hold(row, event, session: session, userID: userID, needs: nil, on: tx))
        }
    }

    private static func hold(_ row: EventRow, _ event: Event, session: String, userID: Int, needs: AccessibilityNeeds?,
                             on db: any Database) async throws -> EventSeats.Status {
        let eventID = try row.requireID()
        let existing = try await EventRegistration.query(on: db).filter(\.$event.$id == eventID)
            .filter(\.$session == session).filter(\.$user.$id == userID).first()
        if let existing, existing.seatStatus != .cancelled {
            if let needs { existing.needs = try ContentJSON.encode(needs); try await existing.save(on: db) }
            return existing.seatStatus
        }
        let all = try await EventRegistration.query(on: db).filter(\.$event.$id == eventID).filter(\.$session == session)
            .filter(\.$status != EventSeats.Status.cancelled.rawValue).all()
        let status = EventSeats.status(capacity: capacity(event, session: session),
                                       taken: all.filter { $0.seatStatus == .registered }.count,
                                       waiting: all.filter { $0.seatStatus == .waiting }.count)
        let reg = existing ?? EventRegistration()
        reg.$event.id = eventID; reg.session = session; reg.$user.id = userID; reg.status = status.rawValue
        reg.needs = try ContentJSON.encode(needs ?? AccessibilityNeeds()); reg.requestedAt = Date()
        try await reg.save(on: db)
        return status
    }

    /// Cancels a person's registration for one session, or for the event and all its sessions; the places freed go
    /// to the first on each waiting list, who get a message.
    static func cancel(_ row: EventRow, _ event: Event, session: String?, userID: Int, on db: any Database,
                       logger: Logger) async throws -> Bool {
        try await db.transaction { tx in
            try await lock(row, on: tx)
            let eventID = try row.requireID()
            var q = EventRegistration.query(on: tx).filter(\.$event.$id == eventID).filter(\.$user.$id == userID)
                .filter(\.$status != EventSeats.Status.cancelled.rawValue)
            if let session { q = q.filter(\.$session == session) }
            let mine = try await q.all()
            guard !mine.isEmpty else { return false }
            for r in mine { r.status = EventSeats.Status.cancelled.rawValue; try await r.save(on: tx) }
            for s in Set(mine.map(\.session)).sorted() {
                try await promote(row, event, session: s, on: tx, logger: logger)
            }
            return true
        }
    }

    /// Gives the free places of the event or a session to the waiting list in order, with a message to each.
    @discardableResult
    static func promote(_ row: EventRow, _ event: Event, session: String, on db: any Database, logger: Logger) async throws
        -> [EventRegistration] {
        let all = try await EventRegistration.query(on: db).filter(\.$event.$id == row.requireID())
            .filter(\.$session == session).filter(\.$status != EventSeats.Status.cancelled.rawValue).with(\.$user).all()
        let waiting = all.filter { $0.seatStatus == .waiting }
            .sorted { ($0.requestedAt, $0.id ?? 0) < ($1.requestedAt, $1.id ?? 0) }
        let chosen = EventSeats.promoted(capacity: capacity(event, session: session),
                                         taken: all.filter { $0.seatStatus == .registered }.count, waitingInOrder: waiting)
        for r in chosen {
            r.status = EventSeats.Status.registered.rawValue
            try await r.save(on: db)
            let t = Translator(Language(rawValue: r.user.language ?? "") ?? .en)
            let what = session.isEmpty ? event.title(t.language.rawValue)
                : "\(event.session(session)?.title(t.language.rawValue) ?? session) (\(event.title(t.language.rawValue)))"
            try await Mailer(db: db, logger: logger).send(
                to: r.user.email, subject: t("mail.eventPromoted.subject", what),
                body: t("mail.eventPromoted.body", r.user.name, what, SiteURL.event(row.slug).path))
        }
        return chosen
    }

    /// Everyone's registrations of an event, with the person.
    static func registrations(_ row: EventRow, on db: any Database) async throws -> [EventRegistration] {
        try await EventRegistration.query(on: db).filter(\.$event.$id == row.requireID()).with(\.$user)
            .sort(\.$requestedAt).sort(\.$id).all()
    }

    /// The organiser's summary: places and waiting lists per session, and the access requests of those with a place.
    struct Summary {
        struct Line { var session: String; var title: String; var capacity: Int?; var registered: Int; var waiting: Int }
        var lines: [Line]
        var needs: AccessibilityNeeds.Summary
    }

    static func summary(_ event: Event, _ regs: [EventRegistration], language: String) -> Summary {
        let active = regs.filter { $0.seatStatus != .cancelled }
        func line(_ session: String, _ title: String) -> Summary.Line {
            let here = active.filter { $0.session == session }
            return .init(session: session, title: title, capacity: capacity(event, session: session),
                         registered: here.filter { $0.seatStatus == .registered }.count,
                         waiting: here.filter { $0.seatStatus == .waiting }.count)
        }
        let lines = [line("", event.title(language))]
            + event.orderedSessions.filter(\.takesRegistrations).map { line($0.id, $0.title(language)) }
        let needs = active.filter { $0.session.isEmpty && $0.seatStatus == .registered }.map(\.accessibility)
        return Summary(lines: lines, needs: AccessibilityNeeds.summarise(needs))
    }

    // MARK: agenda

    /// A new secret for the person's feed address (the old address stops working); only its hash is stored, so the
    /// address is shown once.
    static func renewFeed(userID: Int, on db: any Database) async throws -> String {
        let token = Tokens.random()
        let feed = try await AgendaFeed.query(on: db).filter(\.$user.$id == userID).first() ?? AgendaFeed()
        feed.$user.id = userID; feed.token = Tokens.hash(token)
        try await feed.save(on: db)
        return token
    }

    static func hasFeed(userID: Int, on db: any Database) async throws -> Bool {
        try await AgendaFeed.query(on: db).filter(\.$user.$id == userID).first() != nil
    }

    /// The person whose feed address holds `token`.
    static func feedOwner(_ token: String, on db: any Database) async throws -> Int? {
        guard token.count <= 100 else { return nil }
        return try await AgendaFeed.query(on: db).filter(\.$token == Tokens.hash(token)).first()?.$user.id
    }

    struct AgendaItem { var row: EventRow; var event: Event; var session: Event.Session?; var status: EventSeats.Status }

    /// What a person registered for (not cancelled), in time order: the events without a session of theirs, and
    /// their sessions.
    static func agenda(userID: Int, on db: any Database) async throws -> [AgendaItem] {
        let regs = try await EventRegistration.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$status != EventSeats.Status.cancelled.rawValue).with(\.$event).all()
        var items: [AgendaItem] = []
        let byEvent = Dictionary(grouping: regs, by: { $0.$event.id })
        for (_, group) in byEvent {
            guard let row = group.first?.event, row.eventStatus != .draft, let event = try? row.event() else { continue }
            let sessions = group.filter { !$0.session.isEmpty }
            if sessions.isEmpty, let e = group.first(where: { $0.session.isEmpty }) {
                items.append(AgendaItem(row: row, event: event, session: nil, status: e.seatStatus))
            }
            for r in sessions {
                guard let s = event.session(r.session) else { continue }
                items.append(AgendaItem(row: row, event: event, session: s, status: r.seatStatus))
            }
        }
        return items.sorted { ($0.session?.start ?? $0.event.start, $0.row.slug) < ($1.session?.start ?? $1.event.start, $1.row.slug) }
    }
}
