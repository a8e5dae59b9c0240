import Fluent
import LivingTogetherCore
import Vapor

/// What the participation pages and API will do with activities, registrations and attendance: one place per rule.
enum ParticipationUseCases {
    /// Registers a person: a place while there is one and nobody waits, else the waiting list.
    static func register(_ row: ActivityRow, userID: Int, on db: any Database) async throws -> EventSeats.Status {
        let activity = try row.activity()
        return try await db.transaction { tx in
            let all = try await ActivityRegistration.query(on: tx).filter(\.$activity.$id == row.requireID())
                .filter(\.$status != EventSeats.Status.cancelled.rawValue).all()
            if let mine = all.first(where: { $0.$user.id == userID }) { return mine.seatStatus }
            let status = EventSeats.status(capacity: activity.capacity, taken: all.filter { $0.seatStatus == .registered }.count,
                                           waiting: all.filter { $0.seatStatus == .waiting }.count)
            let reg = try await ActivityRegistration.query(on: tx).filter(\.$activity.$id == row.requireID())
                .filter(\.$user.$id == userID).first() ?? ActivityRegistration()
            reg.$activity.id = try row.requireID(); reg.$user.id = userID; reg.status = status.rawValue; reg.requestedAt = Date()
            try await reg.save(on: tx)
            return status
        }
    }

    /// One date's attendance as the organiser records it: per registered person, present with minutes or absent.
    /// Every line is checked before anything is stored; the problems are keyed by the person's id.
    static func recordAttendance(_ row: ActivityRow, day: Day, lines: [(userID: Int, present: Bool, minutes: Int)],
                                 by recorder: Int?, today: Day = .today, on db: any Database) async throws
        -> Result<Int, ParticipationHours.Problems> {
        let activity = try row.activity()
        var problems: [Int: ParticipationHours.Problem] = [:]
        for l in lines {
            if let p = ParticipationHours.check(l.present ? l.minutes : 0, on: day, activity: activity, today: today) {
                problems[l.userID] = p
            }
        }
        let registered = Set(try await ActivityRegistration.query(on: db).filter(\.$activity.$id == row.requireID())
            .filter(\.$status == EventSeats.Status.registered.rawValue).all().map(\.$user.id))
        for l in lines where !registered.contains(l.userID) { problems[l.userID] = .notRegistered }
        guard problems.isEmpty else { return .failure(ParticipationHours.Problems(problems)) }
        try await db.transaction { tx in
            for l in lines {
                let existing = try await AttendanceRow.query(on: tx).filter(\.$activity.$id == row.requireID())
                    .filter(\.$user.$id == l.userID).filter(\.$day == day.description).first()
                let a = existing ?? AttendanceRow()
                a.$activity.id = try row.requireID(); a.$user.id = l.userID; a.day = day.description
                a.present = l.present; a.minutes = l.present ? l.minutes : 0; a.$recordedBy.id = recorder
                try await a.save(on: tx)
            }
        }
        return .success(lines.count)
    }

    /// A person's progress towards the required hours, from everything recorded for them.
    static func progress(userID: Int, requiredHours: Int = ParticipationHours.defaultRequiredHours, on db: any Database)
        async throws -> ParticipationHours.Progress {
        let rows = try await AttendanceRow.query(on: db).filter(\.$user.$id == userID).with(\.$activity).all()
        let records = rows.compactMap { r -> (activity: Activity, attendance: Attendance)? in
            guard let a = try? r.activity.activity(), let d = Day(r.day) else { return nil }
            return (a, Attendance(day: d, minutes: r.minutes, present: r.present))
        }
        return ParticipationHours.progress(records, requiredHours: requiredHours)
    }
}

extension ActivityRow {
    func requireID() throws -> Int {
        guard let id else { throw Abort(.internalServerError, reason: "activity without id") }
        return id
    }
}
