import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// Who may do what: every route × every persona, against organisation A's resources.
    @Suite struct AuthorizationWalk {
        enum Outcome: Equatable, CustomStringConvertible {
            /// 2xx, or a redirect that is not the sign-in page's "come back here" redirect.
            case allowed
            /// 401, or a redirect to /sign-in?return_to=….
            case signIn
            case forbidden
            case notFound
            case unexpected(UInt)

            var description: String {
                switch self {
                case .allowed: return "allowed"
                case .signIn: return "sign-in"
                case .forbidden: return "403"
                case .notFound: return "404"
                case .unexpected(let code): return "unexpected \(code)"
                }
            }

            static func of(_ r: TestingHTTPResponse) -> Outcome {
                let code = r.status.code
                switch code {
                case 200..<300: return .allowed
                case 300..<400:
                    return (r.location ?? "").hasPrefix("/sign-in?return_to=") ? .signIn : .allowed
                case 401: return .signIn
                case 403: return .forbidden
                case 404: return .notFound
                default: return .unexpected(code)
                }
            }
        }

        /// What a cell sends.
        struct Probe {
            var path: String
            var form: [(String, String)] = []
            var json: [String: any Sendable]? = nil
            /// A JSON body given as text (a whole document), instead of `json`.
            var text: String? = nil
        }

        struct Rule: Sendable {
            var method: HTTPMethod
            /// The route's pattern, as `app.routes.all` has it: "/directory/:id/members".
            var pattern: String
            var allowed: Set<Persona>
            /// For a signed-in persona that is not allowed.
            var denied: Outcome = .forbidden
            /// Sign in as the persona afresh for this cell (the request changes or ends the session).
            var freshSession = false
            var probe: @Sendable (Application, Persona) async throws -> Probe

            var key: String { "\(method.rawValue) \(pattern)" }
            var isAPI: Bool { pattern.hasPrefix("/api/") }
            func expected(for p: Persona) -> Outcome {
                if allowed.contains(p) { return .allowed }
                return p == .anonymous ? .signIn : denied
            }
        }

        static let everyone = Set(Persona.allCases)
        static let signedIn = everyone.subtracting([.anonymous])
        static let membersOfA: Set<Persona> = [.viewerA, .editorA, .adminA, .platformAdmin]
        static let editorsOfA: Set<Persona> = [.editorA, .adminA, .platformAdmin]
        static let adminsOfA: Set<Persona> = [.adminA, .platformAdmin]
        static let platform: Set<Persona> = [.platformAdmin]
        static let coordinators: Set<Persona> = [.coordinator, .platformAdmin]

        static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())@example.org" }

        /// A membership in A of a new person, for cells that change or remove one.
        static func targetMembership(_ app: Application) async throws -> Int {
            let made = try await app.makeUser(email: unique("target"), in: app.world.orgA, role: .viewer)
            return made.membership!
        }

        /// The table: one rule for every route of the app (the plans module's rules are in PlanAuthorizationRules.swift).
        static let rules: [Rule] = baseRules + planPageRules + planAPIRules + mentoringPageRules + mentoringAPIRules
            + knowledgeRules + eventRules + participationRules

        static let baseRules: [Rule] = [
            // Operations
            Rule(method: .GET, pattern: "/livez", allowed: everyone) { _, _ in Probe(path: "/livez") },
            Rule(method: .GET, pattern: "/healthz", allowed: everyone) { _, _ in Probe(path: "/healthz") },
            Rule(method: .GET, pattern: "/metrics", allowed: everyone) { _, _ in Probe(path: "/metrics") },
            Rule(method: .GET, pattern: "/static/site.css", allowed: everyone) { _, _ in Probe(path: "/static/site.css") },
            Rule(method: .GET, pattern: "/static/site.js", allowed: everyone) { _, _ in Probe(path: "/static/site.js") },
            // Public pages
            Rule(method: .GET, pattern: "/", allowed: everyone) { _, _ in Probe(path: "/") },
            Rule(method: .GET, pattern: "/privacy", allowed: everyone) { _, _ in Probe(path: "/privacy") },
            Rule(method: .GET, pattern: "/directory", allowed: everyone) { _, _ in Probe(path: "/directory?q=mechelen") },
            Rule(method: .GET, pattern: "/directory/:id", allowed: everyone) { app, _ in Probe(path: "/directory/\(app.world.orgA)") },
            Rule(method: .POST, pattern: "/language", allowed: everyone, freshSession: true) { app, _ in
                Probe(path: "/language", form: [("language", "nl"), ("return_to", "/directory/\(app.world.orgA)")])
            },
            // Profiles and organisations
            Rule(method: .GET, pattern: "/directory/:id/edit", allowed: editorsOfA) { app, _ in Probe(path: "/directory/\(app.world.orgA)/edit") },
            Rule(method: .POST, pattern: "/directory/:id/edit", allowed: editorsOfA) { app, _ in
                Probe(path: "/directory/\(app.world.orgA)/edit",
                      form: [("name", "Mechelen"), ("country", "BE"), ("region", "Flanders"), ("population", "86921"),
                             ("latitude", "51.02574"), ("longitude", "4.47762")])
            },
            Rule(method: .GET, pattern: "/organisations/new", allowed: platform) { _, _ in Probe(path: "/organisations/new") },
            Rule(method: .POST, pattern: "/organisations/new", allowed: platform) { _, p in
                Probe(path: "/organisations/new", form: [("kind", "association"), ("name", "Walk association \(p)"), ("country", "BE")])
            },
            // Members and invitations
            Rule(method: .GET, pattern: "/directory/:id/members", allowed: membersOfA) { app, _ in Probe(path: "/directory/\(app.world.orgA)/members") },
            Rule(method: .POST, pattern: "/directory/:id/invitations", allowed: adminsOfA) { app, _ in
                Probe(path: "/directory/\(app.world.orgA)/invitations", form: [("email", unique("walk")), ("role", "editor")])
            },
            Rule(method: .POST, pattern: "/directory/:id/invitations/:invitationID/revoke", allowed: adminsOfA) { app, _ in
                let inv = try await app.makeInvitation(organisation: app.world.orgA)
                return Probe(path: "/directory/\(app.world.orgA)/invitations/\(inv.id)/revoke")
            },
            Rule(method: .POST, pattern: "/directory/:id/members/:membershipID/role", allowed: adminsOfA) { app, _ in
                Probe(path: "/directory/\(app.world.orgA)/members/\(try await targetMembership(app))/role", form: [("role", "editor")])
            },
            Rule(method: .POST, pattern: "/directory/:id/members/:membershipID/remove", allowed: adminsOfA) { app, _ in
                Probe(path: "/directory/\(app.world.orgA)/members/\(try await targetMembership(app))/remove")
            },
            // Joining by invitation and resetting a password: the link is the key, for anyone who has it.
            Rule(method: .GET, pattern: "/join/:token", allowed: everyone) { app, _ in
                Probe(path: "/join/\(try await app.makeInvitation(organisation: app.world.orgA).token)")
            },
            Rule(method: .POST, pattern: "/join/:token", allowed: everyone, freshSession: true) { app, _ in
                let inv = try await app.makeInvitation(organisation: app.world.orgA)
                return Probe(path: "/join/\(inv.token)", form: [("name", "Walk Joiner"), ("password", "a good long password"),
                                                                ("password_confirmation", "a good long password")])
            },
            Rule(method: .GET, pattern: "/password/forgot", allowed: everyone) { _, _ in Probe(path: "/password/forgot") },
            Rule(method: .POST, pattern: "/password/forgot", allowed: everyone) { app, _ in
                Probe(path: "/password/forgot", form: [("email", app.world.email(.nobody))])
            },
            Rule(method: .GET, pattern: "/password/reset/:token", allowed: everyone) { app, _ in
                let user = try await app.makeUser(email: unique("reset"))
                return Probe(path: "/password/reset/\(try await app.makePasswordReset(user: user.user))")
            },
            Rule(method: .POST, pattern: "/password/reset/:token", allowed: everyone) { app, _ in
                let user = try await app.makeUser(email: unique("reset"))
                return Probe(path: "/password/reset/\(try await app.makePasswordReset(user: user.user))",
                             form: [("password", "a brand new password"), ("password_confirmation", "a brand new password")])
            },
            // Signing in and out
            Rule(method: .GET, pattern: "/sign-in", allowed: everyone) { _, _ in Probe(path: "/sign-in") },
            Rule(method: .POST, pattern: "/sign-in", allowed: everyone, freshSession: true) { app, _ in
                let email = unique("signin")
                try await app.makeUser(email: email)
                return Probe(path: "/sign-in", form: [("email", email), ("password", FixtureWorld.password)])
            },
            Rule(method: .POST, pattern: "/sign-out", allowed: everyone, freshSession: true) { _, _ in Probe(path: "/sign-out") },
            // The account
            Rule(method: .GET, pattern: "/account", allowed: signedIn) { _, _ in Probe(path: "/account") },
            Rule(method: .POST, pattern: "/account/tokens", allowed: signedIn) { _, _ in Probe(path: "/account/tokens", form: [("name", "walk")]) },
            Rule(method: .POST, pattern: "/account/tokens/:tokenID/revoke", allowed: signedIn) { app, p in
                // Their own token (another's is a 404: see `tokensAreCreatedOnTheAccountPageShownOnceAndRevoked`).
                let owner = p == .anonymous ? app.world.person(.adminA).id : app.world.person(p).id
                return Probe(path: "/account/tokens/\(try await app.makeAPIToken(user: owner).id)/revoke")
            },
            Rule(method: .GET, pattern: "/admin/outbox", allowed: platform) { _, _ in Probe(path: "/admin/outbox") },
            // The API
            Rule(method: .GET, pattern: "/api/v1/openapi.json", allowed: everyone) { _, _ in Probe(path: "/api/v1/openapi.json") },
            Rule(method: .GET, pattern: "/api/v1/organisations", allowed: everyone) { _, _ in Probe(path: "/api/v1/organisations?q=mech") },
            Rule(method: .POST, pattern: "/api/v1/organisations", allowed: platform) { _, p in
                Probe(path: "/api/v1/organisations", json: ["kind": "network", "name": "Walk network \(p)", "country": "BE"])
            },
            Rule(method: .GET, pattern: "/api/v1/organisations/:id", allowed: everyone) { app, _ in Probe(path: "/api/v1/organisations/\(app.world.orgA)") },
            Rule(method: .PATCH, pattern: "/api/v1/organisations/:id", allowed: editorsOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)", json: ["region": "Flanders"])
            },
            Rule(method: .GET, pattern: "/api/v1/organisations/:id/memberships", allowed: membersOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/memberships")
            },
            Rule(method: .PATCH, pattern: "/api/v1/organisations/:id/memberships/:membershipID", allowed: adminsOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/memberships/\(try await targetMembership(app))", json: ["role": "editor"])
            },
            Rule(method: .DELETE, pattern: "/api/v1/organisations/:id/memberships/:membershipID", allowed: adminsOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/memberships/\(try await targetMembership(app))")
            },
            Rule(method: .POST, pattern: "/api/v1/organisations/:id/invitations", allowed: adminsOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/invitations", json: ["email": unique("api-walk"), "role": "viewer"])
            },
            Rule(method: .GET, pattern: "/api/v1/me", allowed: signedIn) { _, _ in Probe(path: "/api/v1/me") },
            // Benchmarks: frameworks are open content; assessments belong to organisation A.
            Rule(method: .GET, pattern: "/benchmarks", allowed: everyone) { _, _ in Probe(path: "/benchmarks") },
            Rule(method: .GET, pattern: "/benchmarks/:key", allowed: everyone) { _, _ in Probe(path: "/benchmarks/city-for-all") },
            Rule(method: .GET, pattern: "/benchmarks/:key/download", allowed: everyone) { _, _ in Probe(path: "/benchmarks/city-for-all/download") },
            Rule(method: .GET, pattern: "/benchmarks/upload", allowed: coordinators) { _, _ in Probe(path: "/benchmarks/upload") },
            Rule(method: .POST, pattern: "/benchmarks/upload", allowed: coordinators) { _, p in
                let json = String(decoding: try JSONSerialization.data(withJSONObject: Application.frameworkJSON(id: "walk-page")), as: UTF8.self)
                return Probe(path: "/benchmarks/upload", form: [("json", json)])
            },
            Rule(method: .POST, pattern: "/assessments", allowed: editorsOfA) { app, p in
                Probe(path: "/assessments", form: [("organisation", String(app.world.orgA)), ("framework", "city-for-all"), ("year", "2026")])
            },
            Rule(method: .GET, pattern: "/assessments/:assessmentID", allowed: membersOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)")
            },
            Rule(method: .POST, pattern: "/assessments/:assessmentID", allowed: editorsOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)",
                      form: [("revision", "1"), ("action", "save"), ("level:know-the-local-context", "3")])
            },
            Rule(method: .POST, pattern: "/assessments/:assessmentID/submit", allowed: editorsOfA) { app, _ in
                let a = try await app.makeAssessment(organisation: app.world.orgA)
                let framework = try await app.benchmarks.framework(id: a.$framework.id, on: app.db)
                var content = AssessmentContent()
                for k in framework.keyFactors { content.ratings[k.id] = Rating(level: 3) }
                try a.encode(content)
                try await a.save(on: app.db)
                return Probe(path: "/assessments/\(a.id!)/submit")
            },
            Rule(method: .GET, pattern: "/assessments/:assessmentID/report", allowed: membersOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA, levels: [1, 2, 3, 4, 5]).id!)/report")
            },
            Rule(method: .POST, pattern: "/assessments/:assessmentID/publish", allowed: editorsOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA, levels: [1, 2, 3, 4, 5]).id!)/publish",
                      form: [("publish", "1")])
            },
            Rule(method: .POST, pattern: "/assessments/:assessmentID/delete", allowed: editorsOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)/delete")
            },
            Rule(method: .GET, pattern: "/assessments/:assessmentID/history", allowed: membersOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)/history")
            },
            Rule(method: .POST, pattern: "/assessments/:assessmentID/follow-ups", allowed: editorsOfA) { app, _ in
                Probe(path: "/assessments/\(try await app.makeAssessment(organisation: app.world.orgA, levels: [1, 2, 3, 4, 5]).id!)/follow-ups",
                      form: [("key_factor", "know-the-local-context"), ("kind", "action")])
            },
            Rule(method: .GET, pattern: "/directory/:id/assessments/export", allowed: membersOfA) { app, _ in
                Probe(path: "/directory/\(app.world.orgA)/assessments/export?format=csv")
            },
            Rule(method: .GET, pattern: "/api/v1/frameworks", allowed: everyone) { _, _ in Probe(path: "/api/v1/frameworks") },
            Rule(method: .GET, pattern: "/api/v1/frameworks/:key", allowed: everyone) { _, _ in Probe(path: "/api/v1/frameworks/language-learning") },
            Rule(method: .POST, pattern: "/api/v1/frameworks", allowed: coordinators) { _, p in
                Probe(path: "/api/v1/frameworks", json: Application.frameworkJSON(id: "walk-api"))
            },
            Rule(method: .GET, pattern: "/api/v1/organisations/:id/assessments", allowed: membersOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/assessments")
            },
            Rule(method: .POST, pattern: "/api/v1/organisations/:id/assessments", allowed: editorsOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/assessments", json: ["framework": "language-learning", "year": 2026])
            },
            Rule(method: .GET, pattern: "/api/v1/organisations/:id/assessments/export", allowed: membersOfA) { app, _ in
                Probe(path: "/api/v1/organisations/\(app.world.orgA)/assessments/export")
            },
            Rule(method: .GET, pattern: "/api/v1/assessments/:assessmentID", allowed: membersOfA) { app, _ in
                Probe(path: "/api/v1/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)")
            },
            Rule(method: .PUT, pattern: "/api/v1/assessments/:assessmentID", allowed: editorsOfA) { app, _ in
                Probe(path: "/api/v1/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)",
                      json: ["revision": 1, "content": ["answers": ["know-the-local-context/interpreters": "Yes"], "ratings": [String: String](), "context": [String: String]()] as [String: any Sendable]])
            },
            Rule(method: .DELETE, pattern: "/api/v1/assessments/:assessmentID", allowed: editorsOfA) { app, _ in
                Probe(path: "/api/v1/assessments/\(try await app.makeAssessment(organisation: app.world.orgA).id!)")
            },
            Rule(method: .POST, pattern: "/api/v1/assessments/:assessmentID/submit", allowed: editorsOfA) { app, _ in
                let a = try await app.makeAssessment(organisation: app.world.orgA)
                let framework = try await app.benchmarks.framework(id: a.$framework.id, on: app.db)
                var content = AssessmentContent()
                for k in framework.keyFactors { content.ratings[k.id] = Rating(level: 2) }
                try a.encode(content)
                try await a.save(on: app.db)
                return Probe(path: "/api/v1/assessments/\(a.id!)/submit")
            },
            Rule(method: .GET, pattern: "/api/v1/assessments/:assessmentID/report", allowed: membersOfA) { app, _ in
                Probe(path: "/api/v1/assessments/\(try await app.makeAssessment(organisation: app.world.orgA, levels: [2, 2, 2, 2, 2]).id!)/report")
            },
        ]

        static func routeKeys(_ app: Application) -> Set<String> {
            Set(app.routes.all.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" })
        }

        @Test func theTableCoversEveryRoute() async throws {
            try await withTestApp { app in
                let routes = Self.routeKeys(app)
                let table = Self.rules.map(\.key)
                #expect(Set(table).count == table.count, "a route has two rules")
                let missing = routes.subtracting(table).sorted()
                let extra = Set(table).subtracting(routes).sorted()
                #expect(missing.isEmpty, "routes without a rule in the authorization table: \(missing)")
                #expect(extra.isEmpty, "rules for routes that do not exist: \(extra)")
            }
        }

        @Test(arguments: Persona.allCases)
        func everyRouteAnswersThePersonaAsExpected(_ persona: Persona) async throws {
            try await withTestApp { app in
                let routes = Self.routeKeys(app)
                let shared = try await Browser.signedIn(app, as: persona)
                let api = persona == .anonymous ? APIClient(app: app, token: nil)
                    : APIClient(app: app, token: try await shared.createAPIToken(name: "walk \(persona)"))
                var walked = 0
                for rule in Self.rules where routes.contains(rule.key) {
                    walked += 1
                    let probe = try await rule.probe(app, persona)
                    let response: TestingHTTPResponse
                    if rule.isAPI {
                        if let text = probe.text {
                            response = try await api.send(rule.method, probe.path, text: text)
                        } else {
                            response = try await api.send(rule.method, probe.path, json: probe.json)
                        }
                    } else {
                        let browser = rule.freshSession ? try await Browser.signedIn(app, as: persona) : shared
                        if rule.method == .GET {
                            response = try await browser.get(probe.path)
                        } else {
                            response = try await browser.post(probe.path, probe.form)
                        }
                    }
                    let outcome = Outcome.of(response)
                    #expect(outcome == rule.expected(for: persona),
                            "\(rule.key) as \(persona): expected \(rule.expected(for: persona)), got \(outcome) (\(response.status.code) \(response.location ?? ""))")
                }
                #expect(walked == Self.rules.count)
                // The shared session is intact after the walk: no cell ended it by accident.
                if persona != .anonymous { #expect(try await shared.get("/account").status == .ok) }
            }
        }
    }

    /// Nobody outside organisation A reaches its members or changes it, through pages or the API.
    @Suite struct OrganisationIsolation {
        @Test(arguments: [Persona.adminB, .nobody])
        func outsidersCannotReadOrChangeOrganisationA(_ persona: Persona) async throws {
            try await withTestApp { app in
                let w = app.world
                let b = try await Browser.signedIn(app, as: persona)
                let api = APIClient(app: app, token: try await b.createAPIToken())
                let viewerMembership = try #require(w.person(.viewerA).membershipID)
                let adminMembership = try #require(w.person(.adminA).membershipID)
                let invitation = try await app.makeInvitation(organisation: w.orgA, email: "pending@example.org")
                let a = "/directory/\(w.orgA)"
                let apiA = "/api/v1/organisations/\(w.orgA)"

                // Reading the members.
                let members = try await b.get("\(a)/members")
                #expect(members.status == .forbidden)
                #expect(!members.text.contains("viewer.a@example.org"))
                #expect(!(try await b.get(a)).text.contains("Members ("))
                let apiMembers = try await api.send(.GET, "\(apiA)/memberships")
                #expect(apiMembers.status == .forbidden)
                #expect(!apiMembers.text.contains("viewer.a@example.org"))

                // Changing the profile.
                #expect(try await b.get("\(a)/edit").status == .forbidden)
                #expect(try await b.post("\(a)/edit", [("name", "Taken over"), ("country", "BE")]).status == .forbidden)
                #expect(try await api.send(.PATCH, apiA, json: ["name": "Taken over"]).status == .forbidden)

                // Inviting.
                #expect(try await b.post("\(a)/invitations", [("email", "accomplice@example.org"), ("role", "admin")]).status == .forbidden)
                #expect(try await api.send(.POST, "\(apiA)/invitations", json: ["email": "accomplice@example.org", "role": "admin"]).status == .forbidden)
                #expect(try await b.post("\(a)/invitations/\(invitation.id)/revoke").status == .forbidden)

                // Changing roles and removing members.
                for m in [viewerMembership, adminMembership] {
                    #expect(try await b.post("\(a)/members/\(m)/role", [("role", "admin")]).status == .forbidden)
                    #expect(try await b.post("\(a)/members/\(m)/remove").status == .forbidden)
                    #expect(try await api.send(.PATCH, "\(apiA)/memberships/\(m)", json: ["role": "admin"]).status == .forbidden)
                    #expect(try await api.send(.DELETE, "\(apiA)/memberships/\(m)").status == .forbidden)
                }

                // Nothing changed.
                let org = try #require(try await Organisation.find(w.orgA, on: app.db))
                #expect(org.name == "Mechelen")
                #expect(try await app.membership(viewerMembership)?.role == "viewer")
                #expect(try await app.membership(adminMembership)?.role == "admin")
                #expect(try await Membership.query(on: app.db).filter(\.$organisation.$id == w.orgA).count() == 3)
                #expect(try await Invitation.query(on: app.db).filter(\.$email == "accomplice@example.org").count() == 0)
                #expect(try await Invitation.find(invitation.id, on: app.db)?.revokedAt == nil)
                #expect(try await app.outbox().isEmpty)
                let me = try await api.send(.GET, "/api/v1/me")
                #expect(!me.text.contains("Mechelen"))
            }
        }

        /// An admin of B who puts A's ids under B's address is told there is no such thing.
        @Test func adminOfBCannotReachAThroughItsOwnOrganisation() async throws {
            try await withTestApp { app in
                let w = app.world
                let b = try await Browser.signedIn(app, as: .adminB)
                let api = APIClient(app: app, token: try await b.createAPIToken())
                let viewerMembership = try #require(w.person(.viewerA).membershipID)
                let invitation = try await app.makeInvitation(organisation: w.orgA)
                let ownOrg = "/directory/\(w.orgB)"
                let ownAPI = "/api/v1/organisations/\(w.orgB)"

                #expect(try await b.post("\(ownOrg)/members/\(viewerMembership)/role", [("role", "admin")]).status == .notFound)
                #expect(try await b.post("\(ownOrg)/members/\(viewerMembership)/remove").status == .notFound)
                #expect(try await b.post("\(ownOrg)/invitations/\(invitation.id)/revoke").status == .notFound)
                #expect(try await api.send(.PATCH, "\(ownAPI)/memberships/\(viewerMembership)", json: ["role": "admin"]).status == .notFound)
                #expect(try await api.send(.DELETE, "\(ownAPI)/memberships/\(viewerMembership)").status == .notFound)
                // B's own member list does not include A's people.
                let own = try await api.send(.GET, "\(ownAPI)/memberships")
                #expect(own.status == .ok)
                #expect(own.jsonArray?.compactMap { $0["email"] as? String } == ["admin.b@example.org"])

                #expect(try await app.membership(viewerMembership)?.role == "viewer")
                #expect(try await app.membership(viewerMembership)?.$organisation.id == w.orgA)
                #expect(try await Invitation.find(invitation.id, on: app.db)?.revokedAt == nil)
                #expect(try await Browser(app).get("/join/\(invitation.token)").status == .ok)
            }
        }
    }
}
