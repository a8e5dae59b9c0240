import Fluent
import LivingTogetherCore
import Vapor

/// The events' pages: the list, each event with its programme grid and registration, each session, the organiser's
/// registrations and follow-up, the personal agenda, and the exports (iCalendar, frab schedule, schema.org).
/// Published events are open to everyone; registering needs an account.
struct EventController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.events, use: list)
        routes.get(.eventNew, use: newForm)
        routes.post(.eventNew, use: create)
        routes.get(.agenda, use: agenda)
        routes.post(.agendaFeedRenew, use: renewFeed)
        routes.get(.agendaFeed(nil), use: agendaFeed)
        routes.get(.event(nil), use: show)
        routes.get(.eventEdit(nil), use: editForm)
        routes.post(.eventEdit(nil), use: update)
        routes.post(.eventStatus(nil), use: move)
        routes.get(.eventCalendar(nil), use: eventCalendar)
        routes.get(.eventFrabXML(nil), use: frabXML)
        routes.get(.eventFrabJSON(nil), use: frabJSON)
        routes.post(.eventRegister(nil), use: registerForEvent)
        routes.post(.eventCancel(nil), use: cancelEvent)
        routes.get(.eventRegistrations(nil), use: registrations)
        routes.get(.eventRegistrationsCSV(nil), use: registrationsCSV)
        routes.get(.eventFollowUp(nil), use: followUpForm)
        routes.post(.eventFollowUp(nil), use: sendFollowUp)
        routes.get(.session(nil, nil), use: session)
        routes.get(.sessionCalendar(nil, nil), use: sessionCalendar)
        routes.post(.sessionRegister(nil, nil), use: registerForSession)
        routes.post(.sessionCancel(nil, nil), use: cancelSession)
        routes.post(.sessionMaterials(nil, nil), use: addMaterial)
        routes.post(.sessionMaterialRemove(nil, nil), use: removeMaterial)
    }

    static let reservedSlugs: Set<String> = ["new", "agenda"]

    static func authorize(_ req: Request, _ action: KnowledgePermissions.Action) throws {
        if KnowledgePermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }

    /// The event at the address, for those who may read it.
    static func load(_ req: Request) async throws -> (EventRow, Event) {
        let slug = req.parameters.get("slug") ?? ""
        guard slug.count <= 100, let row = try await EventRow.query(on: req.db).filter(\.$slug == slug).first() else {
            throw Abort(.notFound)
        }
        try authorize(req, .viewEvent(owner: row.$owner.id, status: row.eventStatus))
        guard let event = try? row.event() else { throw Abort(.internalServerError, reason: "error.event.unreadable") }
        return (row, event)
    }

    static func loadSession(_ req: Request) async throws -> (EventRow, Event, Event.Session) {
        let (row, event) = try await load(req)
        guard let s = event.session(req.parameters.get("session") ?? "") else { throw Abort(.notFound) }
        return (row, event, s)
    }

    static func canManage(_ req: Request, _ row: EventRow) -> Bool {
        KnowledgePermissions.allows(req.actor, .manageEvent(owner: row.$owner.id))
    }

    // MARK: list

    @Sendable func list(req: Request) async throws -> Response {
        let rows = try await EventRow.query(on: req.db).sort(\.$startsOn, .descending).all()
        let today = Day.today.description
        var page = EventViews.ListPage()
        for row in rows {
            guard KnowledgePermissions.allows(req.actor, .viewEvent(owner: row.$owner.id, status: row.eventStatus)),
                  let e = try? row.event() else { continue }
            if row.eventStatus == .draft { page.drafts.append((row, e)) }
            else if row.startsOn >= today || e.end.day.description >= today { page.upcoming.insert((row, e), at: 0) }
            else { page.past.append((row, e)) }
        }
        page.canCreate = try await !Self.owners(req).isEmpty || KnowledgePermissions.isLibraryEditor(req.actor)
        return EventViews.list(req.page(), page)
    }

    // MARK: one event

    static func eventPage(_ req: Request, _ row: EventRow, _ event: Event, errors: FieldErrors = FieldErrors(),
                          values: [String: String] = [:]) async throws -> EventViews.EventPage {
        let lang = req.language.rawValue
        var page = EventViews.EventPage(row: row, event: event,
                                        grid: EventGrid(event, elsewhere: req.t("events.elsewhere")),
                                        jsonLD: EventExport.jsonLD(event, row: row, base: req.application.publicURL, language: lang))
        page.canManage = canManage(req, row)
        page.ended = event.hasEnded(at: Date())
        page.errors = errors
        if let userID = req.currentUser?.id {
            let mine = try await EventRegistration.query(on: req.db).filter(\.$event.$id == row.requireID())
                .filter(\.$user.$id == userID).all()
            for r in mine where r.seatStatus != .cancelled {
                if r.session.isEmpty { page.mine = r.seatStatus; page.needs = r.accessibility } else { page.mySessions[r.session] = r.seatStatus }
            }
        }
        page.values = values.isEmpty ? EventViews.needsFields(page.needs ?? AccessibilityNeeds()) : values
        return page
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        return EventViews.event(req.page(), try await Self.eventPage(req, row, event))
    }

    @Sendable func session(req: Request) async throws -> Response {
        let (row, event, s) = try await Self.loadSession(req)
        return EventViews.session(req.page(), try await Self.sessionPage(req, row, event, s))
    }

    static func sessionPage(_ req: Request, _ row: EventRow, _ event: Event, _ s: Event.Session, errors: FieldErrors = FieldErrors(),
                            values: [String: String] = [:]) async throws -> EventViews.SessionPage {
        let regs = try await EventRegistration.query(on: req.db).filter(\.$event.$id == row.requireID())
            .filter(\.$session ~~ [s.id, ""]).filter(\.$status != EventSeats.Status.cancelled.rawValue).all()
        var page = EventViews.SessionPage(row: row, event: event, session: s)
        page.capacity = EventUseCases.capacity(event, session: s.id)
        page.taken = regs.filter { $0.session == s.id && $0.seatStatus == .registered }.count
        page.waiting = regs.filter { $0.session == s.id && $0.seatStatus == .waiting }.count
        if let userID = req.currentUser?.id {
            page.mine = regs.first { $0.session == s.id && $0.$user.id == userID }?.seatStatus
            page.registeredForEvent = regs.contains { $0.session.isEmpty && $0.$user.id == userID }
        }
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        page.practices = s.practices.compactMap { slug in
            snapshot.bySlug[slug].flatMap { snapshot.rows[$0] }.map { (slug: slug, title: $0.practice.title) }
        }
        page.canManage = canManage(req, row)
        page.ended = event.hasEnded(at: Date())
        page.errors = errors
        page.values = values.isEmpty ? EventViews.needsFields(AccessibilityNeeds()) : values
        page.libraryOptions = page.canManage ? snapshot.rows.values.map { (slug: $0.row.slug, title: $0.practice.title(req.language.rawValue)) }
            .sorted { $0.title < $1.title } : []
        return page
    }

    // MARK: registration

    /// The access requests of the registration form; the problems named beside their fields.
    static func needs(_ fields: [String: String]) -> (AccessibilityNeeds, FieldErrors) {
        var e = FieldErrors()
        var language: AccessibilityNeeds.SignLanguage?
        let asked = fields["sign_language"] ?? ""
        if !asked.isEmpty {
            language = AccessibilityNeeds.SignLanguage(rawValue: asked)
            if language == nil { e.add("sign_language", "error.choice.unknown") }
        }
        let diet = (fields["diet"] ?? "").trimmingWhitespace(), other = (fields["other"] ?? "").trimmingWhitespace()
        for (f, v) in [("diet", diet), ("other", other)] where v.count > AccessibilityNeeds.maximumTextLength {
            e.add(f, "error.text.long", [String(AccessibilityNeeds.maximumTextLength)])
        }
        let needs = AccessibilityNeeds(signLanguage: language, hearingLoop: fields["hearing_loop"] == "yes",
                                       stepFree: fields["step_free"] == "yes", diet: diet, other: other)
        return (needs, e)
    }

    /// Registration is open while the event is published and has not ended.
    static func checkOpen(_ row: EventRow, _ event: Event) throws {
        guard row.eventStatus == .published else { throw MessageError(status: .conflict, key: "error.event.notOpen") }
        guard !event.hasEnded(at: Date()) else { throw MessageError(status: .conflict, key: "error.event.ended") }
    }

    @Sendable func registerForEvent(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        try Self.checkOpen(row, event)
        try Self.authorize(req, .register(status: row.eventStatus))
        let fields = try req.content.decode([String: String].self)
        let (needs, errors) = Self.needs(fields)
        guard errors.isEmpty else {
            return EventViews.event(req.page(), try await Self.eventPage(req, row, event, errors: errors, values: fields),
                                    status: .unprocessableEntity)
        }
        let outcome = try await EventUseCases.register(row, event, session: nil, userID: userID, needs: needs, on: req.db)
        let response = req.redirect(to: SiteURL.event(row.slug).path + "#registration", redirectType: .normal)
        Flash.set(outcome.status == .waiting ? "flash.eventWaiting" : "flash.eventRegistered", on: response)
        return response
    }

    @Sendable func registerForSession(req: Request) async throws -> Response {
        let (row, event, s) = try await Self.loadSession(req)
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        try Self.checkOpen(row, event)
        try Self.authorize(req, .register(status: row.eventStatus))
        guard s.takesRegistrations else { throw MessageError(status: .conflict, key: "error.event.openSession") }
        let fields = try req.content.decode([String: String].self)
        let (needs, errors) = Self.needs(fields)
        guard errors.isEmpty else {
            return EventViews.session(req.page(), try await Self.sessionPage(req, row, event, s, errors: errors, values: fields),
                                      status: .unprocessableEntity)
        }
        let outcome = try await EventUseCases.register(row, event, session: s.id, userID: userID,
                                                       needs: needs.isEmpty ? nil : needs, on: req.db)
        let response = req.redirect(to: SiteURL.session(row.slug, s.id).path, redirectType: .normal)
        Flash.set(outcome.status == .waiting ? "flash.sessionWaiting" : "flash.sessionRegistered", on: response)
        return response
    }

    @Sendable func cancelEvent(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        let done = try await EventUseCases.cancel(row, event, session: nil, userID: userID, on: req.db, logger: req.logger)
        let response = req.redirect(to: SiteURL.event(row.slug).path + "#registration", redirectType: .normal)
        Flash.set(done ? "flash.eventCancelled" : "flash.eventNothingToCancel", on: response)
        return response
    }

    @Sendable func cancelSession(req: Request) async throws -> Response {
        let (row, event, s) = try await Self.loadSession(req)
        guard let userID = req.currentUser?.id else { throw Abort(.unauthorized) }
        let done = try await EventUseCases.cancel(row, event, session: s.id, userID: userID, on: req.db, logger: req.logger)
        let response = req.redirect(to: SiteURL.session(row.slug, s.id).path, redirectType: .normal)
        Flash.set(done ? "flash.sessionCancelled" : "flash.eventNothingToCancel", on: response)
        return response
    }

    // MARK: the organiser

    @Sendable func registrations(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let regs = try await EventUseCases.registrations(row, on: req.db)
        return EventViews.registrations(req.page(), .init(row: row, event: event, registrations: regs,
                                                          summary: EventUseCases.summary(event, regs, language: req.language.rawValue)))
    }

    @Sendable func registrationsCSV(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let regs = try await EventUseCases.registrations(row, on: req.db)
        let text = EventExport.registrationsCSV(event, regs)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(row.slug)-registrations.csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static let maximumSubject = 200, maximumBody = 10_000

    @Sendable func followUpForm(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        return EventViews.followUp(req.page(), try await Self.followUpPage(req, row, event, values: [:], errors: FieldErrors()))
    }

    static func followUpPage(_ req: Request, _ row: EventRow, _ event: Event, values: [String: String], errors: FieldErrors)
        async throws -> EventViews.FollowUpPage {
        let sent = try await EventMessage.query(on: req.db).filter(\.$event.$id == row.requireID()).with(\.$user)
            .sort(\.$sentAt, .descending).all()
        let attendees = try await EventRegistration.query(on: req.db).filter(\.$event.$id == row.requireID())
            .filter(\.$session == "").filter(\.$status == EventSeats.Status.registered.rawValue).count()
        return .init(row: row, event: event, sent: sent, attendees: attendees, values: values, errors: errors,
                     ended: event.hasEnded(at: Date()))
    }

    @Sendable func sendFollowUp(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let fields = try req.content.decode([String: String].self)
        let subject = (fields["subject"] ?? "").trimmingWhitespace(), body = (fields["body"] ?? "").trimmingWhitespace()
        var e = FieldErrors()
        if subject.isEmpty { e.add("subject", "error.knowledge.required") }
        if body.isEmpty { e.add("body", "error.knowledge.required") }
        if subject.count > Self.maximumSubject { e.add("subject", "error.text.long", [String(Self.maximumSubject)]) }
        if subject.contains(where: \.isNewline) { e.add("subject", "error.event.oneLine") }
        if body.count > Self.maximumBody { e.add("body", "error.text.long", [String(Self.maximumBody)]) }
        let attendees = try await EventRegistration.query(on: req.db).filter(\.$event.$id == row.requireID())
            .filter(\.$session == "").filter(\.$status == EventSeats.Status.registered.rawValue).with(\.$user).all()
        if e.isEmpty && attendees.isEmpty { e.add("body", "error.event.noAttendees") }
        guard e.isEmpty else {
            return EventViews.followUp(req.page(), try await Self.followUpPage(req, row, event, values: fields, errors: e),
                                       status: .unprocessableEntity)
        }
        let link = req.application.publicURL + SiteURL.event(row.slug).path
        try await req.db.transaction { tx in
            let mailer = Mailer(db: tx, logger: req.logger)
            for r in attendees { try await mailer.send(to: r.user.email, subject: subject, body: "\(body)\n\n\(link)") }
            let m = EventMessage()
            m.$event.id = try row.requireID(); m.$user.id = req.currentUser?.id; m.subject = subject; m.body = body
            m.recipients = attendees.count
            try await m.create(on: tx)
        }
        let response = req.redirect(to: SiteURL.eventFollowUp(row.slug).path, redirectType: .normal)
        Flash.set("flash.followUpSent", on: response)
        return response
    }

    static let maximumMaterials = 50

    @Sendable func addMaterial(req: Request) async throws -> Response {
        let (row, event, s) = try await Self.loadSession(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let fields = try req.content.decode([String: String].self)
        var e = FieldErrors()
        let kind = Event.Material.Kind(rawValue: fields["kind"] ?? "")
        if kind == nil { e.add("kind", "error.choice.unknown") }
        let title = (fields["title"] ?? "").trimmingWhitespace(), url = (fields["url"] ?? "").trimmingWhitespace()
        if title.isEmpty { e.add("title", "error.knowledge.required") } else if title.count > 200 { e.add("title", "error.text.long", ["200"]) }
        if !EventLoader.isWebAddress(url) { e.add("url", "error.event.address") }
        let practice = (fields["practice"] ?? "").trimmingWhitespace()
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        if !practice.isEmpty && snapshot.bySlug[practice] == nil { e.add("practice", "error.choice.unknown") }
        if s.materials.count >= Self.maximumMaterials { e.add("title", "error.event.tooManyMaterials", [String(Self.maximumMaterials)]) }
        guard e.isEmpty, let kind else {
            return EventViews.session(req.page(), try await Self.sessionPage(req, row, event, s, errors: e, values: fields),
                                      status: .unprocessableEntity)
        }
        var changed = event
        if let i = changed.sessions.firstIndex(where: { $0.id == s.id }) {
            changed.sessions[i].materials.append(Event.Material(kind: kind, title: title, url: url))
            if !practice.isEmpty && !changed.sessions[i].practices.contains(practice) { changed.sessions[i].practices.append(practice) }
        }
        row.content = try ContentJSON.encode(changed)
        try await row.save(on: req.db)
        let response = req.redirect(to: SiteURL.session(row.slug, s.id).path + "#materials", redirectType: .normal)
        Flash.set("flash.materialAdded", on: response)
        return response
    }

    @Sendable func removeMaterial(req: Request) async throws -> Response {
        let (row, event, s) = try await Self.loadSession(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let fields = try req.content.decode([String: String].self)
        guard let index = Int(fields["index"] ?? ""), s.materials.indices.contains(index) else {
            throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["index"])
        }
        var changed = event
        if let i = changed.sessions.firstIndex(where: { $0.id == s.id }) { changed.sessions[i].materials.remove(at: index) }
        row.content = try ContentJSON.encode(changed)
        try await row.save(on: req.db)
        let response = req.redirect(to: SiteURL.session(row.slug, s.id).path + "#materials", redirectType: .normal)
        Flash.set("flash.materialRemoved", on: response)
        return response
    }

    // MARK: writing events

    /// The organisations a person may put events on the platform for.
    static func owners(_ req: Request) async throws -> [Organisation] { try await KnowledgeController.owners(req) }

    @Sendable func newForm(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        let owners = try await Self.owners(req)
        guard !owners.isEmpty || KnowledgePermissions.isLibraryEditor(req.actor) else { throw Abort(.forbidden) }
        return EventViews.documentForm(req.page(), .init(row: nil, owners: owners, platform: KnowledgePermissions.isLibraryEditor(req.actor),
                                                         owner: owners.first.map { String($0.id ?? 0) } ?? "", text: EventExport.template))
    }

    /// The owner field: an organisation's id, or "" for the platform's own (library editors).
    static func owner(_ fields: [String: String]) -> Int?? {
        let s = fields["owner"] ?? ""
        if s.isEmpty { return .some(nil) }
        return Int(s).map { .some($0) } ?? nil
    }

    struct DocumentForm: Content { var owner: String?; var json: String?; var file: File? }

    @Sendable func create(req: Request) async throws -> Response {
        guard req.currentUser != nil else { throw Abort(.unauthorized) }
        let form = try req.content.decode(DocumentForm.self)
        let owners = try await Self.owners(req)
        let platform = KnowledgePermissions.isLibraryEditor(req.actor)
        func again(_ problems: [String]) -> Response {
            EventViews.documentForm(req.page(), .init(row: nil, owners: owners, platform: platform, owner: form.owner ?? "",
                                                      text: form.json ?? "", problems: problems), status: .unprocessableEntity)
        }
        guard let owner = Self.owner(["owner": form.owner ?? ""]) else { return again([req.t("error.choice.unknown")]) }
        try Self.authorize(req, .createEvent(owner: owner))
        let doc = UploadedDocument(file: form.file, pasted: form.json)
        if let slug = try? JSONDecoder().decode([String: LooseValue].self, from: doc.data)["id"]?.text, Self.reservedSlugs.contains(slug) {
            return again([req.t("error.event.reserved", slug)])
        }
        switch try await EventUseCases.create(doc.data, file: doc.name, owner: owner, on: req.db) {
        case .failure(let p): return again(Self.describe(p, req.t))
        case .success(let row):
            let response = req.redirect(to: SiteURL.event(row.slug).path, redirectType: .normal)
            Flash.set("flash.eventCreated", on: response)
            return response
        }
    }

    static func describe(_ p: EventUseCases.SaveProblem, _ t: Translator) -> [String] {
        switch p {
        case .invalid(let problems): return problems.errors.map { "\($0.path.isEmpty ? "" : $0.path + ": ")\($0.problem)" }
        case .taken(let slug): return [t("error.event.taken", slug)]
        case .changedAddress: return [t("error.event.changedAddress")]
        }
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let (row, _) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        return EventViews.documentForm(req.page(), .init(row: row, owners: [], platform: false, owner: "", text: EventExport.pretty(row.content)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (row, _) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let form = try req.content.decode(DocumentForm.self)
        let doc = UploadedDocument(file: form.file, pasted: form.json)
        switch try await EventUseCases.replace(row, doc.data, file: doc.name, on: req.db) {
        case .failure(let p):
            return EventViews.documentForm(req.page(), .init(row: row, owners: [], platform: false, owner: "", text: form.json ?? "",
                                                             problems: Self.describe(p, req.t)), status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.event(row.slug).path, redirectType: .normal)
            Flash.set("flash.eventSaved", on: response)
            return response
        }
    }

    @Sendable func move(req: Request) async throws -> Response {
        let (row, _) = try await Self.load(req)
        try Self.authorize(req, .manageEvent(owner: row.$owner.id))
        let fields = try req.content.decode([String: String].self)
        guard let to = EventStatus(rawValue: fields["to"] ?? ""), to != row.eventStatus else {
            throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["to"])
        }
        row.status = to.rawValue
        try await row.save(on: req.db)
        let response = req.redirect(to: SiteURL.event(row.slug).path, redirectType: .normal)
        Flash.set("flash.eventMoved", on: response)
        return response
    }

    // MARK: agenda and exports

    @Sendable func agenda(req: Request) async throws -> Response {
        guard let id = req.currentUser?.id else { throw Abort(.unauthorized) }
        let items = try await EventUseCases.agenda(userID: id, on: req.db)
        return EventViews.agenda(req.page(), .init(items: items, hasFeed: try await EventUseCases.hasFeed(userID: id, on: req.db)))
    }

    @Sendable func renewFeed(req: Request) async throws -> Response {
        guard let id = req.currentUser?.id else { throw Abort(.unauthorized) }
        let token = try await EventUseCases.renewFeed(userID: id, on: req.db)
        let items = try await EventUseCases.agenda(userID: id, on: req.db)
        return EventViews.agenda(req.page(), .init(items: items, hasFeed: true,
                                                   newFeed: req.application.publicURL + SiteURL.agendaFeed(token).path))
    }

    static func calendarResponse(_ text: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(name).ics\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    @Sendable func agendaFeed(req: Request) async throws -> Response {
        guard let userID = try await EventUseCases.feedOwner(req.parameters.get("token") ?? "", on: req.db) else {
            throw Abort(.notFound)
        }
        let items = try await EventUseCases.agenda(userID: userID, on: req.db)
        let cal = EventExport.agendaCalendar(items, base: req.application.publicURL, t: req.t)
        return Self.calendarResponse(cal, name: "agenda")
    }

    @Sendable func eventCalendar(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        let lang = req.language.rawValue, base = req.application.publicURL
        let cal = ICalendar(name: event.title(lang), items: event.orderedSessions.map {
            EventExport.item(event, row: row, session: $0, base: base, language: lang)
        }, stamp: row.updatedAt ?? Date())
        return Self.calendarResponse(cal.text, name: row.slug)
    }

    @Sendable func sessionCalendar(req: Request) async throws -> Response {
        let (row, event, s) = try await Self.loadSession(req)
        let lang = req.language.rawValue
        let cal = ICalendar(name: event.title(lang), items: [EventExport.item(event, row: row, session: s, base: req.application.publicURL,
                                                                               language: lang)], stamp: row.updatedAt ?? Date())
        return Self.calendarResponse(cal.text, name: "\(row.slug)-\(s.id)")
    }

    @Sendable func frabXML(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        return Response(status: .ok, headers: headers,
                        body: .init(string: FrabSchedule(event, base: req.application.publicURL, slug: row.slug,
                                                         language: req.language.rawValue, version: Self.version(row)).xml))
    }

    @Sendable func frabJSON(req: Request) async throws -> Response {
        let (row, event) = try await Self.load(req)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers,
                        body: .init(string: FrabSchedule(event, base: req.application.publicURL, slug: row.slug,
                                                         language: req.language.rawValue, version: Self.version(row)).json))
    }

    /// The schedule's version: when it last changed.
    static func version(_ row: EventRow) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: row.updatedAt ?? row.createdAt ?? Date(timeIntervalSince1970: 0))
    }
}

/// A JSON value read only to look at one key (an uploaded document's `id`) before the document is checked.
enum LooseValue: Decodable {
    case text(String), other
    init(from decoder: any Decoder) throws {
        if let s = try? decoder.singleValueContainer().decode(String.self) { self = .text(s) } else { self = .other }
    }
    var text: String? { if case .text(let s) = self { return s } else { return nil } }
}
