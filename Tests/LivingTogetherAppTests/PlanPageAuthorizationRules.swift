import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests.AuthorizationWalk {
    /// Everyone who edits a municipality: A's editors and the admin of B (Gent), and the platform administrator.
    static let municipalEditors: Set<Persona> = editorsOfA.union([.adminB])

    /// The plans module's page routes. Catalogues belong to organisation C (persona `coordinator`); requests, plans and
    /// actions to organisation A; probed actions have organisation B as partner.
    static let planPageRules: [Rule] = [
        Rule(method: .GET, pattern: "/plans", allowed: everyone) { _, _ in Probe(path: "/plans") },
        Rule(method: .GET, pattern: "/plans/catalogues/upload", allowed: coordinators) { _, _ in Probe(path: "/plans/catalogues/upload") },
        Rule(method: .POST, pattern: "/plans/catalogues/upload", allowed: coordinators) { app, _ in
            let id = "walk-\(UUID().uuidString.prefix(8).lowercased())"
            let json = String(decoding: try JSONSerialization.data(withJSONObject: Application.catalogueJSON(id: id)), as: UTF8.self)
            return Probe(path: "/plans/catalogues/upload", form: [("publisher", String(app.world.orgC)), ("json", json)])
        },
        // A draft: only the publisher's members read it.
        Rule(method: .GET, pattern: "/plans/catalogues/:catalogueID", allowed: coordinators) { app, _ in
            Probe(path: "/plans/catalogues/\(try await app.makeCatalogue(status: .draft).requireID())")
        },
        Rule(method: .POST, pattern: "/plans/catalogues/:catalogueID/status", allowed: coordinators) { app, _ in
            Probe(path: "/plans/catalogues/\(try await app.makeCatalogue(status: .draft).requireID())/status", form: [("status", "published")])
        },
        // The request form: whoever edits a municipality.
        Rule(method: .GET, pattern: "/plans/catalogues/:catalogueID/request", allowed: municipalEditors) { app, _ in
            Probe(path: "/plans/catalogues/\(try await app.makeCatalogue().requireID())/request")
        },
        Rule(method: .POST, pattern: "/plans/catalogues/:catalogueID/request", allowed: editorsOfA) { app, _ in
            Probe(path: "/plans/catalogues/\(try await app.makeCatalogue().requireID())/request",
                  form: [("organisation", String(app.world.orgA)), ("action:guidance-to-work", "1"), ("budget:guidance-to-work", "10000"),
                         ("motivation", "Walk")])
        },
        Rule(method: .GET, pattern: "/plans/catalogues/:catalogueID/overview", allowed: coordinators) { app, _ in
            Probe(path: "/plans/catalogues/\(try await app.makeRequest().$catalogue.id)/overview")
        },
        Rule(method: .GET, pattern: "/plans/catalogues/:catalogueID/overview/export", allowed: coordinators) { app, _ in
            Probe(path: "/plans/catalogues/\(try await app.makeRequest().$catalogue.id)/overview/export?section=uptake")
        },
        // Requests: the municipality's members and the coordinator's.
        Rule(method: .GET, pattern: "/plans/requests/:requestID", allowed: membersOfA.union([.coordinator])) { app, _ in
            Probe(path: "/plans/requests/\(try await app.makeRequest().requireID())")
        },
        Rule(method: .POST, pattern: "/plans/requests/:requestID/decide", allowed: coordinators) { app, _ in
            Probe(path: "/plans/requests/\(try await app.makeRequest().requireID())/decide",
                  form: [("action_id", "guidance-to-work"), ("decision:guidance-to-work", "approve")])
        },
        Rule(method: .POST, pattern: "/plans/requests/:requestID/revise", allowed: editorsOfA) { app, _ in
            let r = try await app.makeRequest()
            try await app.decideRequest(r, action: "guidance-to-work", .requestChanges)
            return Probe(path: "/plans/requests/\(try r.requireID())/revise",
                         form: [("action_id", "guidance-to-work"), ("budget:guidance-to-work", "9000"), ("reply:guidance-to-work", "Lowered.")])
        },
        // The plan of A, not published: its members (and partners, for their actions).
        Rule(method: .GET, pattern: "/directory/:id/plan", allowed: membersOfA) { app, _ in
            try await app.makePlanAction(partners: [app.world.orgB])
            return Probe(path: "/directory/\(app.world.orgA)/plan")
        },
        Rule(method: .POST, pattern: "/directory/:id/plan/publish", allowed: editorsOfA) { app, _ in
            Probe(path: "/directory/\(app.world.orgA)/plan/publish", form: [("publish", "0")])
        },
        Rule(method: .GET, pattern: "/directory/:id/plan/actions/new", allowed: editorsOfA) { app, _ in
            Probe(path: "/directory/\(app.world.orgA)/plan/actions/new")
        },
        Rule(method: .POST, pattern: "/directory/:id/plan/actions/new", allowed: editorsOfA) { app, _ in
            Probe(path: "/directory/\(app.world.orgA)/plan/actions/new",
                  form: [("title", "Walk action"), ("start", "2026-01-01"), ("end", "2026-12-31"), ("budget", "100"), ("status", "planned")])
        },
        Rule(method: .GET, pattern: "/directory/:id/plan/report", allowed: membersOfA) { app, _ in
            try await app.makePlanAction()
            return Probe(path: "/directory/\(app.world.orgA)/plan/report?year=2026")
        },
        Rule(method: .GET, pattern: "/directory/:id/plan/export", allowed: membersOfA) { app, _ in
            try await app.makePlanAction()
            return Probe(path: "/directory/\(app.world.orgA)/plan/export")
        },
        Rule(method: .GET, pattern: "/plan-actions/:actionID", allowed: membersOfA.union([.adminB])) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())")
        },
        Rule(method: .GET, pattern: "/plan-actions/:actionID/edit", allowed: editorsOfA) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())/edit")
        },
        Rule(method: .POST, pattern: "/plan-actions/:actionID/edit", allowed: editorsOfA) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())/edit",
                  form: [("title", "Walk action"), ("start", "2026-01-01"), ("end", "2026-12-31"), ("budget", ""), ("status", "running")])
        },
        Rule(method: .POST, pattern: "/plan-actions/:actionID/partners", allowed: editorsOfA) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction().requireID())/partners", form: [("partner", "Gent")])
        },
        Rule(method: .POST, pattern: "/plan-actions/:actionID/indicators", allowed: editorsOfA) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction(indicator: false).requireID())/indicators",
                  form: [("name", "Families reached"), ("unit", "family"), ("scale", "count"), ("direction", "increase"), ("baseline", "0"), ("target", "40")])
        },
        Rule(method: .POST, pattern: "/plan-actions/:actionID/updates", allowed: editorsOfA) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction().requireID())/updates",
                  form: [("update_day", "2026-01-15"), ("update_status", "running"), ("update_text", "Started.")])
        },
        Rule(method: .POST, pattern: "/plan-actions/:actionID/partners/:partnerID/remove", allowed: editorsOfA) { app, _ in
            Probe(path: "/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())/partners/\(app.world.orgB)/remove")
        },
        // Taking back a value: the municipality's editors and those of the organisation that reported it (B).
        Rule(method: .POST, pattern: "/indicator-values/:valueID/remove", allowed: editorsOfA.union([.adminB])) { app, _ in
            Probe(path: "/indicator-values/\(try await app.makeValue(reporter: app.world.orgB))/remove")
        },
        // Values: the municipality's editors and the partner's (B), each for their own organisation.
        Rule(method: .POST, pattern: "/plan-indicators/:indicatorID/values", allowed: editorsOfA.union([.adminB])) { app, p in
            let a = try await app.makePlanAction(partners: [app.world.orgB])
            let i = try await app.firstIndicator(of: a).requireID()
            let reporter = p == .adminB ? app.world.orgB : app.world.orgA
            return Probe(path: "/plan-indicators/\(i)/values",
                         form: [("value\(i)_reporter", String(reporter)), ("value\(i)_day", "2026-01-15"), ("value\(i)_value", "12")])
        },
    ]
}
