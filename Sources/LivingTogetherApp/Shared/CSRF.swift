import Vapor

/// Protection against cross-site request forgery for every form: a random token lives in an HttpOnly,
/// SameSite cookie, and every form carries the same token in a hidden field. A state-changing request
/// to a page route whose field does not match the cookie is refused. (The API takes bearer tokens only,
/// never cookies, so it needs no such token.)
enum CSRF {
    static let cookieName = "lt_csrf"
    static let fieldName = "_csrf"

    /// The token for forms on this page; a new one is made (and set by `CSRFMiddleware`) when the browser has none.
    static func token(for request: Request) -> String {
        if let existing = request.storage[TokenKey.self] { return existing }
        let token = request.cookies[cookieName]?.string.nilIfEmpty ?? Tokens.random()
        request.storage[TokenKey.self] = token
        return token
    }

    struct TokenKey: StorageKey { typealias Value = String }
}

struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let unsafe = ![.GET, .HEAD, .OPTIONS].contains(request.method)
        if unsafe && !request.url.path.hasPrefix("/api/") {
            // The body may still be arriving: collect it before reading the form's token (Vapor collects
            // it only in the route's responder, after the middleware).
            if request.body.data == nil {
                let limit = request.application.routes.defaultMaxBodySize.value
                _ = try await request.body.collect(max: limit).get()
            }
            let cookie = request.cookies[CSRF.cookieName]?.string ?? ""
            let sent = (try? request.content.get(String.self, at: CSRF.fieldName)) ?? request.headers.first(name: "X-CSRF-Token") ?? ""
            guard !cookie.isEmpty, Tokens.constantTimeEquals(cookie, sent) else {
                throw Abort(.forbidden, reason: "csrf")
            }
        }
        let response = try await next.respond(to: request)
        if request.cookies[CSRF.cookieName] == nil, let token = request.storage[CSRF.TokenKey.self] {
            response.cookies[CSRF.cookieName] = HTTPCookies.Value(
                string: token, path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
