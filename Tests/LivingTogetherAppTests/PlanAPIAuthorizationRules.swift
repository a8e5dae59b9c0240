import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests.AuthorizationWalk {
    /// The members of A, and the admin of B (whose organisation is a partner of the probed action).
    static let membersOfAAndPartnerB: Set<Persona> = membersOfA.union([.adminB])

    /// The plans module's API routes. Catalogues belong to organisation C (persona `coordinator`); requests, plans and
    /// actions to organisation A; the probed actions have organisation B as partner.
    static let planAPIRules: [Rule] = [
        // Catalogues
        Rule(method: .GET, pattern: "/api/v1/catalogues", allowed: everyone) { _, _ in Probe(path: "/api/v1/catalogues") },
        Rule(method: .POST, pattern: "/api/v1/catalogues", allowed: coordinators) { app, _ in
            let id = "walk-\(UUID().uuidString.prefix(8).lowercased())"
            return Probe(path: "/api/v1/catalogues?publisher=\(app.world.orgC)", json: Application.catalogueJSON(id: id))
        },
        // A draft: only the publisher's members read it.
        Rule(method: .GET, pattern: "/api/v1/catalogues/:catalogueID", allowed: coordinators) { app, _ in
            Probe(path: "/api/v1/catalogues/\(try await app.makeCatalogue(status: .draft).requireID())")
        },
        Rule(method: .POST, pattern: "/api/v1/catalogues/:catalogueID/status", allowed: coordinators) { app, _ in
            Probe(path: "/api/v1/catalogues/\(try await app.makeCatalogue(status: .draft).requireID())/status", json: ["status": "published"])
        },
        Rule(method: .GET, pattern: "/api/v1/catalogues/:catalogueID/overview", allowed: coordinators) { app, _ in
            let request = try await app.makeRequest()
            return Probe(path: "/api/v1/catalogues/\(request.$catalogue.id)/overview")
        },
        Rule(method: .GET, pattern: "/api/v1/catalogues/:catalogueID/requests", allowed: coordinators) { app, _ in
            let request = try await app.makeRequest()
            return Probe(path: "/api/v1/catalogues/\(request.$catalogue.id)/requests")
        },
        // Uptake requests
        Rule(method: .GET, pattern: "/api/v1/organisations/:id/uptake-requests", allowed: membersOfA) { app, _ in
            try await app.makeRequest()
            return Probe(path: "/api/v1/organisations/\(app.world.orgA)/uptake-requests")
        },
        Rule(method: .POST, pattern: "/api/v1/organisations/:id/uptake-requests", allowed: editorsOfA) { app, _ in
            let catalogue = try await app.makeCatalogue()
            return Probe(path: "/api/v1/organisations/\(app.world.orgA)/uptake-requests",
                         json: ["catalogue_id": try catalogue.requireID(), "motivation": "We need it.",
                                "actions": [["action_id": "guidance-to-work", "budget": "12 500"] as [String: any Sendable]]])
        },
        Rule(method: .GET, pattern: "/api/v1/uptake-requests/:requestID", allowed: membersOfA.union([.coordinator])) { app, _ in
            Probe(path: "/api/v1/uptake-requests/\(try await app.makeRequest().requireID())")
        },
        Rule(method: .POST, pattern: "/api/v1/uptake-requests/:requestID/decisions", allowed: coordinators) { app, _ in
            Probe(path: "/api/v1/uptake-requests/\(try await app.makeRequest().requireID())/decisions",
                  json: ["action_id": "guidance-to-work", "decision": "approve", "comment": ""])
        },
        Rule(method: .POST, pattern: "/api/v1/uptake-requests/:requestID/revisions", allowed: editorsOfA) { app, _ in
            let request = try await app.makeRequest()
            try await app.decideRequest(request, action: "guidance-to-work", .requestChanges)
            return Probe(path: "/api/v1/uptake-requests/\(try request.requireID())/revisions",
                         json: ["action_id": "guidance-to-work", "budget": 8000, "reply": "Lowered."])
        },
        // Plans: A's plan is not published.
        Rule(method: .GET, pattern: "/api/v1/organisations/:id/plan", allowed: membersOfA) { app, _ in
            try await app.makePlanAction(partners: [app.world.orgB])
            return Probe(path: "/api/v1/organisations/\(app.world.orgA)/plan")
        },
        Rule(method: .PATCH, pattern: "/api/v1/organisations/:id/plan", allowed: editorsOfA) { app, _ in
            // It stays unpublished, so that the other cells still probe an unpublished plan.
            Probe(path: "/api/v1/organisations/\(app.world.orgA)/plan", json: ["published": false])
        },
        Rule(method: .POST, pattern: "/api/v1/organisations/:id/plan/actions", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/organisations/\(app.world.orgA)/plan/actions",
                  json: ["title": "Walk action", "start": "2025-01-01", "end": "2025-12-31", "budget": 1000, "status": "planned"])
        },
        Rule(method: .GET, pattern: "/api/v1/plan-actions/:actionID", allowed: membersOfAAndPartnerB) { app, _ in
            Probe(path: "/api/v1/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())")
        },
        Rule(method: .PUT, pattern: "/api/v1/plan-actions/:actionID", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())",
                  json: ["title": "Walk action, changed", "start": "2025-01-01", "end": "2026-06-30", "budget": "2 000", "status": "running"])
        },
        Rule(method: .POST, pattern: "/api/v1/plan-actions/:actionID/partners", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/plan-actions/\(try await app.makePlanAction().requireID())/partners", json: ["organisation_id": app.world.orgB])
        },
        Rule(method: .POST, pattern: "/api/v1/plan-actions/:actionID/indicators", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())/indicators",
                  json: ["name": "Sessions", "unit": "session", "scale": "count", "direction": "increase", "baseline": 0, "target": 40])
        },
        Rule(method: .POST, pattern: "/api/v1/plan-actions/:actionID/updates", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())/updates",
                  json: ["day": "2025-03-01", "text": "Started in two neighbourhoods.", "status": "running"])
        },
        Rule(method: .GET, pattern: "/api/v1/plan-indicators/:indicatorID/values", allowed: membersOfAAndPartnerB) { app, _ in
            let a = try await app.makePlanAction(partners: [app.world.orgB])
            return Probe(path: "/api/v1/plan-indicators/\(try await app.firstIndicator(of: a).requireID())/values")
        },
        // Editors of the municipality and of the partner, each for their own organisation.
        Rule(method: .POST, pattern: "/api/v1/plan-indicators/:indicatorID/values", allowed: editorsOfA.union([.adminB])) { app, p in
            let a = try await app.makePlanAction(partners: [app.world.orgB])
            return Probe(path: "/api/v1/plan-indicators/\(try await app.firstIndicator(of: a).requireID())/values",
                         json: ["reporter_id": p == .adminB ? app.world.orgB : app.world.orgA, "day": "2025-02-01", "value": 7, "note": ""])
        },
        Rule(method: .DELETE, pattern: "/api/v1/plan-actions/:actionID/partners/:partnerID", allowed: editorsOfA) { app, _ in
            Probe(path: "/api/v1/plan-actions/\(try await app.makePlanAction(partners: [app.world.orgB]).requireID())/partners/\(app.world.orgB)")
        },
        Rule(method: .DELETE, pattern: "/api/v1/indicator-values/:valueID", allowed: editorsOfA.union([.adminB])) { app, _ in
            Probe(path: "/api/v1/indicator-values/\(try await app.makeValue(reporter: app.world.orgB))")
        },
    ]
}
