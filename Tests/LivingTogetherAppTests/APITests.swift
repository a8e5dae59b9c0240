import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The JSON API under /api/v1 and its tokens.
    @Suite struct API {
        /// A bearer token for the persona, made through the account page as a person would.
        static func client(_ app: Application, _ persona: Persona) async throws -> APIClient {
            guard persona != .anonymous else { return APIClient(app: app, token: nil) }
            let b = try await Browser.signedIn(app, as: persona)
            return APIClient(app: app, token: try await b.createAPIToken(name: "\(persona) script"))
        }

        static func errorMessage(_ r: TestingHTTPResponse) -> String? {
            (r.json?["error"] as? [String: Any])?["message"] as? String
        }

        @Test func tokensAreCreatedOnTheAccountPageShownOnceAndRevoked() async throws {
            try await withTestApp { app in
                let b = try await Browser.signedIn(app, as: .adminA)
                let unnamed = try await b.post("/account/tokens", [("name", "  ")])
                #expect(unnamed.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("name", in: unnamed.text) == "Give the token a name.")
                #expect(try await APIToken.query(on: app.db).count() == 0)

                let created = try await b.post("/account/tokens", [("name", "nightly export")])
                #expect(created.status == .created)
                #expect(created.text.contains("Copy it now: it is shown only this once."))
                let secret = try #require(HTMLText.first(#"<code class="secret">([^<]+)</code>"#, in: created.text))
                #expect(secret.hasPrefix("lt_"))
                #expect(created.text.contains("<th scope=\"row\">nightly export</th><td><code>\(secret.prefix(10))…</code>"))
                // Only its hash is stored; the page does not show it again.
                let stored = try #require(try await APIToken.query(on: app.db).first())
                #expect(stored.tokenHash == Tokens.hash(secret))
                #expect(stored.tokenHash != secret)
                #expect(stored.lastUsedAt == nil)
                #expect(!(try await b.get("/account")).text.contains(secret))

                let api = APIClient(app: app, token: secret)
                let me = try await api.send(.GET, "/api/v1/me")
                #expect(me.status == .ok)
                #expect(me.json?["email"] as? String == "admin.a@example.org")
                #expect(try await APIToken.find(stored.id, on: app.db)?.lastUsedAt != nil)
                #expect(try await b.get("/account").text.contains("nightly export"))

                // Someone else cannot revoke it.
                let other = try await Browser.signedIn(app, as: .nobody)
                #expect(try await other.post("/account/tokens/\(stored.id!)/revoke").status == .notFound)
                #expect(try await api.send(.GET, "/api/v1/me").status == .ok)

                let revoke = try await b.post("/account/tokens/\(stored.id!)/revoke")
                #expect(revoke.status == .seeOther)
                #expect(revoke.location == "/account")
                let account = try await b.get("/account")
                #expect(account.text.contains("The token has been revoked."))
                #expect(!account.text.contains("nightly export"))

                let refused = try await api.send(.GET, "/api/v1/me")
                #expect(refused.status == .unauthorized)
                #expect(refused.headers.contentType == .json)
                #expect(refused.headers.first(name: .wwwAuthenticate) == "Bearer")
                #expect(Self.errorMessage(refused) == "The bearer token is unknown or has been revoked.")
                #expect((refused.json?["error"] as? [String: Any])?["status"] as? Int == 401)
                // Even on routes anyone may read: a bad token is an error, not anonymity.
                #expect(try await api.send(.GET, "/api/v1/organisations").status == .unauthorized)
                #expect(try await APIClient(app: app, token: "lt_made-up").send(.GET, "/api/v1/me").status == .unauthorized)
                let none = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/me")
                #expect(none.status == .unauthorized)
                #expect(none.headers.contentType == .json)
            }
        }

        @Test func listOrganisationsSearchesAndPages() async throws {
            try await withTestApp { app in
                let api = APIClient(app: app, token: nil)
                let all = try await api.send(.GET, "/api/v1/organisations")
                #expect(all.status == .ok)
                let json = try #require(all.json)
                #expect(json["total"] as? Int == 7)
                #expect(json["page"] as? Int == 1)
                #expect(json["per_page"] as? Int == 20)
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(items.compactMap { $0["name"] as? String } == ["Malmö", "Gent", "Lund", "Mechelen", "Livadeiá", "Baarle-Hertog", "Association of Flemish Municipalities"])
                let malmo = try #require(items.first)
                #expect(malmo["id"] as? Int == app.world.malmo)
                #expect(malmo["country"] as? String == "SE")
                #expect(malmo["population"] as? Int == 301706)
                #expect(malmo["kind"] as? String == "municipality")
                #expect(malmo["url"] as? String == "/directory/\(app.world.malmo)")

                func names(_ query: String) async throws -> [String] {
                    let r = try await api.send(.GET, "/api/v1/organisations?\(query)")
                    #expect(r.status == .ok, "\(query)")
                    return ((r.json?["items"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                }
                #expect(try await names("q=malmo") == ["Malmö"])
                #expect(try await names("q=LIVADEIA") == ["Livadeiá"])
                #expect(try await names("country=BE") == ["Gent", "Mechelen", "Baarle-Hertog", "Association of Flemish Municipalities"])
                #expect(try await names("band=m") == ["Lund", "Mechelen", "Livadeiá"])
                #expect(try await names("per_page=2&page=2") == ["Lund", "Mechelen"])
                #expect(try await names("per_page=2&page=4") == ["Association of Flemish Municipalities"])
                #expect(try await names("per_page=2&page=5").isEmpty)
                let paged = try await api.send(.GET, "/api/v1/organisations?per_page=2&page=3")
                #expect(paged.json?["total"] as? Int == 7)
                #expect(paged.json?["page"] as? Int == 3)
                #expect(paged.json?["per_page"] as? Int == 2)
                // per_page is kept within 1…100.
                let capped = try await api.send(.GET, "/api/v1/organisations?per_page=5000")
                #expect(capped.json?["per_page"] as? Int == 100)
            }
        }

        @Test func getOneOrganisation() async throws {
            try await withTestApp { app in
                let api = APIClient(app: app, token: nil)
                let r = try await api.send(.GET, "/api/v1/organisations/\(app.world.orgA)")
                #expect(r.status == .ok)
                let o = try #require(r.json)
                #expect(o["id"] as? Int == app.world.orgA)
                #expect(o["name"] as? String == "Mechelen")
                #expect(o["country"] as? String == "BE")
                #expect(o["region"] as? String == "Flanders")
                #expect(o["population"] as? Int == 86921)
                #expect(o["size_band"] as? String == "m")
                #expect(o["timezone"] as? String == "Europe/Brussels")
                #expect(o["source_key"] as? String == "geonames:2791537")
                #expect(o["url"] as? String == "/directory/\(app.world.orgA)")
                #expect((o["latitude"] as? Double).map { abs($0 - 51.02574) < 1e-9 } == true)

                let missing = try await api.send(.GET, "/api/v1/organisations/999999")
                #expect(missing.status == .notFound)
                #expect(missing.headers.contentType == .json)
                #expect(Self.errorMessage(missing) == "There is no organisation with this id.")
                #expect(try await api.send(.GET, "/api/v1/organisations/mechelen").status == .notFound)
                let nowhere = try await api.send(.GET, "/api/v1/no-such-thing")
                #expect(nowhere.status == .notFound)
                #expect(nowhere.headers.contentType == .json)
            }
        }

        @Test func patchOrganisation() async throws {
            try await withTestApp { app in
                let w = app.world
                let editor = try await Self.client(app, .editorA)
                let r = try await editor.send(.PATCH, "/api/v1/organisations/\(w.orgA)",
                                              json: ["population": "90000", "website": "https://www.mechelen.be", "budget_band": "medium"])
                #expect(r.status == .ok)
                #expect(r.json?["population"] as? Int == 90000)
                #expect(r.json?["website"] as? String == "https://www.mechelen.be")
                // Fields not sent keep their values.
                #expect(r.json?["name"] as? String == "Mechelen")
                #expect(r.json?["region"] as? String == "Flanders")
                let org = try #require(try await Organisation.find(w.orgA, on: app.db))
                #expect(org.population == 90000)
                #expect(org.budgetBand == "medium")
                #expect(org.latitude != nil)
                // The directory shows the change at once.
                let page = try await app.testing().sendRequest(.GET, "/directory?q=mechelen")
                #expect(page.body.string.contains("<td class=\"num\">90,000</td>"))

                // A bad value: 422 with the message for each field, and nothing changes.
                let bad = try await editor.send(.PATCH, "/api/v1/organisations/\(w.orgA)",
                                                json: ["population": "lots", "latitude": "95", "name": "Renamed"])
                #expect(bad.status == .unprocessableEntity)
                let error = try #require(bad.json?["error"] as? [String: Any])
                #expect(error["status"] as? Int == 422)
                #expect(error["message"] as? String == "The request has invalid fields.")
                let fields = try #require(error["fields"] as? [String: String])
                #expect(fields["population"] == "\"lots\" is not a whole number of inhabitants.")
                #expect(fields["latitude"] == "\"95\" is not a number from -90 to 90.")
                #expect(fields["name"] == nil)
                let unchanged = try #require(try await Organisation.find(w.orgA, on: app.db))
                #expect(unchanged.name == "Mechelen")
                #expect(unchanged.population == 90000)

                // Viewers, other organisations' admins and strangers may not; nobody without a token.
                for persona in [Persona.viewerA, .adminB, .nobody] {
                    let c = try await Self.client(app, persona)
                    let refused = try await c.send(.PATCH, "/api/v1/organisations/\(w.orgA)", json: ["population": "1"])
                    #expect(refused.status == .forbidden, "\(persona)")
                    #expect(refused.headers.contentType == .json)
                }
                #expect(try await APIClient(app: app, token: nil).send(.PATCH, "/api/v1/organisations/\(w.orgA)", json: ["population": "1"]).status == .unauthorized)
                #expect(try await Organisation.find(w.orgA, on: app.db)?.population == 90000)
                // The platform administrator may change any organisation.
                let platform = try await Self.client(app, .platformAdmin)
                #expect(try await platform.send(.PATCH, "/api/v1/organisations/\(w.orgB)", json: ["region": "East Flanders"]).status == .ok)
                #expect(try await editor.send(.PATCH, "/api/v1/organisations/999999", json: ["region": "x"]).status == .forbidden)
            }
        }

        /// GET returns numbers as JSON numbers and the document says numbers "may be sent as strings";
        /// a client that sends them back as numbers must not get a 400 without `fields`.
        @Test func patchAcceptsNumbersAsTheAPIReturnsThem() async throws {
            try await withTestApp { app in
                let w = app.world
                let editor = try await Self.client(app, .editorA)
                let r = try await editor.send(.PATCH, "/api/v1/organisations/\(w.orgA)", json: ["population": 90000, "latitude": 51.03, "longitude": 4.48])
                #expect(r.status == .ok, "a JSON number for population: \(r.status) \(r.text)")
                #expect(try await Organisation.find(w.orgA, on: app.db)?.population == (r.status == .ok ? 90000 : 86921))
                let negative = try await editor.send(.PATCH, "/api/v1/organisations/\(w.orgA)", json: ["population": -5])
                #expect(negative.status == .unprocessableEntity, "a negative number: \(negative.status) \(negative.text)")
            }
        }

        @Test func createOrganisation() async throws {
            try await withTestApp { app in
                let platform = try await Self.client(app, .platformAdmin)
                let body: [String: any Sendable] = ["kind": "association", "name": "Union of Test Towns", "country": "BE", "population": ""]
                let r = try await platform.send(.POST, "/api/v1/organisations", json: body)
                #expect(r.status == .created)
                let id = try #require(r.json?["id"] as? Int)
                #expect(r.headers.first(name: .location) == "/api/v1/organisations/\(id)")
                #expect(r.json?["kind"] as? String == "association")
                #expect(try await Organisation.find(id, on: app.db)?.name == "Union of Test Towns")
                let bad = try await platform.send(.POST, "/api/v1/organisations", json: ["kind": "club", "name": "", "country": "XX"])
                #expect(bad.status == .unprocessableEntity)
                let fields = (bad.json?["error"] as? [String: Any])?["fields"] as? [String: String]
                #expect(Set(fields?.keys.map { $0 } ?? []) == ["kind", "name", "country"])
                let admin = try await Self.client(app, .adminA)
                #expect(try await admin.send(.POST, "/api/v1/organisations", json: body).status == .forbidden)
                #expect(try await APIClient(app: app, token: nil).send(.POST, "/api/v1/organisations", json: body).status == .unauthorized)
                #expect(try await Organisation.query(on: app.db).filter(\.$name == "Union of Test Towns").count() == 1)
            }
        }

        @Test func membershipsListChangeAndDelete() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Self.client(app, .adminA)
                let list = try await admin.send(.GET, "/api/v1/organisations/\(w.orgA)/memberships")
                #expect(list.status == .ok)
                let rows = try #require(list.jsonArray)
                #expect(rows.count == 3)
                let byEmail = Dictionary(uniqueKeysWithValues: rows.map { ($0["email"] as? String ?? "", $0) })
                #expect(byEmail["admin.a@example.org"]?["role"] as? String == "admin")
                #expect(byEmail["editor.a@example.org"]?["role"] as? String == "editor")
                #expect(byEmail["viewer.a@example.org"]?["role"] as? String == "viewer")
                #expect(byEmail["viewer.a@example.org"]?["name"] as? String == "Vera Viewer-A")
                #expect(byEmail["viewer.a@example.org"]?["id"] as? Int == w.person(.viewerA).membershipID)
                #expect(byEmail["viewer.a@example.org"]?["user_id"] as? Int == w.person(.viewerA).id)
                #expect(byEmail["viewer.a@example.org"]?["organisation_id"] as? Int == w.orgA)
                // Members may read the list.
                let viewer = try await Self.client(app, .viewerA)
                #expect(try await viewer.send(.GET, "/api/v1/organisations/\(w.orgA)/memberships").jsonArray?.count == 3)

                let viewerMembership = try #require(w.person(.viewerA).membershipID)
                let path = "/api/v1/organisations/\(w.orgA)/memberships/\(viewerMembership)"
                let patched = try await admin.send(.PATCH, path, json: ["role": "editor"])
                #expect(patched.status == .ok)
                #expect(patched.json?["role"] as? String == "editor")
                #expect(patched.json?["email"] as? String == "viewer.a@example.org")
                #expect(try await app.membership(viewerMembership)?.role == "editor")
                let badRole = try await admin.send(.PATCH, path, json: ["role": "owner"])
                #expect(badRole.status == .unprocessableEntity)
                #expect(((badRole.json?["error"] as? [String: Any])?["fields"] as? [String: String])?["role"] == "Choose a role: administrator, editor or viewer.")
                // A viewer (now editor) may not change roles.
                #expect(try await viewer.send(.PATCH, path, json: ["role": "admin"]).status == .forbidden)
                #expect(try await app.membership(viewerMembership)?.role == "editor")

                let deleted = try await admin.send(.DELETE, path)
                #expect(deleted.status == .noContent)
                #expect(try await app.membership(viewerMembership) == nil)
                let again = try await admin.send(.DELETE, path)
                #expect(again.status == .notFound)
                #expect(Self.errorMessage(again) == "There is no such membership in this organisation.")
                #expect(try await admin.send(.GET, "/api/v1/organisations/\(w.orgA)/memberships").jsonArray?.count == 2)
            }
        }

        @Test func invitationsThroughTheAPI() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Self.client(app, .adminA)
                let r = try await admin.send(.POST, "/api/v1/organisations/\(w.orgA)/invitations", json: ["email": "Api.Invitee@example.org", "role": "editor"])
                #expect(r.status == .created)
                #expect(r.json?["email"] as? String == "api.invitee@example.org")
                #expect(r.json?["role"] as? String == "editor")
                #expect(r.json?["organisation_id"] as? Int == w.orgA)
                #expect(r.json?["expires_at"] != nil)
                #expect(r.json?["token"] == nil, "the link's token goes only into the e-mail")
                let inv = try #require(try await Invitation.query(on: app.db).first())
                #expect(inv.id == r.json?["id"] as? Int)
                let link = try await Accounts.link(to: "api.invitee@example.org", "/join/", in: app)
                #expect(try await Browser(app).get(link).status == .ok)

                // Without a role: viewer.
                let plain = try await admin.send(.POST, "/api/v1/organisations/\(w.orgA)/invitations", json: ["email": "second@example.org"])
                #expect(plain.json?["role"] as? String == "viewer")

                let bad = try await admin.send(.POST, "/api/v1/organisations/\(w.orgA)/invitations", json: ["email": "nope", "role": "editor"])
                #expect(bad.status == .unprocessableEntity)
                #expect(((bad.json?["error"] as? [String: Any])?["fields"] as? [String: String])?["email"] == "Enter an e-mail address like name@example.org.")

                for persona in [Persona.editorA, .viewerA, .adminB, .nobody] {
                    let c = try await Self.client(app, persona)
                    #expect(try await c.send(.POST, "/api/v1/organisations/\(w.orgA)/invitations", json: ["email": "x@example.org", "role": "admin"]).status == .forbidden, "\(persona)")
                }
                #expect(try await Invitation.query(on: app.db).count() == 2)
                #expect(try await app.outbox().count == 2)
            }
        }

        @Test func me() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Self.client(app, .adminA)
                let r = try await admin.send(.GET, "/api/v1/me")
                #expect(r.status == .ok)
                #expect(r.json?["id"] as? Int == w.person(.adminA).id)
                #expect(r.json?["name"] as? String == "Ada Admin-A")
                #expect(r.json?["is_platform_admin"] as? Bool == false)
                let memberships = try #require(r.json?["memberships"] as? [[String: Any]])
                #expect(memberships.count == 1)
                #expect(memberships.first?["organisation_id"] as? Int == w.orgA)
                #expect(memberships.first?["organisation_name"] as? String == "Mechelen")
                #expect(memberships.first?["role"] as? String == "admin")
                let platform = try await Self.client(app, .platformAdmin)
                let p = try await platform.send(.GET, "/api/v1/me")
                #expect(p.json?["is_platform_admin"] as? Bool == true)
                #expect((p.json?["memberships"] as? [Any])?.isEmpty == true)
            }
        }
    }

    /// The OpenAPI document describes exactly the API's routes.
    @Suite struct OpenAPIDocument {
        /// "api/v1/organisations/:id" and "/api/v1/organisations/{id}" both become "/api/v1/organisations/{}".
        static func normalised(_ path: String) -> String {
            "/" + path.split(separator: "/").map { seg -> String in
                (seg.hasPrefix(":") || (seg.hasPrefix("{") && seg.hasSuffix("}"))) ? "{}" : String(seg)
            }.joined(separator: "/")
        }

        @Test func everyDocumentedOperationExistsAndEveryAPIRouteIsDocumented() async throws {
            try await withTestApp { app in
                let r = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
                #expect(r.status == .ok)
                #expect(r.headers.contentType == .json)
                let doc = try #require(r.json, "openapi.json is JSON")
                let version = try #require(doc["openapi"] as? String, "the document names its OpenAPI version")
                #expect(version.hasPrefix("3."))
                #expect((doc["info"] as? [String: Any])?["title"] != nil)
                let paths = try #require(doc["paths"] as? [String: Any], "the document has paths")
                // Paths are relative to the first server's URL, when it has a path.
                var base = ""
                if let server = (doc["servers"] as? [[String: Any]])?.first?["url"] as? String, let url = URL(string: server) {
                    base = url.path == "/" ? "" : url.path
                }
                let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
                var documented = Set<String>()
                for (path, item) in paths {
                    let operations = (item as? [String: Any]) ?? [:]
                    for m in methods where operations[m] != nil {
                        documented.insert("\(m.uppercased()) \(Self.normalised(base + path))")
                        let op = operations[m] as? [String: Any]
                        #expect(op?["responses"] != nil, "\(m.uppercased()) \(path) lists its responses")
                    }
                }
                #expect(!documented.isEmpty)
                let routes = Set(app.routes.all
                    .filter { $0.path.first?.description == "api" }
                    .map { "\($0.method.rawValue) \(Self.normalised($0.path.map(\.description).joined(separator: "/")))" })
                let undocumented = routes.subtracting(documented).sorted()
                let phantom = documented.subtracting(routes).sorted()
                #expect(undocumented.isEmpty, "API routes missing from openapi.json: \(undocumented)")
                #expect(phantom.isEmpty, "openapi.json documents operations the app does not have: \(phantom)")
            }
        }

        @Test func everyReferenceResolves() async throws {
            try await withTestApp { app in
                let r = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
                let text = r.body.string
                let doc = try #require(r.json)
                let schemas = ((doc["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
                let refs = Set(HTMLText.all(##""\$ref"\s*:\s*"#/components/schemas/([^"]+)""##, in: text))
                for ref in refs { #expect(schemas[ref] != nil, "#/components/schemas/\(ref) is not defined") }
            }
        }
    }
}
