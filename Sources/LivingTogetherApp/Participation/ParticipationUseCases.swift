import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// What the participation pages and API do with activities, registrations, attendance and access: one place per rule.
enum ParticipationUseCases {
    // MARK: activities

    /// Stores a new activity or a changed one (the organiser and municipality checked by the caller). A capacity
    /// lower than the places already held is refused, naming how many hold one.
    static func save(
        _ activity: Activity, row existing: ActivityRow?, organiser: Int, municipality: Int, published: Bool,
        on db: any Database
    ) async throws -> Result<ActivityRow, FieldErrors> {
        if let existing, let capacity = activity.capacity {
            let taken = try await ActivityRegistration.query(on: db).filter(\.$activity.$id == existing.requireID())
                .filter(\.$status == EventSeats.Status.registered.rawValue).count()
            if taken > capacity {
                var e = FieldErrors()
                e.add("capacity", "error.participation.capacityTaken", [String(taken)])
                return .failure(e)
            }
        }
        let row = existing ?? ActivityRow()
        var stored = activity
        stored.id = row.id.map(String.init) ?? ""
        row.$organiser.id = organiser
        row.$municipality.id = municipality
        row.category = activity.category.rawValue
        row.level = activity.level?.rawValue ?? ""
        row.published = published
        row.content = try ContentJSON.encode(stored)
        try await db.transaction { tx in
            try await row.save(on: tx)
            try await ParticipationStore.bump(on: tx)
        }
        return .success(row)
    }

    // MARK: registration

    enum RegistrationOutcome: Equatable {
        case registered, waiting(position: Int), already(EventSeats.Status)
        /// The activity is full and the person did not ask for the waiting list: nothing stored.
        case full(capacity: Int)
    }

    /// Locks the activity's row on PostgreSQL so that two registrations do not both take the last place.
    static func lock(_ row: ActivityRow, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name.lowercased().contains("postgres"), let id = row.id
        else {
            return
        }
        try await sql.raw("SELECT id FROM activities WHERE id = \(bind: id) FOR UPDATE").run()
    }

    /// Registers a person who consented: a place while there is one and nobody waits; when it is full, the waiting
    /// list only if they asked for it.
    static func register(
        _ row: ActivityRow, userID: Int, waitingList: Bool = true, on db: any Database
    ) async throws
        -> RegistrationOutcome
    {
        let activity = try row.activity()
        return try await db.transaction { tx in
            try await lock(row, on: tx)
            let all = try await ActivityRegistration.query(on: tx).filter(\.$activity.$id == row.requireID())
                .filter(\.$status != EventSeats.Status.cancelled.rawValue).sort(\.$requestedAt).sort(\.$id).all()
            if let mine = all.first(where: { $0.$user.id == userID }) { return .already(mine.seatStatus) }
            let waiting = all.filter { $0.seatStatus == .waiting }.count
            let status = EventSeats.status(
                capacity: activity.capacity, taken: all.filter { $0.seatStatus == .registered }.count,
                waiting: waiting)
            if status == .waiting && !waitingList { return .full(capacity: activity.capacity ?? 0) }
            try await consent(userID: userID, on: tx)
            let reg =
                try await ActivityRegistration.query(on: tx).filter(\.$activity.$id == row.requireID())
                .filter(\.$user.$id == userID).first() ?? ActivityRegistration()
            reg.$activity.id = try row.requireID()
            reg.$user.id = userID
            reg.status = status.rawValue
            reg.requestedAt = Date()
            try await reg.save(on: tx)
            return status == .waiting ? .waiting(position: waiting + 1) : .registered
        }
    }

    /// Records the person's consent once (the registration form asks for it).
    static func consent(userID: Int, on db: any Database) async throws {
        guard try await ParticipationConsent.query(on: db).filter(\.$user.$id == userID).first() == nil else { return }
        let c = ParticipationConsent()
        c.$user.id = userID
        c.consentedAt = Date()
        try await c.create(on: db)
    }

    static func hasConsented(userID: Int, on db: any Database) async throws -> Bool {
        try await ParticipationConsent.query(on: db).filter(\.$user.$id == userID).first() != nil
    }

    /// Cancels a person's place (or their place on the waiting list); the first who waits gets a freed place.
    /// Returns whether there was something to cancel.
    static func cancel(_ row: ActivityRow, userID: Int, on db: any Database) async throws -> Bool {
        let activity = try row.activity()
        return try await db.transaction { tx in
            try await lock(row, on: tx)
            let all = try await ActivityRegistration.query(on: tx).filter(\.$activity.$id == row.requireID())
                .filter(\.$status != EventSeats.Status.cancelled.rawValue).sort(\.$requestedAt).sort(\.$id).all()
            guard let mine = all.first(where: { $0.$user.id == userID }) else { return false }
            mine.status = EventSeats.Status.cancelled.rawValue
            try await mine.save(on: tx)
            let rest = all.filter { $0.id != mine.id }
            let taken = rest.filter { $0.seatStatus == .registered }.count
            let waiting = rest.filter { $0.seatStatus == .waiting }
            for r in EventSeats.promoted(capacity: activity.capacity, taken: taken, waitingInOrder: waiting) {
                r.status = EventSeats.Status.registered.rawValue
                try await r.save(on: tx)
            }
            return true
        }
    }

    struct Seats {
        var registered = 0
        var waiting = 0
    }

    /// Places held and people waiting, per activity.
    static func seats(_ activityIDs: [Int], on db: any Database) async throws -> [Int: Seats] {
        guard !activityIDs.isEmpty else { return [:] }
        var out: [Int: Seats] = [:]
        for chunk in activityIDs.chunked(into: 500) {
            let regs = try await ActivityRegistration.query(on: db).filter(\.$activity.$id ~~ chunk)
                .filter(\.$status != EventSeats.Status.cancelled.rawValue).field(\.$activity.$id).field(\.$status).all()
            for r in regs {
                if r.seatStatus == .registered { out[r.$activity.id, default: Seats()].registered += 1 }
                if r.seatStatus == .waiting { out[r.$activity.id, default: Seats()].waiting += 1 }
            }
        }
        return out
    }

    // MARK: attendance

    /// One date's attendance as the organiser records it: per registered person, present with minutes or absent.
    /// Every line is checked before anything is stored; the problems are keyed by the person's id.
    static func recordAttendance(
        _ row: ActivityRow, day: Day, lines: [(userID: Int, present: Bool, minutes: Int)],
        by recorder: Int?, today: Day = .today, on db: any Database
    ) async throws
        -> Result<Int, ParticipationHours.Problems>
    {
        let activity = try row.activity()
        var problems: [Int: ParticipationHours.Problem] = [:]
        for l in lines {
            if let p = ParticipationHours.check(l.present ? l.minutes : 0, on: day, activity: activity, today: today) {
                problems[l.userID] = p
            }
        }
        let registered = Set(
            try await ActivityRegistration.query(on: db).filter(\.$activity.$id == row.requireID())
                .filter(\.$status == EventSeats.Status.registered.rawValue).all().map(\.$user.id))
        for l in lines where !registered.contains(l.userID) { problems[l.userID] = .notRegistered }
        guard problems.isEmpty else { return .failure(ParticipationHours.Problems(problems)) }
        try await db.transaction { tx in
            for l in lines {
                let existing = try await AttendanceRow.query(on: tx).filter(\.$activity.$id == row.requireID())
                    .filter(\.$user.$id == l.userID).filter(\.$day == day.description).first()
                let a = existing ?? AttendanceRow()
                a.$activity.id = try row.requireID()
                a.$user.id = l.userID
                a.day = day.description
                a.present = l.present
                a.minutes = l.present ? l.minutes : 0
                a.$recordedBy.id = recorder
                try await a.save(on: tx)
            }
        }
        return .success(lines.count)
    }

    /// The message key and arguments of an attendance problem.
    static func describe(_ p: ParticipationHours.Problem, day: Day) -> (key: String, arguments: [String]) {
        switch p {
        case .notADateOfTheActivity: return ("error.participation.notOnDate", [day.description])
        case .beyondDuration(let maximum): return ("error.participation.beyondDuration", [String(maximum)])
        case .negative: return ("error.participation.negative", [])
        case .future: return ("error.participation.future", [day.description])
        case .notRegistered: return ("error.participation.notRegistered", [])
        }
    }

    // MARK: a person's hours

    /// Whose hours a page shows: the signed-in person (as the session read them), or one a counsellor follows.
    struct Person {
        var id: Int
        var name: String
        var email: String
    }

    struct PersonRecord {
        var activityID: Int
        var activity: Activity
        var organiser: String
        var day: Day
        var minutes: Int
        var present: Bool
    }

    /// Everything recorded for a person, newest date first, with the activities' organisers.
    static func records(userID: Int, on db: any Database) async throws -> [PersonRecord] {
        try await records(userIDs: [userID], on: db)[userID] ?? []
    }

    /// The records of several people, by person, read in one query.
    static func records(userIDs: [Int], on db: any Database) async throws -> [Int: [PersonRecord]] {
        guard !userIDs.isEmpty else { return [:] }
        let rows = try await AttendanceRow.query(on: db).filter(\.$user.$id ~~ userIDs).with(\.$activity) {
            $0.with(\.$organiser)
        }
        .all()
        var out: [Int: [PersonRecord]] = [:]
        for r in rows {
            guard let a = try? r.activity.activity(), let d = Day(r.day), let id = r.activity.id else { continue }
            out[r.$user.id, default: []].append(PersonRecord(
                activityID: id, activity: a, organiser: r.activity.organiser.name, day: d, minutes: r.minutes,
                present: r.present))
        }
        return out.mapValues { $0.sorted { $0.day != $1.day ? $0.day > $1.day : $0.activityID < $1.activityID } }
    }

    static func progress(_ records: [PersonRecord], requiredHours: Int) -> ParticipationHours.Progress {
        ParticipationHours.progress(
            records.map {
                ($0.activity, Attendance(day: $0.day, minutes: $0.minutes, present: $0.present))
            }, requiredHours: requiredHours)
    }

    /// A person's progress towards the required hours, from everything recorded for them.
    static func progress(
        userID: Int, requiredHours: Int = ParticipationHours.defaultRequiredHours, on db: any Database
    )
        async throws -> ParticipationHours.Progress
    {
        progress(try await records(userID: userID, on: db), requiredHours: requiredHours)
    }

    /// A person's registrations that are not cancelled, with their activities.
    static func registrations(
        userID: Int, on db: any Database
    ) async throws -> [(ActivityRegistration, ActivityRow, Activity)] {
        let regs = try await ActivityRegistration.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$status != EventSeats.Status.cancelled.rawValue).with(\.$activity).sort(\.$requestedAt).all()
        return regs.compactMap { r in (try? r.activity.activity()).map { (r, r.activity, $0) } }
    }

    // MARK: counsellors

    /// Gives a counsellor (a member of an integration agency, named by e-mail) access to the person's progress.
    static func grant(
        participant: Int, counsellorEmail: String, on db: any Database
    ) async throws
        -> Result<User, FieldErrors>
    {
        let email = counsellorEmail.trimmingWhitespace().lowercased()
        func fail(_ key: String) -> Result<User, FieldErrors> {
            var e = FieldErrors()
            e.add("email", key)
            return .failure(e)
        }
        guard !email.isEmpty else { return fail("error.participation.counsellorEmail") }
        guard let user = try await User.query(on: db).filter(\.$email == email).first(), let uid = user.id else {
            return fail("error.participation.counsellorUnknown")
        }
        guard uid != participant else { return fail("error.participation.counsellorSelf") }
        let agencies = try await Membership.query(on: db).filter(\.$user.$id == uid).with(\.$organisation).all()
            .filter { $0.organisation.kind == OrganisationKind.agency.rawValue }
        guard !agencies.isEmpty else { return fail("error.participation.counsellorNotAgency") }
        if try await ParticipationAccess.query(on: db).filter(\.$participant.$id == participant)
            .filter(\.$counsellor.$id == uid).first() == nil
        {
            let a = ParticipationAccess()
            a.$participant.id = participant
            a.$counsellor.id = uid
            a.grantedAt = Date()
            try await a.create(on: db)
        }
        return .success(user)
    }

    static func revoke(participant: Int, accessID: Int, on db: any Database) async throws -> Bool {
        guard
            let a = try await ParticipationAccess.query(on: db).filter(\.$id == accessID)
                .filter(\.$participant.$id == participant).first()
        else { return false }
        try await a.delete(on: db)
        return true
    }

    static func hasAccess(counsellor: Int, participant: Int, on db: any Database) async throws -> Bool {
        try await ParticipationAccess.query(on: db).filter(\.$participant.$id == participant)
            .filter(\.$counsellor.$id == counsellor).first() != nil
    }

    /// The people who gave a counsellor access, with their progress.
    static func people(
        counsellor: Int, requiredHours: Int, on db: any Database
    ) async throws
        -> [(user: User, progress: ParticipationHours.Progress, since: Date)]
    {
        let grants = try await ParticipationAccess.query(on: db).filter(\.$counsellor.$id == counsellor).with(
            \.$participant
        )
        .all()
        let records = try await records(userIDs: grants.map(\.$participant.id), on: db)
        let out = grants.map { g in
            (g.participant, progress(records[g.$participant.id] ?? [], requiredHours: requiredHours), g.grantedAt)
        }
        return out.sorted { $0.0.name.localizedCaseInsensitiveCompare($1.0.name) == .orderedAscending }
    }

    // MARK: export and erasure

    struct Export: Content {
        struct Registration: Content {
            var activity: Int
            var title: LocalizedText
            var status: String
            var requested_at: Date
        }
        struct Line: Content {
            var activity: Int
            var title: LocalizedText
            var day: String
            var minutes: Int
            var present: Bool
        }
        struct Access: Content {
            var counsellor: String
            var email: String
            var granted_at: Date
        }
        var name: String
        var email: String
        var consented_at: Date?
        var required_hours: Int
        var counted_minutes: Int
        var registrations: [Registration]
        var attendance: [Line]
        var counsellors: [Access]
    }

    /// Everything the participation programme holds about a person.
    static func export(_ user: Person, requiredHours: Int, on db: any Database) async throws -> Export {
        let uid = user.id
        let records = try await records(userID: uid, on: db)
        let regs = try await ActivityRegistration.query(on: db).filter(\.$user.$id == uid).with(\.$activity).all()
        let access = try await ParticipationAccess.query(on: db).filter(\.$participant.$id == uid).with(\.$counsellor)
            .all()
        let consent = try await ParticipationConsent.query(on: db).filter(\.$user.$id == uid).first()
        return Export(
            name: user.name, email: user.email, consented_at: consent?.consentedAt, required_hours: requiredHours,
            counted_minutes: progress(records, requiredHours: requiredHours).countedMinutes,
            registrations: regs.compactMap { r in
                (try? r.activity.activity()).map {
                    .init(activity: r.$activity.id, title: $0.title, status: r.status, requested_at: r.requestedAt)
                }
            },
            attendance: records.map {
                .init(
                    activity: $0.activityID, title: $0.activity.title, day: $0.day.description,
                    minutes: $0.minutes, present: $0.present)
            },
            counsellors: access.map {
                .init(counsellor: $0.counsellor.name, email: $0.counsellor.email, granted_at: $0.grantedAt)
            })
    }

    /// Erases a person's part in the programme: registrations (a freed place goes to the first who waits),
    /// attendance, counsellors' access and consent. Their account stays.
    static func erase(userID: Int, on db: any Database) async throws {
        let regs = try await ActivityRegistration.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$status != EventSeats.Status.cancelled.rawValue).with(\.$activity).all()
        for r in regs { _ = try await cancel(r.activity, userID: userID, on: db) }
        try await db.transaction { tx in
            try await AttendanceRow.query(on: tx).filter(\.$user.$id == userID).delete()
            try await ActivityRegistration.query(on: tx).filter(\.$user.$id == userID).delete()
            try await ParticipationAccess.query(on: tx).filter(\.$participant.$id == userID).delete()
            try await ParticipationConsent.query(on: tx).filter(\.$user.$id == userID).delete()
        }
    }

    // MARK: figures

    /// The figures of activities (their rows), small numbers hidden.
    static func figures(_ rows: [ActivityRow], on db: any Database) async throws -> ParticipationFigures.Summary {
        let ids = rows.compactMap(\.id)
        let seats = try await seats(ids, on: db)
        var records: [ParticipationFigures.Record] = []
        for chunk in ids.chunked(into: 500) {
            let lines = try await AttendanceRow.query(on: db).filter(\.$activity.$id ~~ chunk).all()
            records += lines.map {
                .init(activity: $0.$activity.id, person: $0.$user.id, minutes: $0.minutes, present: $0.present)
            }
        }
        return ParticipationFigures.summary(
            activities: rows.compactMap { r in r.id.map { (id: $0, level: CEFRLevel(rawValue: r.level)) } },
            registered: seats.mapValues(\.registered), waiting: seats.mapValues(\.waiting), records: records)
    }

    /// The figures as CSV: one line per activity, then one per level and the total; hidden cells are empty with a note.
    static func figuresCSV(_ s: ParticipationFigures.Summary, titles: [Int: String], t: Translator) -> String {
        func cell(_ v: Int?) -> String { v.map(String.init) ?? "<5" }
        func hours(_ c: ParticipationFigures.Cell) -> String { c.hours.map { String(format: "%.1f", $0) } ?? "" }
        var lines = [
            CSV.line(["kind", "id", "title", "level", "registered", "waiting", "participants", "hours", "no_shows"])
        ]
        for a in s.activities {
            lines.append(
                CSV.line([
                    "activity", String(a.activity), titles[a.activity] ?? "", a.level?.label ?? "",
                    cell(a.registered), cell(a.waiting), cell(a.attended.people), hours(a.attended),
                    cell(a.noShows),
                ]))
        }
        for l in s.byLevel {
            lines.append(
                CSV.line([
                    "level", "", "", l.level?.label ?? t("participation.level.none"), "", "",
                    cell(l.attended.people), hours(l.attended), "",
                ]))
        }
        lines.append(CSV.line(["total", "", "", "", "", "", cell(s.total.people), hours(s.total), ""]))
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension ActivityRow {
    func requireID() throws -> Int {
        guard let id else { throw Abort(.internalServerError, reason: "activity without id") }
        return id
    }
}
