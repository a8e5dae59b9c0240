import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// Forged forms are refused and change nothing.
    @Suite struct CSRFProtection {
        @Test func signOutWithoutOrWithAWrongTokenIsRefused() async throws {
            try await withTestApp { app in
                let b = try await Browser.signedIn(app, as: .editorA)
                for mode in [Browser.CSRFMode.none, .wrong("forged-token"), .wrong("")] {
                    let r = try await b.post("/sign-out", [], csrf: mode)
                    #expect(r.status == .forbidden, "\(mode)")
                    #expect(r.text.contains("The form could not be accepted: it expired or came from another site."))
                    #expect(SetCookie.named("lt_session", in: r.headers) == nil)
                }
                // Still signed in.
                let account = try await b.get("/account")
                #expect(account.status == .ok)
                #expect(account.text.contains("Signed in as Eddie Editor-A"))

                // A form without the CSRF cookie is refused even when its field is filled in.
                let token = try #require(b.csrfToken)
                b.setCookie(CSRF.cookieName, nil)
                #expect(try await b.post("/sign-out", [], csrf: .wrong(token)).status == .forbidden)
                b.setCookie(CSRF.cookieName, token)
                #expect(try await b.get("/account").status == .ok)
                // The header form of the token is accepted (for scripts), the right field too.
                #expect(try await b.post("/sign-out", [], csrf: .none, headers: ["X-CSRF-Token": token]).status == .seeOther)
                #expect(try await b.get("/account").status == .seeOther)
            }
        }

        @Test func forgedFormsChangeNothing() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Browser.signedIn(app, as: .adminA)
                let viewerMembership = try #require(w.person(.viewerA).membershipID)
                let forged: [(String, [(String, String)])] = [
                    ("/directory/\(w.orgA)/invitations", [("email", "forged@example.org"), ("role", "admin")]),
                    ("/directory/\(w.orgA)/members/\(viewerMembership)/role", [("role", "admin")]),
                    ("/directory/\(w.orgA)/members/\(viewerMembership)/remove", []),
                    ("/directory/\(w.orgA)/edit", [("name", "Forged"), ("country", "BE")]),
                    ("/account/tokens", [("name", "forged")]),
                    ("/password/forgot", [("email", w.email(.adminA))]),
                    ("/language", [("language", "nl"), ("return_to", "/")]),
                ]
                for (path, form) in forged {
                    #expect(try await admin.post(path, form, csrf: .none).status == .forbidden, "\(path) without token")
                    #expect(try await admin.post(path, form, csrf: .wrong("x" + (admin.csrfToken ?? ""))).status == .forbidden, "\(path) wrong token")
                }
                #expect(try await Invitation.query(on: app.db).count() == 0)
                #expect(try await app.outbox().isEmpty)
                #expect(try await app.membership(viewerMembership)?.role == "viewer")
                #expect(try await Organisation.find(w.orgA, on: app.db)?.name == "Mechelen")
                #expect(try await APIToken.query(on: app.db).count() == 0)
                #expect(admin.cookies["lt_lang"] == nil)
                // Sign-in itself needs the token too (no login CSRF).
                let stranger = Browser(app)
                _ = try await stranger.get("/sign-in")
                let r = try await stranger.post("/sign-in", [("email", w.email(.adminA)), ("password", FixtureWorld.password)], csrf: .none)
                #expect(r.status == .forbidden)
                #expect(stranger.sessionCookie == nil)
                // The same invitation with the right token goes through: the refusals were the token's doing.
                #expect(try await admin.post("/directory/\(w.orgA)/invitations", [("email", "real@example.org"), ("role", "viewer")]).status == .seeOther)
                #expect(try await Invitation.query(on: app.db).count() == 1)
            }
        }

        /// A large form arrives in several network reads; the CSRF check must read the whole body
        /// before it looks for the field.
        @Test func largeFormsOverTheNetworkPassTheCheck() async throws {
            try await withTestApp { app in
                let w = app.world
                let editor = try await Browser.signedIn(app, as: .editorA)
                editor.overTheNetwork = true
                #expect(try await editor.get("/directory/\(w.orgA)/edit").status == .ok)
                let long = String(repeating: "Mechelen works on living together. ", count: 6000)  // about 210 kB
                let r = try await editor.post("/directory/\(w.orgA)/edit", [("name", "Mechelen"), ("country", "BE"), ("description", long)])
                #expect(r.status == .unprocessableEntity, "the form reached validation (not refused as forged): \(r.status)")
                #expect(HTMLText.fieldError("description", in: r.text) == "The text can have at most 2000 characters.")
                let fits = String(long.prefix(1990))
                let ok = try await editor.post("/directory/\(w.orgA)/edit", [("name", "Mechelen"), ("country", "BE"), ("description", fits)])
                // (The network client follows the 303 to the profile.)
                #expect(ok.status == .seeOther || ok.status == .ok)
                #expect(try await Organisation.find(w.orgA, on: app.db)?.summary == fits.trimmingCharacters(in: .whitespaces))
                // Without the token, still refused.
                let forged = try await editor.post("/directory/\(w.orgA)/edit", [("name", "Forged"), ("country", "BE"), ("description", long)], csrf: .none)
                #expect(forged.status == .forbidden)
                #expect(try await Organisation.find(w.orgA, on: app.db)?.name == "Mechelen")
            }
        }

        @Test func theAPIUsesBearerTokensAndIgnoresTheSessionCookie() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Browser.signedIn(app, as: .adminA)
                // A browser's cookies do not authenticate an API call (so a foreign page cannot use them).
                let r = try await admin.send(.PATCH, "/api/v1/organisations/\(w.orgA)",
                                             headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"name":"Hijacked"}"#))
                #expect(r.status == .unauthorized)
                #expect(try await Organisation.find(w.orgA, on: app.db)?.name == "Mechelen")
                // With a token, no CSRF field is needed.
                let token = try await admin.createAPIToken()
                let ok = try await APIClient(app: app, token: token).send(.PATCH, "/api/v1/organisations/\(w.orgA)", json: ["region": "Antwerp"])
                #expect(ok.status == .ok)
            }
        }
    }

    /// The sign-in limit: per account and per client address.
    @Suite struct SignInRateLimit {
        @Test func sixthAttemptOnOneAccountIsRefusedEvenWithTheRightPassword() async throws {
            try await withTestApp { app in
                let email = app.world.email(.editorA)
                let b = Browser(app)
                for i in 1...5 {
                    let r = try await b.signIn(email: email, password: "wrong password \(i)")
                    #expect(r.status == .unauthorized, "attempt \(i)")
                }
                let sixth = try await b.signIn(email: email)
                #expect(sixth.status == .tooManyRequests)
                #expect(sixth.headers.first(name: .retryAfter) == "900")
                #expect(HTMLText.fieldError("email", in: sixth.text) == "Too many failed attempts. Wait 15 minutes, or reset your password.")
                #expect(HTMLText.fieldValue("email", in: sixth.text) == email)
                #expect(b.sessionCookie == nil)
                // However the address is written.
                #expect(try await Browser(app).signIn(email: "EDITOR.A@example.org ").status == .tooManyRequests)
                // Other accounts are not affected.
                #expect(try await Browser(app).signIn(email: app.world.email(.viewerA)).status == .seeOther)
                // Once the failures are older than the window, the account opens again.
                try await SignInAttempt.query(on: app.db).set(\.$at, to: Date().addingTimeInterval(-901)).update()
                let later = try await Browser(app).signIn(email: email)
                #expect(later.status == .seeOther)
            }
        }

        @Test func successesDoNotCountTowardsTheLimit() async throws {
            try await withTestApp { app in
                let email = app.world.email(.viewerA)
                for _ in 1...4 {
                    let r = try await Browser(app).signIn(email: email, password: "wrong wrong wrong")
                    #expect(r.status == .unauthorized)
                }
                for _ in 1...3 {
                    let r = try await Browser(app).signIn(email: email)
                    #expect(r.status == .seeOther)
                }
                let last = try await Browser(app).signIn(email: email)
                #expect(last.status == .seeOther)
            }
        }

        @Test func failuresFromOneAddressAcrossManyAccountsHitTheAddressLimit() async throws {
            try await withTestApp { app in
                // Every in-memory test request comes from the same (unknown) address.
                let b = Browser(app)
                for i in 1...20 {
                    let r = try await b.signIn(email: "guess\(i)@example.org", password: "password guess \(i)")
                    #expect(r.status == .unauthorized, "attempt \(i)")
                }
                let r = try await b.signIn(email: app.world.email(.adminA))
                #expect(r.status == .tooManyRequests)
                #expect(HTMLText.fieldError("email", in: r.text)?.hasPrefix("Too many failed attempts.") == true)
                #expect(try await SignInAttempt.query(on: app.db).filter(\.$succeeded == false).count() == 20,
                        "a refused attempt is not checked, so it is not recorded as a failure")
            }
        }

        @Test func behindATrustedProxyTheLimitIsPerForwardedAddress() async throws {
            try await withTestApp(settings: { $0.trustProxy = true }) { app in
                let b = Browser(app)
                for i in 1...20 {
                    let r = try await b.signIn(email: "guess\(i)@example.org", password: "password guess \(i)")
                    #expect(r.status == .unauthorized)
                }
                // (In-memory requests have no forwarded address of their own; these all count for "unknown".)
                #expect(try await Browser(app).signIn(email: app.world.email(.adminA)).status == .tooManyRequests)
                // Another client, as the proxy reports it, is not locked out.
                let other = Browser(app)
                let page = try await other.get("/sign-in")
                let form = try #require(HTMLText.form(action: "/sign-in", in: page.text))
                let token = try #require(HTMLText.hiddenValue(named: "_csrf", in: form))
                let r = try await other.post("/sign-in", [("email", app.world.email(.adminA)), ("password", FixtureWorld.password), ("_csrf", token)],
                                             csrf: .none, headers: ["X-Forwarded-For": "203.0.113.7, 10.0.0.1"])
                #expect(r.status == .seeOther)
                let attempt = try #require(try await SignInAttempt.query(on: app.db).filter(\.$succeeded == true).first())
                #expect(attempt.address == "203.0.113.7")
            }
        }
    }
}
