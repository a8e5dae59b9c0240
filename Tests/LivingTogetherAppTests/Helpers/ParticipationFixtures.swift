import Fluent
import Foundation
import LivingTogetherCore
import Vapor

@testable import LivingTogetherApp

extension Application {
    static func text(_ en: String, _ nl: String? = nil) -> LocalizedText { LocalizedText(["en": en, "nl": nl ?? en]) }

    /// A weekly conversation table of two hours on the weekday of a week ago, from two months ago to two months ahead,
    /// so that a week ago is one of its dates (attendance may be recorded for it).
    static func weeklyActivity(
        title: String = "Conversation table", level: CEFRLevel? = .a2, capacity: Int? = 12,
        category: ActivityCategory = .conversationTable, counts: Bool = true
    ) -> Activity {
        let weekAgo = Day.today.adding(days: -7)
        return Activity(
            id: "", title: text(title, "Praattafel"), summary: text("People practise Dutch at a table."),
            easy: text("We talk in Dutch."), category: category, level: level, inGroupOrDuo: true,
            dutchSpeakingContext: counts, address: "Library, room 2", capacity: capacity,
            schedule: ActivitySchedule(
                kind: .weekly, weekday: ActivitySchedule.weekday(of: weekAgo),
                from: Day.today.adding(days: -60).description,
                until: Day.today.adding(days: 60).description, start: "14:00", end: "16:00"))
    }

    /// An activity of `organiser` in `municipality` (default: the organiser), stored through the use case.
    func makeActivity(
        organiser: Int, municipality: Int? = nil, published: Bool = true,
        _ activity: Activity = Application.weeklyActivity()
    ) async throws -> ActivityRow {
        guard
            case .success(let row) = try await ParticipationUseCases.save(
                activity, row: nil, organiser: organiser, municipality: municipality ?? organiser, published: published,
                on: db)
        else { throw Abort(.internalServerError, reason: "fixture activity refused") }
        return row
    }

    /// A counsellor: a member of a new integration agency.
    func makeCounsellor(
        email: String = "counsellor-\(UUID().uuidString.prefix(6).lowercased())@example.org"
    )
        async throws -> (user: Int, email: String)
    {
        let agency = Organisation(
            kind: .agency, name: "Integration agency \(UUID().uuidString.prefix(6))", country: "BE")
        try await agency.create(on: db)
        let made = try await makeUser(email: email, name: "Casey Counsellor", in: try agency.requireID(), role: .editor)
        return (made.user, email)
    }
}
