import Fluent
import LivingTogetherCore
import Vapor

/// The participation pages: the public finder and each activity (with its calendar), registration with the waiting
/// list, the organiser's form, attendance and figures, a participant's hours with the proof, counsellors' access,
/// export and erasure, the counsellor's people and a municipality's figures. Who may use each is asked of
/// `ParticipationPermissions`.
struct ParticipationController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.participation, use: finder)
        routes.get(.participationManage, use: manage)
        routes.get(.activityNew, use: newForm)
        routes.post(.activityNew, use: create)
        routes.get(.activity(nil), use: show)
        routes.get(.activityEdit(nil), use: editForm)
        routes.post(.activityEdit(nil), use: update)
        routes.get(.activityCalendar(nil), use: calendar)
        routes.post(.activityRegister(nil), use: registerMe)
        routes.post(.activityCancel(nil), use: cancelMine)
        routes.get(.activityAttendance(nil), use: attendanceForm)
        routes.post(.activityAttendance(nil), use: recordAttendance)
        routes.get(.activityFigures(nil), use: activityFigures)
        routes.get(.activityFiguresCSV(nil), use: activityFiguresCSV)
        routes.get(.participationMunicipality(nil), use: municipalityFigures)
        routes.get(.participationMunicipalityCSV(nil), use: municipalityFiguresCSV)
        routes.get(.participationHours, use: hours)
        routes.get(.participationProof, use: proof)
        routes.get(.participationExport, use: export)
        routes.post(.participationErase, use: erase)
        routes.post(.participationAccess, use: grant)
        routes.post(.participationAccessRevoke(nil), use: revoke)
        routes.get(.participationPeople, use: people)
        routes.get(.participationPerson(nil), use: person)
    }

    static func authorize(_ req: Request, _ action: ParticipationPermissions.Action) throws {
        if ParticipationPermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }

    /// The signed-in person, as the session already read them (no query of its own).
    static func signedIn(_ req: Request) throws -> ParticipationUseCases.Person {
        guard let u = req.currentUser else { throw Abort(.unauthorized) }
        return .init(id: u.id, name: u.name, email: u.email)
    }

    static func redirect(_ req: Request, _ path: String, flash: String) -> Response {
        let response = req.redirect(to: path, redirectType: .normal)
        Flash.set(flash, on: response)
        return response
    }

    /// The activity at the address, for those who may read it.
    static func load(_ req: Request) async throws -> (ActivityRow, Activity) {
        let id = try req.intParameter("activityID")
        guard let row = try await ActivityRow.find(id, on: req.db) else { throw Abort(.notFound) }
        try authorize(req, .view(organiser: row.$organiser.id, published: row.published))
        guard var a = try? row.activity() else {
            throw Abort(.internalServerError, reason: "error.participation.unreadable")
        }
        a.id = String(id)
        return (row, a)
    }

    static func loadManaged(_ req: Request) async throws -> (ActivityRow, Activity) {
        let (row, a) = try await load(req)
        try authorize(req, .manage(organiser: row.$organiser.id))
        return (row, a)
    }

    static func requiredHours(_ req: Request) -> Int { req.application.settings.participationHours }

    // MARK: the finder

    /// Reads the finder's fields into a query; unreadable fields are named and left out of the search.
    static func query(
        _ fields: QueryFields, snapshot: ParticipationStore.Snapshot, on db: any Database
    ) async throws
        -> (query: ActivityQuery, errors: FieldErrors, place: String?, values: [String: String])
    {
        var e = FieldErrors()
        var values: [String: String] = [:]
        for name in ["place", "radius", "level", "category", "from", "to", "language"] {
            if let v = fields[name] { values[name] = String(v.prefix(200)) }
        }
        let today = Day.today
        var from = today
        var to: Day? = nil
        if let f = values["from"], !f.isEmpty { if let d = Day(f) { from = d } else { e.addUnreadableDate("from", f) } }
        if let s = values["to"], !s.isEmpty {
            if let d = Day(s) { to = d } else { e.addUnreadableDate("to", s) }
        }
        if let to, to < from { e.add("to", "error.participation.toBeforeFrom") }
        var level: CEFRLevel? = nil
        if let l = values["level"], !l.isEmpty {
            level = CEFRLevel(typed: l)
            if level == nil { e.add("level", "error.participation.level", [String(l.prefix(10))]) }
        }
        var category: ActivityCategory? = nil
        if let c = values["category"], !c.isEmpty {
            category = ActivityCategory(rawValue: c)
            if category == nil { e.add("category", "error.participation.category") }
        }
        var radius = 10.0
        if let r = values["radius"], !r.isEmpty {
            if let v = Double(r), v.isFinite, v >= 0 {
                radius = v
            } else {
                e.add("radius", "error.participation.radius")
            }
        }
        var language: String? = nil
        if let l = values["language"]?.lowercased(), !l.isEmpty {
            if ActivityInput.isLanguageCode(l) {
                language = l
            } else {
                e.add("language", "error.participation.language", [String(l.prefix(10))])
            }
        }
        var near: (latitude: Double, longitude: Double)? = nil
        var placeName: String? = nil
        if let typed = values["place"]?.trimmingWhitespace(), !typed.isEmpty {
            if let p = snapshot.place(typed) {
                near = (p.latitude, p.longitude)
                placeName = p.name
            } else if let m = try await OrganisationLookup.candidates(typed, kind: .municipality, limit: 1, on: db)
                .first,
                let lat = m.latitude, let lon = m.longitude
            {
                near = (lat, lon)
                placeName = m.name
            } else {
                e.add("place", "error.participation.place", [String(typed.prefix(60))])
            }
        }
        let page = fields.int("page") ?? 1
        e = e.ordered(["place", "radius", "level", "category", "from", "to", "language"])
        let q = ActivityQuery(
            near: near, radiusKm: radius, level: level, category: category, from: from,
            to: to.map { max($0, from) }, language: language, page: page, perPage: 20)
        return (q, e, placeName, values)
    }

    @Sendable func finder(req: Request) async throws -> Response {
        let snapshot = try await req.application.participation.snapshot(on: req.db)
        let (q, errors, placeName, values) = try await Self.query(req.queryFields, snapshot: snapshot, on: req.db)
        // A place that was not found would widen the search to everywhere: nothing is shown instead.
        let placeMissing = errors["place"] != nil
        let found = placeMissing ? (hits: [], total: 0) : snapshot.index.find(q)
        var page = ParticipationViews.FinderPage(
            values: values, errors: errors, hits: found.hits, total: found.total, query: q)
        page.placeName = placeName
        page.names = snapshot.names
        // Organisers are the editors and administrators of an organisation: known from the session, without a query.
        page.canOrganise = req.actor.roles.values.contains { $0 >= .editor }
        return ParticipationViews.finder(req.page(), page, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    // MARK: one activity

    static func activityPage(
        _ req: Request, _ row: ActivityRow, _ a: Activity, errors: FieldErrors = FieldErrors(),
        values: [String: String] = [:]
    ) async throws -> ParticipationViews.ActivityPage {
        let id = try row.requireID()
        let orgs = try await Organisation.query(on: req.db).filter(\.$id ~~ [row.$organiser.id, row.$municipality.id])
            .all()
        guard let organiser = orgs.first(where: { $0.id == row.$organiser.id }),
            let municipality = orgs.first(where: { $0.id == row.$municipality.id })
        else { throw Abort(.notFound) }
        let seats = try await ParticipationUseCases.seats([id], on: req.db)[id] ?? .init()
        var page = ParticipationViews.ActivityPage(
            row: row, activity: a, organiser: organiser, municipality: municipality,
            seats: seats, mine: nil,
            upcoming: a.schedule.days(from: .today, to: Day.today.adding(days: 366), limit: 6))
        page.canManage = ParticipationPermissions.allows(req.actor, .manage(organiser: row.$organiser.id))
        page.errors = errors
        page.values = values
        if let uid = req.currentUser?.id {
            page.mine = try await ActivityRegistration.query(on: req.db).filter(\.$activity.$id == id)
                .filter(\.$user.$id == uid).first()?.seatStatus
            page.consented = try await ParticipationUseCases.hasConsented(userID: uid, on: req.db)
        }
        if page.canManage {
            let regs = try await ActivityRegistration.query(on: req.db).filter(\.$activity.$id == id)
                .filter(\.$status != EventSeats.Status.cancelled.rawValue).with(\.$user).sort(\.$requestedAt).all()
            page.registrations = regs.map { ($0, $0.user) }
        }
        return page
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (row, a) = try await Self.load(req)
        return ParticipationViews.activity(req.page(), try await Self.activityPage(req, row, a))
    }

    @Sendable func calendar(req: Request) async throws -> Response {
        let (row, a) = try await Self.load(req)
        let lang = req.language.rawValue
        let base = req.application.publicURL
        let id = try row.requireID()
        let municipality = try await Organisation.find(row.$municipality.id, on: req.db)?.name ?? ""
        let host = base.split(separator: "/").dropFirst().first.map(String.init) ?? "livingtogether"
        let items = a.schedule.days(from: Day.today.adding(days: -31), to: Day.today.adding(days: 366), limit: 200)
            .compactMap { d -> ICalendar.Item? in
                guard let s = LocalDateTime.clockMinutes(a.schedule.start),
                    let e = LocalDateTime.clockMinutes(a.schedule.end),
                    let start = LocalDateTime(day: d, minute: s).date(in: "Europe/Brussels"),
                    let end = LocalDateTime(day: d, minute: e).date(in: "Europe/Brussels")
                else { return nil }
                return ICalendar.Item(
                    uid: "activity-\(id)-\(d)@\(host)", start: start, end: end, summary: a.title(lang),
                    description: a.easy(lang), location: "\(a.address), \(municipality)",
                    url: base + SiteURL.activity(id).path)
            }
        let cal = ICalendar(name: a.title(lang), items: items, stamp: row.updatedAt ?? Date())
        return EventController.calendarResponse(cal.text, name: "activity-\(id)")
    }

    // MARK: registration

    @Sendable func registerMe(req: Request) async throws -> Response {
        let (row, a) = try await Self.load(req)
        let user = try Self.signedIn(req)
        try Self.authorize(req, .takePart)
        guard row.published else { throw MessageError(status: .conflict, key: "error.participation.notPublished") }
        let fields = try req.content.decode([String: String].self)
        let uid = user.id
        var e = FieldErrors()
        let consented = try await ParticipationUseCases.hasConsented(userID: uid, on: req.db)
        if !consented && fields["consent"] != "yes" { e.add("consent", "error.participation.consent") }
        let waitingList = fields["waiting_list"] == "yes"
        if e.isEmpty {
            switch try await ParticipationUseCases.register(row, userID: uid, waitingList: waitingList, on: req.db) {
            case .registered:
                return Self.redirect(
                    req, SiteURL.activity(row.id).path + "#registration", flash: "flash.activityRegistered")
            case .waiting:
                return Self.redirect(
                    req, SiteURL.activity(row.id).path + "#registration", flash: "flash.activityWaiting")
            case .already:
                return Self.redirect(
                    req, SiteURL.activity(row.id).path + "#registration", flash: "flash.activityAlready")
            case .full(let capacity): e.add("waiting_list", "error.participation.full", [String(capacity)])
            }
        }
        return ParticipationViews.activity(
            req.page(), try await Self.activityPage(req, row, a, errors: e, values: fields),
            status: .unprocessableEntity)
    }

    @Sendable func cancelMine(req: Request) async throws -> Response {
        let (row, _) = try await Self.load(req)
        let user = try Self.signedIn(req)
        let done = try await ParticipationUseCases.cancel(row, userID: user.id, on: req.db)
        return Self.redirect(
            req, SiteURL.activity(row.id).path + "#registration",
            flash: done ? "flash.activityCancelled" : "flash.eventNothingToCancel")
    }

    // MARK: the organiser's form

    /// The organisations a person may put activities on for (editors and administrators).
    static func organisers(_ req: Request) async throws -> [Organisation] { try await KnowledgeController.owners(req) }

    @Sendable func manage(req: Request) async throws -> Response {
        _ = try Self.signedIn(req)
        let actor = req.actor
        let organisers = try await Self.organisers(req)
        var orgIDs = organisers.compactMap(\.id)
        if actor.isPlatformAdmin { orgIDs = [] }
        let rows =
            actor.isPlatformAdmin
            ? try await ActivityRow.query(on: req.db).sort(\.$id, .descending).limit(200).all()
            : try await ActivityRow.query(on: req.db).filter(\.$organiser.$id ~~ orgIDs).sort(\.$id, .descending).all()
        let seats = try await ParticipationUseCases.seats(rows.compactMap(\.id), on: req.db)
        let items = rows.compactMap { r -> (ActivityRow, Activity, ParticipationUseCases.Seats)? in
            guard let a = try? r.activity(), let id = r.id else { return nil }
            return (r, a, seats[id] ?? .init())
        }
        let memberOf = Array(actor.roles.keys)
        let municipalities =
            memberOf.isEmpty
            ? []
            : try await Organisation.query(on: req.db).filter(\.$id ~~ memberOf)
                .filter(\.$kind == OrganisationKind.municipality.rawValue).sort(\.$name).all()
        return ParticipationViews.manage(
            req.page(), .init(activities: items, organisers: organisers, municipalities: municipalities))
    }

    static func defaults() -> [String: String] {
        [
            "schedule": "weekly", "start": "14:00", "end": "16:00", "group": "yes", "dutch": "yes", "level": "none",
            "category": ActivityCategory.conversationTable.rawValue,
        ]
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        _ = try Self.signedIn(req)
        let organisers = try await Self.organisers(req)
        guard let first = organisers.first else { throw Abort(.forbidden) }
        var values = Self.defaults()
        values["organiser"] = String(first.id ?? 0)
        if first.kind == OrganisationKind.municipality.rawValue { values["municipality"] = first.name }
        return ParticipationViews.form(req.page(), .init(row: nil, organisers: organisers, values: values))
    }

    /// The organiser, municipality and activity of the form, or its problems.
    static func read(
        _ req: Request, _ fields: [String: String], organiser fixed: Int?
    ) async throws
        -> Result<(organiser: Int, municipality: Int, activity: Activity, published: Bool), FieldErrors>
    {
        var e = FieldErrors()
        var organiser = fixed
        if fixed == nil {
            if let id = Int(fields["organiser"] ?? "") {
                organiser = id
            } else {
                e.add("organiser", "error.choice.unknown")
            }
        }
        let typed = (fields["municipality"] ?? "").trimmingWhitespace()
        var municipality: Int? = nil
        if typed.isEmpty {
            e.add("municipality", "error.participation.required")
        } else if let m = try await OrganisationLookup.candidates(typed, kind: .municipality, limit: 1, on: req.db)
            .first
        {
            municipality = m.id
        } else {
            e.add("municipality", "error.participation.place", [String(typed.prefix(60))])
        }
        let read = ActivityInput.read(fields)
        if case .failure(let f) = read { e.add(f) }
        let published = fields["published"] == "yes"
        guard e.isEmpty, let organiser, let municipality, case .success(let a) = read else {
            return .failure(e.ordered(Self.formOrder))
        }
        return .success((organiser, municipality, a, published))
    }

    /// The form's fields in the order the page shows them (so that the error summary reads in the same order).
    static let formOrder = [
        "organiser", "municipality", "address", "title_en", "title_nl", "summary_en", "summary_nl", "easy_en",
        "easy_nl",
        "category", "level", "group", "dutch", "languages", "accessibility_en", "accessibility_nl", "capacity",
        "schedule",
        "start", "end", "weekday", "from", "until", "except", "dates", "published",
    ]

    @Sendable func create(req: Request) async throws -> Response {
        _ = try Self.signedIn(req)
        let fields = try req.content.decode([String: String].self)
        let organisers = try await Self.organisers(req)
        guard !organisers.isEmpty else { throw Abort(.forbidden) }
        func again(_ e: FieldErrors) -> Response {
            ParticipationViews.form(
                req.page(), .init(row: nil, organisers: organisers, values: fields, errors: e),
                status: .unprocessableEntity)
        }
        switch try await Self.read(req, fields, organiser: nil) {
        case .failure(let e): return again(e)
        case .success(let r):
            try Self.authorize(req, .create(organiser: r.organiser))
            switch try await ParticipationUseCases.save(
                r.activity, row: nil, organiser: r.organiser, municipality: r.municipality,
                published: r.published, on: req.db)
            {
            case .failure(let e): return again(e)
            case .success(let row):
                try await req.application.participation.update(row, on: req.db)
                return Self.redirect(req, SiteURL.activity(row.id).path, flash: "flash.activityCreated")
            }
        }
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let (row, a) = try await Self.loadManaged(req)
        var values = ActivityInput.fields(a)
        values["municipality"] = try await Organisation.find(row.$municipality.id, on: req.db)?.name ?? ""
        values["published"] = row.published ? "yes" : "no"
        return ParticipationViews.form(req.page(), .init(row: row, organisers: [], values: values))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (row, _) = try await Self.loadManaged(req)
        let fields = try req.content.decode([String: String].self)
        func again(_ e: FieldErrors) -> Response {
            ParticipationViews.form(
                req.page(), .init(row: row, organisers: [], values: fields, errors: e), status: .unprocessableEntity)
        }
        switch try await Self.read(req, fields, organiser: row.$organiser.id) {
        case .failure(let e): return again(e)
        case .success(let r):
            switch try await ParticipationUseCases.save(
                r.activity, row: row, organiser: r.organiser, municipality: r.municipality,
                published: r.published, on: req.db)
            {
            case .failure(let e): return again(e)
            case .success:
                try await req.application.participation.update(row, on: req.db)
                return Self.redirect(req, SiteURL.activity(row.id).path, flash: "flash.activitySaved")
            }
        }
    }

    // MARK: attendance

    /// The form for one date (`day`; nil: the latest date so far). A date the activity does not take place on shows
    /// no form (`dayIsWrong`), so that nothing is recorded on another date by mistake.
    static func attendancePage(
        _ req: Request, _ row: ActivityRow, _ a: Activity, day: Day?, dayIsWrong: Bool = false,
        values: [String: String] = [:], errors: FieldErrors = FieldErrors()
    ) async throws
        -> ParticipationViews.AttendancePage
    {
        let id = try row.requireID()
        let today = Day.today
        let dates = Array(a.schedule.days(from: today.adding(days: -120), to: today, limit: 1_000).reversed())
        let chosen = dayIsWrong ? nil : day ?? dates.first
        let regs = try await ActivityRegistration.query(on: req.db).filter(\.$activity.$id == id)
            .filter(\.$status == EventSeats.Status.registered.rawValue).with(\.$user).all()
        var lines: [Int: AttendanceRow] = [:]
        if let chosen {
            for l in try await AttendanceRow.query(on: req.db).filter(\.$activity.$id == id).filter(
                \.$day == chosen.description
            ).all() {
                lines[l.$user.id] = l
            }
        }
        let people = regs.map { (user: $0.user, line: lines[$0.$user.id]) }
            .sorted { $0.user.name.localizedCaseInsensitiveCompare($1.user.name) == .orderedAscending }
        return .init(row: row, activity: a, day: chosen, dates: dates, people: people, values: values, errors: errors)
    }

    @Sendable func attendanceForm(req: Request) async throws -> Response {
        let (row, a) = try await Self.loadManaged(req)
        var e = FieldErrors()
        var day: Day? = nil
        if let typed = req.queryFields["day"], !typed.isEmpty {
            if let d = Day(typed) {
                day = d
                if !a.schedule.takesPlace(on: d) { e.add("day", "error.participation.notADateOfIt", [d.description]) }
            } else {
                e.addUnreadableDate("day", String(typed.prefix(20)))
            }
        }
        let page = try await Self.attendancePage(req, row, a, day: day, dayIsWrong: !e.isEmpty, errors: e)
        return ParticipationViews.attendance(req.page(), page, status: e.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable func recordAttendance(req: Request) async throws -> Response {
        let (row, a) = try await Self.loadManaged(req)
        let fields = try req.content.decode([String: String].self)
        let typed = fields["day"] ?? ""
        guard let day = Day(typed) else {
            throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["day"])
        }
        let id = try row.requireID()
        let regs = try await ActivityRegistration.query(on: req.db).filter(\.$activity.$id == id)
            .filter(\.$status == EventSeats.Status.registered.rawValue).all()
        var e = FieldErrors()
        var lines: [(userID: Int, present: Bool, minutes: Int)] = []
        for r in regs {
            let uid = r.$user.id
            let present = fields["present_\(uid)"] == "yes"
            let text = (fields["minutes_\(uid)"] ?? "").trimmingWhitespace()
            var minutes = 0
            if present {
                if let m = Int(text), m >= 0 {
                    minutes = m
                } else {
                    e.add("minutes_\(uid)", "error.participation.minutes")
                }
            }
            lines.append((uid, present, minutes))
        }
        if e.isEmpty {
            switch try await ParticipationUseCases.recordAttendance(
                row, day: day, lines: lines, by: req.currentUser?.id, on: req.db)
            {
            case .success:
                return Self.redirect(
                    req, SiteURL.activityAttendance(row.id).path + "?day=\(day)", flash: "flash.attendanceRecorded")
            case .failure(let problems):
                for (uid, p) in problems.byPerson.sorted(by: { $0.key < $1.key }) {
                    let d = ParticipationUseCases.describe(p, day: day)
                    if p == .notADateOfTheActivity || p == .future {
                        e.add("day", d.key, d.arguments)
                    } else {
                        e.add("minutes_\(uid)", d.key, d.arguments)
                    }
                }
            }
        }
        let page = try await Self.attendancePage(
            req, row, a, day: day, dayIsWrong: e["day"] != nil, values: fields, errors: e)
        return ParticipationViews.attendance(req.page(), page, status: .unprocessableEntity)
    }

    // MARK: figures

    static func titles(_ rows: [ActivityRow], _ lang: String) -> [Int: String] {
        var out: [Int: String] = [:]
        for r in rows { if let id = r.id, let a = try? r.activity() { out[id] = a.title(lang) } }
        return out
    }

    /// A download of people's figures or data: not kept in any cache.
    static func privateDownload(_ text: String, type: HTTPMediaType, filename: String) -> Response {
        let response = Response.download(text, type: type, filename: filename)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func activityFigures(req: Request) async throws -> Response {
        let (row, a) = try await Self.loadManaged(req)
        let s = try await ParticipationUseCases.figures([row], on: req.db)
        let lang = req.language.rawValue
        let t = req.t
        return ParticipationViews.figures(
            req.page(),
            .init(
                title: t("participation.figuresOf", a.title(lang)),
                back: (SiteURL.activity(row.id).path, a.title(lang)),
                summary: s, titles: Self.titles([row], lang), csv: SiteURL.activityFiguresCSV(row.id).path))
    }

    @Sendable func activityFiguresCSV(req: Request) async throws -> Response {
        let (row, _) = try await Self.loadManaged(req)
        let s = try await ParticipationUseCases.figures([row], on: req.db)
        return Self.privateDownload(
            ParticipationUseCases.figuresCSV(s, titles: Self.titles([row], req.language.rawValue), t: req.t),
            type: .csvUTF8, filename: "activity-\(try row.requireID())-figures.csv")
    }

    static func municipality(_ req: Request) async throws -> (Organisation, [ActivityRow]) {
        let id = try req.intParameter("municipalityID")
        guard let m = try await Organisation.find(id, on: req.db), m.kind == OrganisationKind.municipality.rawValue
        else {
            throw Abort(.notFound)
        }
        try authorize(req, .municipalityFigures(municipality: id))
        let rows = try await ActivityRow.query(on: req.db).filter(\.$municipality.$id == id).sort(\.$id).all()
        return (m, rows)
    }

    @Sendable func municipalityFigures(req: Request) async throws -> Response {
        let (m, rows) = try await Self.municipality(req)
        let s = try await ParticipationUseCases.figures(rows, on: req.db)
        return ParticipationViews.figures(
            req.page(),
            .init(
                title: req.t("participation.municipalityFigures", m.name),
                back: (SiteURL.participationManage.path, req.t("participation.manageTitle")),
                summary: s, titles: Self.titles(rows, req.language.rawValue),
                csv: SiteURL.participationMunicipalityCSV(m.id).path))
    }

    @Sendable func municipalityFiguresCSV(req: Request) async throws -> Response {
        let (m, rows) = try await Self.municipality(req)
        let s = try await ParticipationUseCases.figures(rows, on: req.db)
        return Self.privateDownload(
            ParticipationUseCases.figuresCSV(s, titles: Self.titles(rows, req.language.rawValue), t: req.t),
            type: .csvUTF8, filename: "\(m.slug)-participation.csv")
    }

    // MARK: a participant's hours

    static func hoursPage(
        _ req: Request, _ user: ParticipationUseCases.Person, values: [String: String] = [:],
        errors: FieldErrors = FieldErrors()
    )
        async throws -> ParticipationViews.HoursPage
    {
        let uid = user.id
        let records = try await ParticipationUseCases.records(userID: uid, on: req.db)
        var page = ParticipationViews.HoursPage(
            user: user, records: records,
            progress: ParticipationUseCases.progress(records, requiredHours: requiredHours(req)))
        page.registrations = try await ParticipationUseCases.registrations(userID: uid, on: req.db)
        page.access = try await ParticipationAccess.query(on: req.db).filter(\.$participant.$id == uid).with(
            \.$counsellor
        ).all()
        page.values = values
        page.errors = errors
        return page
    }

    @Sendable func hours(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        try Self.authorize(req, .takePart)
        return ParticipationViews.hours(req.page(), try await Self.hoursPage(req, user))
    }

    @Sendable func proof(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        try Self.authorize(req, .takePart)
        return ParticipationViews.proof(req.page(), try await Self.hoursPage(req, user))
    }

    @Sendable func export(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        try Self.authorize(req, .takePart)
        let body = try await ParticipationUseCases.export(user, requiredHours: Self.requiredHours(req), on: req.db)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return Self.privateDownload(
            String(decoding: try e.encode(body), as: UTF8.self), type: .json,
            filename: "participation.json")
    }

    @Sendable func erase(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        try Self.authorize(req, .takePart)
        let fields = try req.content.decode([String: String].self)
        let word = req.t("participation.eraseWord")
        guard AccountRules.confirmsErasure(fields["confirm"] ?? "", word: word) else {
            var e = FieldErrors()
            e.add("confirm", "error.erase.confirm", [word])
            return ParticipationViews.hours(
                req.page(), try await Self.hoursPage(req, user, errors: e), status: .unprocessableEntity)
        }
        try await ParticipationUseCases.erase(userID: user.id, on: req.db)
        return Self.redirect(req, SiteURL.participationHours.path, flash: "flash.participationErased")
    }

    @Sendable func grant(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        try Self.authorize(req, .takePart)
        let fields = try req.content.decode([String: String].self)
        switch try await ParticipationUseCases.grant(
            participant: user.id, counsellorEmail: fields["email"] ?? "",
            on: req.db)
        {
        case .success:
            return Self.redirect(req, SiteURL.participationHours.path + "#h-counsellors", flash: "flash.accessGranted")
        case .failure(let e):
            return ParticipationViews.hours(
                req.page(), try await Self.hoursPage(req, user, values: fields, errors: e),
                status: .unprocessableEntity)
        }
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        let id = try req.intParameter("accessID")
        guard try await ParticipationUseCases.revoke(participant: user.id, accessID: id, on: req.db) else {
            throw Abort(.notFound)
        }
        return Self.redirect(req, SiteURL.participationHours.path + "#h-counsellors", flash: "flash.accessRevoked")
    }

    // MARK: the counsellor

    @Sendable func people(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        let list = try await ParticipationUseCases.people(
            counsellor: user.id, requiredHours: Self.requiredHours(req),
            on: req.db)
        return ParticipationViews.people(req.page(), .init(people: list))
    }

    @Sendable func person(req: Request) async throws -> Response {
        let user = try Self.signedIn(req)
        let id = try req.intParameter("personID")
        let granted = try await ParticipationUseCases.hasAccess(
            counsellor: user.id, participant: id, on: req.db)
        // Someone who gave no access is not there for this counsellor: the same answer as for nobody.
        guard granted, let person = try await User.find(id, on: req.db) else { throw Abort(.notFound) }
        try Self.authorize(req, .followPerson(granted: granted))
        var page = try await Self.hoursPage(req, .init(id: id, name: person.name, email: person.email))
        page.readOnly = true
        page.registrations = []
        page.access = []
        return ParticipationViews.hours(req.page(), page)
    }
}

extension ParticipationStore.Snapshot {
    /// A municipality with published activities, by the name typed (case and accents do not matter).
    func place(_ typed: String) -> ParticipationStore.Place? {
        placesByName[SearchText.fold(typed)]
    }
}
