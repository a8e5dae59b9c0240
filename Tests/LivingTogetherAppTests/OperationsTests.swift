import Foundation
@testable import LivingTogetherApp
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// Liveness, readiness, metrics, security headers and cookie attributes.
    @Suite struct Operations {
        @Test func livezAndHealthz() async throws {
            try await withTestApp { app in
                try await app.testing().test(.GET, "/livez") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string == "ok")
                }
                try await app.testing().test(.GET, "/healthz") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string == "ok")
                }
            }
        }

        @Test func metricsCountRequestsByRoutePattern() async throws {
            try await withTestApp { app in
                _ = try await app.testing().sendRequest(.GET, "/directory?q=malmo")
                _ = try await app.testing().sendRequest(.GET, "/directory/\(app.world.orgA)")
                _ = try await app.testing().sendRequest(.GET, "/directory/\(app.world.orgB)")
                _ = try await app.testing().sendRequest(.GET, "/directory/999999")
                let r = try await app.testing().sendRequest(.GET, "/metrics")
                #expect(r.status == .ok)
                #expect(r.headers.contentType?.type == "text" && r.headers.contentType?.subType == "plain")
                let text = r.body.string
                #expect(text.contains(#"http_requests_total{method="GET",route="/directory",status="200"} 1"#))
                // Paths with ids are counted under their pattern, never the raw path.
                #expect(text.contains(#"http_requests_total{method="GET",route="/directory/:id",status="200"} 2"#))
                #expect(text.contains(#"http_requests_total{method="GET",route="/directory/:id",status="404"} 1"#))
                #expect(!text.contains("route=\"/directory/\(app.world.orgA)\""))
                #expect(text.contains(#"http_request_duration_seconds_bucket{method="GET",route="/directory",status="200",le="+Inf"} 1"#))
                #expect(text.contains("# TYPE http_requests_total counter"))
                #expect(text.contains("process_uptime_seconds "))
            }
        }

        @Test func securityHeaders() async throws {
            try await withTestApp { app in
                for path in ["/", "/directory", "/sign-in", "/api/v1/organisations", "/livez"] {
                    let r = try await app.testing().sendRequest(.GET, path)
                    #expect(r.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                    #expect(r.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                    #expect(r.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
                    // Plain http here: no HSTS.
                    #expect(r.headers.first(name: "Strict-Transport-Security") == nil, "\(path)")
                }
                let page = try await app.testing().sendRequest(.GET, "/directory")
                let csp = try #require(page.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("default-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(csp.contains("form-action 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(page.headers.first(name: .cacheControl) == "no-store")
                #expect(page.headers.first(name: "Content-Language") == "en")
            }
        }

        /// Error pages are pages too: they need the same headers (no framing, no sniffing, the CSP).
        @Test func errorPagesCarryTheSecurityHeaders() async throws {
            try await withTestApp { app in
                let viewer = try await Browser.signedIn(app, as: .viewerA)
                let answers: [(String, TestingHTTPResponse)] = [
                    ("404 page", try await app.testing().sendRequest(.GET, "/directory/999999")),
                    ("unknown path", try await app.testing().sendRequest(.GET, "/no/such/page")),
                    ("403 page", try await viewer.get("/directory/\(app.world.orgA)/edit")),
                    ("CSRF 403 page", try await viewer.post("/sign-out", [], csrf: .none)),
                    ("sign-in redirect", try await app.testing().sendRequest(.GET, "/account")),
                    ("API 404", try await app.testing().sendRequest(.GET, "/api/v1/organisations/999999")),
                ]
                for (what, r) in answers {
                    #expect(r.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what) (\(r.status.code))")
                    #expect(r.headers.first(name: "X-Frame-Options") == "DENY", "\(what) (\(r.status.code))")
                    #expect(r.headers.first(name: "Referrer-Policy") == "same-origin", "\(what) (\(r.status.code))")
                    if r.headers.contentType == .html {
                        #expect(r.headers.first(name: "Content-Security-Policy") != nil, "\(what) (\(r.status.code))")
                    }
                }
            }
        }

        @Test func cookiesAreHttpOnlyAndSameSiteLax() async throws {
            try await withTestApp { app in
                let b = Browser(app)
                let form = try await b.get("/sign-in")
                let csrf = try #require(SetCookie.named("lt_csrf", in: form.headers))
                #expect(csrf.isHTTPOnly)
                #expect(csrf.sameSite?.lowercased() == "lax")
                #expect(!csrf.isSecure)
                let signedIn = try await b.signIn(email: app.world.email(.viewerA))
                let session = try #require(SetCookie.named("lt_session", in: signedIn.headers))
                #expect(session.isHTTPOnly)
                #expect(session.sameSite?.lowercased() == "lax")
                #expect(session.attributes["path"] == "/")
                #expect(session.attributes["max-age"] == String(14 * 24 * 3600))
                #expect(!session.isSecure, "plain http: a Secure cookie would not come back")
                let language = try await b.post("/language", [("language", "nl"), ("return_to", "/")])
                let lang = try #require(SetCookie.named("lt_lang", in: language.headers))
                #expect(lang.isHTTPOnly)
                #expect(lang.sameSite?.lowercased() == "lax")
                for cookie in SetCookie.all(in: signedIn.headers) + SetCookie.all(in: language.headers) where !cookie.isExpired {
                    #expect(cookie.isHTTPOnly, "\(cookie.name)")
                    #expect(cookie.sameSite?.lowercased() == "lax", "\(cookie.name)")
                }
            }
        }

        @Test func withAnHTTPSPublicURLTheCookiesAreSecure() async throws {
            // PUBLIC_URL is read by Settings from the environment.
            let previous = ProcessInfo.processInfo.environment["PUBLIC_URL"]
            setenv("PUBLIC_URL", "https://livingtogether.example/", 1)
            defer { if let previous { setenv("PUBLIC_URL", previous, 1) } else { unsetenv("PUBLIC_URL") } }
            let settings = Settings.fromEnvironment(.testing)
            #expect(settings.publicURL == "https://livingtogether.example")
            #expect(settings.publicURLIsTLS)

            try await withTestApp(settings: { $0.publicURL = settings.publicURL }) { app in
                let b = Browser(app)
                let form = try await b.get("/sign-in")
                #expect(try #require(SetCookie.named("lt_csrf", in: form.headers)).isSecure)
                #expect(form.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
                let r = try await b.signIn(email: app.world.email(.viewerA))
                #expect(r.status == .seeOther)
                let session = try #require(SetCookie.named("lt_session", in: r.headers))
                #expect(session.isSecure)
                #expect(session.isHTTPOnly)
                #expect(session.sameSite?.lowercased() == "lax")
                let language = try await b.post("/language", [("language", "nl"), ("return_to", "/")])
                #expect(try #require(SetCookie.named("lt_lang", in: language.headers)).isSecure)

                // Links in e-mails use the public address.
                _ = try await b.post("/password/forgot", [("email", app.world.email(.viewerA))])
                let mail = try #require(try await app.outbox().last)
                #expect(mail.body.contains("https://livingtogether.example/password/reset/"))
            }
        }

        /// Over https every cookie the site sets carries Secure, the flash message's too.
        @Test func withAnHTTPSPublicURLEveryCookieIsSecure() async throws {
            try await withTestApp(settings: { $0.publicURL = "https://livingtogether.example" }) { app in
                let b = Browser(app)
                _ = try await b.get("/sign-in")
                let r = try await b.signIn(email: app.world.email(.viewerA))
                let language = try await b.post("/language", [("language", "nl"), ("return_to", "/")])
                let cookies = SetCookie.all(in: r.headers) + SetCookie.all(in: language.headers)
                #expect(cookies.contains { $0.name == "lt_flash" })
                for cookie in cookies where !cookie.isExpired {
                    #expect(cookie.isSecure, "\(cookie.name) is set without Secure over https")
                }
            }
        }
    }
}
