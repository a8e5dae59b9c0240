import Fluent
import Foundation
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

@testable import LivingTogetherApp

extension AppTests {
    /// Participation's storage and rules (the pages come next): registration with a waiting list, attendance checked
    /// line by line with nothing stored when one is wrong, and a person's hours towards 40.
    @Suite struct Participation {
        static func text(_ s: String) -> LocalizedText { LocalizedText(["en": s, "nl": s]) }

        /// A weekly walk of two hours on Wednesdays in the first half of 2026, for `capacity` people.
        static func walk(_ app: Application, capacity: Int? = 2) async throws -> ActivityRow {
            let a = Activity(
                id: "walk", title: text("Walk and talk"), summary: text("A walk."), easy: text("We walk."),
                category: .conversationTable, level: .a2, inGroupOrDuo: true, dutchSpeakingContext: true,
                address: "Grote Markt 1", capacity: capacity,
                schedule: ActivitySchedule(
                    kind: .weekly, weekday: 3, from: "2026-01-05", until: "2026-06-30",
                    start: "14:00", end: "16:00"))
            let row = ActivityRow()
            row.$organiser.id = app.world.orgA
            row.$municipality.id = app.world.orgA
            row.category = a.category.rawValue
            row.level = a.level?.rawValue ?? ""
            row.published = true
            row.content = try ContentJSON.encode(a)
            try await row.create(on: app.db)
            return row
        }

        @Test func aFullActivityPutsTheNextPersonOnItsWaitingList() async throws {
            try await withTestApp { app in
                let row = try await Self.walk(app, capacity: 2)
                var outcomes: [ParticipationUseCases.RegistrationOutcome] = []
                for _ in 0..<3 {
                    outcomes.append(
                        try await ParticipationUseCases.register(row, userID: app.makeUser().user, on: app.db))
                }
                #expect(outcomes == [.registered, .registered, .waiting(position: 1)])
                #expect(try await ActivityRegistration.query(on: app.db).filter(\.$status == "waiting").count() == 1)
                // Someone who did not ask for the waiting list is told it is full, and nothing is stored for them.
                let late = try await app.makeUser().user
                #expect(
                    try await ParticipationUseCases.register(row, userID: late, waitingList: false, on: app.db)
                        == .full(capacity: 2))
                #expect(try await ActivityRegistration.query(on: app.db).filter(\.$user.$id == late).count() == 0)
            }
        }

        @Test func attendanceIsCheckedLineByLineAndNothingIsStoredWhenOneIsWrong() async throws {
            try await withTestApp { app in
                let row = try await Self.walk(app, capacity: nil)
                let ann = try await app.makeUser().user
                let bob = try await app.makeUser().user
                let stranger = try await app.makeUser().user
                _ = try await ParticipationUseCases.register(row, userID: ann, on: app.db)
                _ = try await ParticipationUseCases.register(row, userID: bob, on: app.db)
                let wednesday = Day(2026, 1, 7)
                let today = Day(2026, 12, 1)
                let beyond = try await ParticipationUseCases.recordAttendance(
                    row, day: wednesday, lines: [(ann, true, 120), (bob, true, 150), (stranger, true, 60)], by: nil,
                    today: today, on: app.db)
                guard case .failure(let p) = beyond else {
                    Issue.record("accepted")
                    return
                }
                #expect(p.byPerson == [bob: .beyondDuration(maximum: 120), stranger: .notRegistered])
                #expect(try await AttendanceRow.query(on: app.db).count() == 0, "nothing stored")
                let thursday = try await ParticipationUseCases.recordAttendance(
                    row, day: Day(2026, 1, 8), lines: [(ann, true, 60)], by: nil, today: today, on: app.db)
                guard case .failure(let q) = thursday else {
                    Issue.record("accepted")
                    return
                }
                #expect(q.byPerson == [ann: .notADateOfTheActivity])
                // Thirteen Wednesdays of two hours for Ann, a no-show for Bob: Ann has 26 of 40 hours.
                for week in 0..<13 {
                    let r = try await ParticipationUseCases.recordAttendance(
                        row, day: wednesday.adding(days: 7 * week), lines: [(ann, true, 120), (bob, false, 0)], by: nil,
                        today: today,
                        on: app.db)
                    guard case .success = r else {
                        Issue.record("week \(week) refused")
                        return
                    }
                }
                let progress = try await ParticipationUseCases.progress(userID: ann, on: app.db)
                #expect(progress.hours == 26 && progress.remainingHours == 14)
                #expect(try await ParticipationUseCases.progress(userID: bob, on: app.db).hours == 0)
                #expect(
                    try await AttendanceRow.query(on: app.db).filter(\.$present == false).count() == 13,
                    "no-shows are recorded")
                // Recording a date again replaces its line.
                _ = try await ParticipationUseCases.recordAttendance(
                    row, day: wednesday, lines: [(ann, true, 60)], by: nil, today: today,
                    on: app.db)
                #expect(try await ParticipationUseCases.progress(userID: ann, on: app.db).hours == 25)
            }
        }
    }
}
