import Fluent
import Foundation
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

@testable import LivingTogetherApp

extension AppTests.AuthorizationWalk {
    /// Who may put an activity on: the editors and administrators of an organisation.
    static let activityAuthors: Set<Persona> = [.editorA, .adminA, .adminB, .coordinator]
    /// An activity of A is managed by A's editors and the platform administrator.
    static let activityManagers: Set<Persona> = editorsOfA
    /// In the walk, the coordinator is the counsellor the probe's participant gave access to; nobody else sees them.
    static let counsellorOfTheProbe: Set<Persona> = [.coordinator]

    static func activityForm(organiser: Int) -> [(String, String)] {
        [
            ("organiser", String(organiser)), ("municipality", "Mechelen"), ("address", "Library, room 2"),
            ("title_en", "Conversation table"), ("title_nl", "Praattafel"), ("summary_en", "People talk."),
            ("summary_nl", "Mensen praten."), ("easy_en", "We talk."), ("easy_nl", "We praten."),
            ("category", "conversationTable"), ("level", "a2"), ("group", "yes"), ("dutch", "yes"), ("capacity", "12"),
            ("schedule", "weekly"), ("weekday", "3"), ("from", "2027-01-06"), ("until", "2027-06-30"),
            ("start", "14:00"), ("end", "16:00"), ("published", "yes"),
        ]
    }

    static func activityJSON(organiser: Int) -> [String: any Sendable] {
        var out: [String: any Sendable] = [:]
        for (k, v) in activityForm(organiser: organiser) { out[k] = v }
        out["organiser_id"] = organiser
        out["published"] = true
        return out
    }

    /// A's activity with a registered person, and a week ago (one of its dates).
    static func activityWithParticipant(_ app: Application) async throws -> (row: ActivityRow, person: Int, day: Day) {
        let row = try await app.makeActivity(organiser: app.world.orgA)
        let person = try await app.makeUser(email: unique("participant")).user
        _ = try await ParticipationUseCases.register(row, userID: person, on: app.db)
        return (row, person, Day.today.adding(days: -7))
    }

    /// A person who gave the coordinator access to their progress.
    static func followed(_ app: Application) async throws -> Int {
        let person = try await app.makeUser(email: unique("followed")).user
        let a = ParticipationAccess()
        a.$participant.id = person
        a.$counsellor.id = app.world.person(.coordinator).id
        a.grantedAt = Date()
        try await a.create(on: app.db)
        return person
    }

    static func id(_ row: ActivityRow) -> Int { row.id ?? 0 }

    static let participationRules: [Rule] = [
        // Creating an account (residents taking part): anyone; a signed-in person is sent to their account.
        Rule(method: .GET, pattern: "/sign-up", allowed: everyone) { _, _ in Probe(path: "/sign-up") },
        Rule(method: .POST, pattern: "/sign-up", allowed: everyone) { _, _ in
            Probe(path: "/sign-up", form: [("name", "Nadia"), ("email", unique("resident"))])
        },
        Rule(method: .GET, pattern: "/participation", allowed: everyone) { app, _ in
            _ = try await app.makeActivity(organiser: app.world.orgA)
            return Probe(path: "/participation?place=Mechelen&level=b1")
        },
        Rule(method: .GET, pattern: "/participation/manage", allowed: signedIn) { _, _ in
            Probe(path: "/participation/manage")
        },
        Rule(method: .GET, pattern: "/participation/activities/new", allowed: activityAuthors) { _, _ in
            Probe(path: "/participation/activities/new")
        },
        Rule(method: .POST, pattern: "/participation/activities/new", allowed: activityAuthors) { app, p in
            Probe(path: "/participation/activities/new", form: activityForm(organiser: app.editorOrganisation(p)))
        },
        Rule(method: .GET, pattern: "/participation/activities/:activityID", allowed: everyone) { app, _ in
            Probe(path: "/participation/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))")
        },
        Rule(method: .GET, pattern: "/participation/activities/:activityID/edit", allowed: activityManagers) { app, _ in
            Probe(path: "/participation/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))"
                + "/edit")
        },
        Rule(method: .POST, pattern: "/participation/activities/:activityID/edit", allowed: activityManagers) {
            app, _ in
            let row = try await app.makeActivity(organiser: app.world.orgA)
            return Probe(
                path: "/participation/activities/\(id(row))/edit", form: activityForm(organiser: app.world.orgA))
        },
        Rule(method: .GET, pattern: "/participation/activities/:activityID/calendar.ics", allowed: everyone) { app, _ in
            Probe(
                path: "/participation/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))"
                    + "/calendar.ics"
            )
        },
        Rule(method: .POST, pattern: "/participation/activities/:activityID/registration", allowed: signedIn) {
            app, _ in
            Probe(
                path: "/participation/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))"
                    + "/registration",
                form: [("consent", "yes")])
        },
        Rule(method: .POST, pattern: "/participation/activities/:activityID/registration/cancel", allowed: signedIn) {
            app, _ in
            Probe(
                path: "/participation/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))"
                    + "/registration/cancel"
            )
        },
        Rule(method: .GET, pattern: "/participation/activities/:activityID/attendance", allowed: activityManagers) {
            app, _ in
            let made = try await activityWithParticipant(app)
            return Probe(path: "/participation/activities/\(id(made.row))/attendance?day=\(made.day)")
        },
        Rule(method: .POST, pattern: "/participation/activities/:activityID/attendance", allowed: activityManagers) {
            app, _ in
            let made = try await activityWithParticipant(app)
            return Probe(
                path: "/participation/activities/\(id(made.row))/attendance",
                form: [
                    ("day", made.day.description), ("present_\(made.person)", "yes"), ("minutes_\(made.person)", "90"),
                ])
        },
        Rule(method: .GET, pattern: "/participation/activities/:activityID/figures", allowed: activityManagers) {
            app, _ in
            Probe(path: "/participation/activities/\(id(try await activityWithParticipant(app).row))/figures")
        },
        Rule(method: .GET, pattern: "/participation/activities/:activityID/figures.csv", allowed: activityManagers) {
            app, _ in
            Probe(path: "/participation/activities/\(id(try await activityWithParticipant(app).row))/figures.csv")
        },
        Rule(method: .GET, pattern: "/participation/municipalities/:municipalityID", allowed: membersOfA) { app, _ in
            _ = try await activityWithParticipant(app)
            return Probe(path: "/participation/municipalities/\(app.world.orgA)")
        },
        Rule(method: .GET, pattern: "/participation/municipalities/:municipalityID/figures.csv", allowed: membersOfA) {
            app, _ in
            Probe(path: "/participation/municipalities/\(app.world.orgA)/figures.csv")
        },
        Rule(method: .GET, pattern: "/participation/hours", allowed: signedIn) { _, _ in
            Probe(path: "/participation/hours")
        },
        Rule(method: .GET, pattern: "/participation/hours/proof", allowed: signedIn) { _, _ in
            Probe(path: "/participation/hours/proof")
        },
        Rule(method: .GET, pattern: "/participation/hours/export.json", allowed: signedIn) { _, _ in
            Probe(path: "/participation/hours/export.json")
        },
        Rule(method: .POST, pattern: "/participation/hours/erase", allowed: signedIn) { _, _ in
            Probe(path: "/participation/hours/erase", form: [("confirm", "erase")])
        },
        Rule(method: .POST, pattern: "/participation/hours/access", allowed: signedIn) { app, _ in
            Probe(path: "/participation/hours/access", form: [("email", try await app.makeCounsellor().email)])
        },
        Rule(
            method: .POST, pattern: "/participation/hours/access/:accessID/revoke", allowed: signedIn, denied: .notFound
        ) { app, p in
            // Each signed-in persona takes back an access they gave; nobody takes back another's.
            let counsellor = try await app.makeCounsellor()
            let participant =
                p == .anonymous ? try await app.makeUser(email: unique("giver")).user : app.world.person(p).id
            let a = ParticipationAccess()
            a.$participant.id = participant
            a.$counsellor.id = counsellor.user
            a.grantedAt = Date()
            try await a.create(on: app.db)
            return Probe(path: "/participation/hours/access/\(a.id ?? 0)/revoke")
        },
        Rule(method: .GET, pattern: "/participation/people", allowed: signedIn) { _, _ in
            Probe(path: "/participation/people")
        },
        Rule(method: .GET, pattern: "/participation/people/:personID", allowed: counsellorOfTheProbe, denied: .notFound)
        { app, _ in
            Probe(path: "/participation/people/\(try await followed(app))")
        },
        // The API
        Rule(method: .GET, pattern: "/api/v1/activities", allowed: everyone) { app, _ in
            _ = try await app.makeActivity(organiser: app.world.orgA)
            return Probe(path: "/api/v1/activities?place=Mechelen&category=conversationTable")
        },
        Rule(method: .POST, pattern: "/api/v1/activities", allowed: activityAuthors) { app, p in
            Probe(path: "/api/v1/activities", json: activityJSON(organiser: app.editorOrganisation(p)))
        },
        Rule(method: .GET, pattern: "/api/v1/activities/:activityID", allowed: everyone) { app, _ in
            Probe(path: "/api/v1/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))")
        },
        Rule(method: .PUT, pattern: "/api/v1/activities/:activityID", allowed: activityManagers) { app, _ in
            Probe(
                path: "/api/v1/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))",
                json: activityJSON(organiser: app.world.orgA))
        },
        Rule(method: .POST, pattern: "/api/v1/activities/:activityID/registrations", allowed: signedIn) { app, _ in
            Probe(
                path: "/api/v1/activities/\(id(try await app.makeActivity(organiser: app.world.orgA)))/registrations",
                json: ["consent": true])
        },
        Rule(method: .DELETE, pattern: "/api/v1/activities/:activityID/registrations/mine", allowed: signedIn) {
            app, p in
            let row = try await app.makeActivity(organiser: app.world.orgA)
            if p != .anonymous {
                _ = try await ParticipationUseCases.register(row, userID: app.world.person(p).id, on: app.db)
            }
            return Probe(path: "/api/v1/activities/\(id(row))/registrations/mine")
        },
        Rule(method: .GET, pattern: "/api/v1/activities/:activityID/attendance/:day", allowed: activityManagers) {
            app, _ in
            let made = try await activityWithParticipant(app)
            return Probe(path: "/api/v1/activities/\(id(made.row))/attendance/\(made.day)")
        },
        Rule(method: .PUT, pattern: "/api/v1/activities/:activityID/attendance/:day", allowed: activityManagers) {
            app, _ in
            let made = try await activityWithParticipant(app)
            return Probe(
                path: "/api/v1/activities/\(id(made.row))/attendance/\(made.day)",
                text: "{\"lines\": [{\"person\": \(made.person), \"present\": true, \"minutes\": 120}]}")
        },
        Rule(method: .GET, pattern: "/api/v1/activities/:activityID/figures", allowed: activityManagers) { app, _ in
            Probe(path: "/api/v1/activities/\(id(try await activityWithParticipant(app).row))/figures")
        },
        Rule(method: .GET, pattern: "/api/v1/municipalities/:municipalityID/participation", allowed: membersOfA) {
            app, _ in
            Probe(path: "/api/v1/municipalities/\(app.world.orgA)/participation")
        },
        Rule(method: .GET, pattern: "/api/v1/me/participation", allowed: signedIn) { _, _ in
            Probe(path: "/api/v1/me/participation")
        },
        Rule(method: .GET, pattern: "/api/v1/me/participation/people", allowed: signedIn) { _, _ in
            Probe(path: "/api/v1/me/participation/people")
        },
        Rule(
            method: .GET, pattern: "/api/v1/me/participation/people/:personID", allowed: counsellorOfTheProbe,
            denied: .notFound
        ) { app, _ in
            Probe(path: "/api/v1/me/participation/people/\(try await followed(app))")
        },
    ]
}
