import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests.AuthorizationWalk {
    /// Who may put an event on: editors of an organisation, and library editors (the platform administrator too).
    static let eventAuthors: Set<Persona> = knowledgeAuthors.union([.platformAdmin])

    /// Published events are open to everyone with their exports; registering needs an account; the organiser's
    /// pages are for the owner A's editors and library editors.
    static let eventRules: [Rule] = [
        Rule(method: .GET, pattern: "/events", allowed: everyone) { app, _ in
            _ = try await app.makeEvent(owner: app.world.orgA)
            return Probe(path: "/events")
        },
        Rule(method: .GET, pattern: "/events/new", allowed: eventAuthors) { _, _ in Probe(path: "/events/new") },
        Rule(method: .POST, pattern: "/events/new", allowed: eventAuthors) { app, p in
            Probe(path: "/events/new", form: [("owner", p == .platformAdmin ? "" : String(app.editorOrganisation(p))),
                                              ("json", try Application.eventDocument(slug: Application.uniqueSlug("walk-event")))])
        },
        Rule(method: .GET, pattern: "/events/agenda", allowed: signedIn) { _, _ in Probe(path: "/events/agenda") },
        Rule(method: .POST, pattern: "/events/agenda/feed", allowed: signedIn) { _, _ in Probe(path: "/events/agenda/feed") },
        // The feed's secret address is the key: anyone holding it reads that one agenda.
        Rule(method: .GET, pattern: "/events/agenda/:token/calendar.ics", allowed: everyone) { app, _ in
            let user = try await app.makeUser(email: unique("feed"))
            return Probe(path: "/events/agenda/\(try await EventUseCases.renewFeed(userID: user.user, on: app.db))/calendar.ics")
        },
        Rule(method: .GET, pattern: "/events/:slug", allowed: everyone) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)")
        },
        Rule(method: .GET, pattern: "/events/:slug/edit", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/edit")
        },
        Rule(method: .POST, pattern: "/events/:slug/edit", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            let row = try await app.makeEvent(owner: app.world.orgA)
            return Probe(path: "/events/\(row.slug)/edit", form: [("json", try Application.eventDocument(slug: row.slug))])
        },
        Rule(method: .POST, pattern: "/events/:slug/status", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/status", form: [("to", "cancelled")])
        },
        Rule(method: .GET, pattern: "/events/:slug/calendar.ics", allowed: everyone) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/calendar.ics")
        },
        Rule(method: .GET, pattern: "/events/:slug/schedule.xml", allowed: everyone) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/schedule.xml")
        },
        Rule(method: .GET, pattern: "/events/:slug/schedule.json", allowed: everyone) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/schedule.json")
        },
        Rule(method: .POST, pattern: "/events/:slug/registration", allowed: signedIn) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/registration",
                  form: [("sign_language", "vgt"), ("diet", "Vegan")])
        },
        Rule(method: .POST, pattern: "/events/:slug/registration/cancel", allowed: signedIn) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/registration/cancel")
        },
        Rule(method: .GET, pattern: "/events/:slug/registrations", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA, attendee: true).slug)/registrations")
        },
        Rule(method: .GET, pattern: "/events/:slug/registrations.csv", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA, attendee: true).slug)/registrations.csv")
        },
        Rule(method: .GET, pattern: "/events/:slug/follow-up", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/follow-up")
        },
        Rule(method: .POST, pattern: "/events/:slug/follow-up", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA, attendee: true).slug)/follow-up",
                  form: [("subject", "Thank you"), ("body", "The slides are on the session pages.")])
        },
        Rule(method: .GET, pattern: "/events/:slug/sessions/:session", allowed: everyone) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/sessions/openblik-workshop")
        },
        Rule(method: .GET, pattern: "/events/:slug/sessions/:session/calendar.ics", allowed: everyone) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/sessions/welcome/calendar.ics")
        },
        Rule(method: .POST, pattern: "/events/:slug/sessions/:session/registration", allowed: signedIn) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/sessions/openblik-workshop/registration")
        },
        Rule(method: .POST, pattern: "/events/:slug/sessions/:session/registration/cancel", allowed: signedIn) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/sessions/openblik-workshop/registration/cancel")
        },
        Rule(method: .POST, pattern: "/events/:slug/sessions/:session/materials", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/sessions/welcome/materials",
                  form: [("kind", "slides"), ("title", "Slides of the welcome"), ("url", "https://example.org/slides.pdf")])
        },
        Rule(method: .POST, pattern: "/events/:slug/sessions/:session/materials/remove", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/sessions/welcome/materials/remove",
                  form: [("index", "0")])
        },
        Rule(method: .GET, pattern: "/api/v1/events", allowed: everyone) { app, _ in
            _ = try await app.makeEvent(owner: app.world.orgA)
            return Probe(path: "/api/v1/events")
        },
        Rule(method: .POST, pattern: "/api/v1/events", allowed: eventAuthors) { app, p in
            Probe(path: "/api/v1/events" + (p == .platformAdmin ? "" : "?owner=\(app.editorOrganisation(p))"),
                  text: try Application.eventDocument(slug: Application.uniqueSlug("api-event")))
        },
        Rule(method: .GET, pattern: "/api/v1/events/:slug", allowed: everyone) { app, _ in
            Probe(path: "/api/v1/events/\(try await app.makeEvent(owner: app.world.orgA).slug)")
        },
        Rule(method: .PUT, pattern: "/api/v1/events/:slug", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            let row = try await app.makeEvent(owner: app.world.orgA)
            return Probe(path: "/api/v1/events/\(row.slug)", text: try Application.eventDocument(slug: row.slug))
        },
        Rule(method: .POST, pattern: "/api/v1/events/:slug/status", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/api/v1/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/status", json: ["status": "cancelled"])
        },
        Rule(method: .GET, pattern: "/api/v1/events/:slug/registrations", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/api/v1/events/\(try await app.makeEvent(owner: app.world.orgA, attendee: true).slug)/registrations")
        },
        Rule(method: .POST, pattern: "/api/v1/events/:slug/registrations", allowed: signedIn) { app, _ in
            Probe(path: "/api/v1/events/\(try await app.makeEvent(owner: app.world.orgA).slug)/registrations",
                  json: ["session": "openblik-workshop", "step_free": true])
        },
        // Cancelling one's own: the probe's persona registered first (nothing to cancel would be a 404).
        Rule(method: .DELETE, pattern: "/api/v1/events/:slug/registrations/mine", allowed: signedIn) { app, p in
            let row = try await app.makeEvent(owner: app.world.orgA)
            if p != .anonymous, let id = app.world.people[p]?.id {
                _ = try await EventUseCases.register(row, try row.event(), session: nil, userID: id, needs: nil, on: app.db)
            }
            return Probe(path: "/api/v1/events/\(row.slug)/registrations/mine")
        },
        Rule(method: .GET, pattern: "/api/v1/me/agenda", allowed: signedIn) { _, _ in Probe(path: "/api/v1/me/agenda") },
    ]
}

extension Application {
    /// An address for a test event: "event-" and eight hex digits.
    static func uniqueSlug(_ prefix: String) -> String { "\(prefix)-x\(UUID().uuidString.prefix(8).lowercased())" }

    /// An upcoming event's document (the demo's programme, a month from today) at `slug`, as JSON text.
    static func eventDocument(slug: String, startingIn days: Int = 30) throws -> String {
        var e = EventDemo.event(startingOn: Day.today.adding(days: days))
        e.id = slug
        e.sessions[0].materials = [Event.Material(kind: .recording, title: "Recording of the welcome", url: "https://example.org/rec")]
        return try ContentJSON.encode(e)
    }

    /// A published upcoming event of `owner` (its workshop has three places); `attendee`: someone holds a place.
    func makeEvent(owner: Int?, status: EventStatus = .published, attendee: Bool = false, startingIn days: Int = 30)
        async throws -> EventRow {
        let slug = Self.uniqueSlug("event")
        try await loadLibrary()
        guard case .success(let row) = try await EventUseCases.create(Data(try Application.eventDocument(slug: slug, startingIn: days).utf8),
                                                                      file: "test", owner: owner, on: db) else {
            throw TestSetupError("the event was refused")
        }
        row.status = status.rawValue
        try await row.save(on: db)
        if attendee {
            let user = try await makeUser(email: "attendee-\(UUID().uuidString.prefix(8).lowercased())@example.org")
            _ = try await EventUseCases.register(row, try row.event(), session: nil, userID: user.user, needs: nil, on: db)
        }
        return row
    }
}
