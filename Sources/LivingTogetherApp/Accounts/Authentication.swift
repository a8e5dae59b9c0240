import Fluent
import LivingTogetherCore
import Vapor

/// Who made a request, found once per request by `SessionAuthenticator` (pages) or
/// `BearerAuthenticator` (API).
struct CurrentUser: Sendable {
    let id: Int
    let email: String
    let name: String
    let isPlatformAdmin: Bool
    /// The language the person chose last (nil until they switch).
    let language: String?
    let roles: [Int: Role]
    let kinds: [Int: OrganisationKind]
    /// The hash of the session key, when signed in by the browser.
    let sessionKeyHash: String?

    var actor: Actor { Actor(userID: id, isPlatformAdmin: isPlatformAdmin, roles: roles, kinds: kinds) }
}

private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

extension Request {
    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }
    var actor: Actor { currentUser?.actor ?? .anonymous }

    /// The signed-in user, or a redirect to the sign-in page (pages) / 401 (API).
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized) }
        return user
    }

    /// Refuses with 403 unless the actor may do the action.
    func authorize(_ action: DirectoryPermissions.Action) throws {
        guard currentUser != nil || action == .viewPublicProfile else { throw Abort(.unauthorized) }
        guard DirectoryPermissions.allows(actor, action) else { throw Abort(.forbidden) }
    }

    /// The client's address; behind a trusted proxy, the first address of X-Forwarded-For.
    var clientAddress: String {
        if application.settings.trustProxy, let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }

    /// True when the browser reached us over TLS (directly or through a trusted proxy).
    var isSecure: Bool {
        if application.settings.publicURLIsTLS { return true }
        if application.settings.trustProxy, headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" { return true }
        return url.scheme == "https"
    }
}

struct DropSessionCookieKey: StorageKey { typealias Value = Bool }

enum SessionCookie {
    static let name = "lt_session"
    static let lifetime: TimeInterval = 14 * 24 * 3600
}

enum UserLoader {
    static func load(userID: Int, sessionKeyHash: String?, on db: any Database) async throws -> CurrentUser? {
        guard let user = try await User.find(userID, on: db) else { return nil }
        let memberships = try await Membership.query(on: db).filter(\.$user.$id == userID).with(\.$organisation).all()
        var roles: [Int: Role] = [:]
        var kinds: [Int: OrganisationKind] = [:]
        for m in memberships {
            roles[m.$organisation.id] = m.memberRole
            kinds[m.$organisation.id] = m.organisation.organisationKind
        }
        return CurrentUser(id: userID, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin,
                           language: user.language, roles: roles, kinds: kinds, sessionKeyHash: sessionKeyHash)
    }
}

/// Finds the signed-in user from the session cookie. Requests without the cookie touch no database.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let key = request.cookies[SessionCookie.name]?.string, !key.isEmpty {
            let hash = Tokens.hash(key)
            if let row = try await SessionRow.find(hash, on: request.db) {
                if row.expiresAt > Date() {
                    request.currentUser = try await UserLoader.load(userID: row.$user.id, sessionKeyHash: hash, on: request.db)
                    // Sliding expiry, written at most once a day per session.
                    if row.expiresAt.timeIntervalSinceNow < SessionCookie.lifetime - 24 * 3600 {
                        row.expiresAt = Date().addingTimeInterval(SessionCookie.lifetime)
                        try await row.save(on: request.db)
                    }
                } else {
                    try await row.delete(on: request.db)
                }
            }
            if request.currentUser == nil {
                // Dropped by `SecurityHeadersMiddleware`, outside the error pages, so that every answer drops it.
                request.storage[DropSessionCookieKey.self] = true
            }
        }
        return try await next.respond(to: request)
    }

    /// Starts a session for the user and sets its cookie on the response.
    static func signIn(userID: Int, request: Request, response: Response) async throws {
        let key = Tokens.random()
        try await SessionRow(keyHash: Tokens.hash(key), userID: userID, expiresAt: Date().addingTimeInterval(SessionCookie.lifetime))
            .create(on: request.db)
        response.cookies[SessionCookie.name] = HTTPCookies.Value(
            string: key, maxAge: Int(SessionCookie.lifetime), path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .lax)
    }

    static func signOut(request: Request, response: Response) async throws {
        if let hash = request.currentUser?.sessionKeyHash {
            try await SessionRow.query(on: request.db).filter(\.$id == hash).delete()
        }
        response.cookies[SessionCookie.name] = .expired
    }
}

/// Finds the user of an API request from its bearer token. API routes never read the session cookie,
/// so a page on another site cannot make a browser call them with the user's rights.
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            let hash = Tokens.hash(bearer.token)
            guard let token = try await APIToken.query(on: request.db).filter(\.$tokenHash == hash).filter(\.$revokedAt == nil).first(),
                  let user = try await UserLoader.load(userID: token.$user.id, sessionKeyHash: nil, on: request.db)
            else {
                throw Abort(.unauthorized, reason: "The bearer token is unknown or has been revoked.")
            }
            request.currentUser = user
            if (token.lastUsedAt?.timeIntervalSinceNow ?? -3600) < -60 {
                token.lastUsedAt = Date()
                try await token.save(on: request.db)
            }
        }
        return try await next.respond(to: request)
    }
}
